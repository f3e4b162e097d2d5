/**
 * Where an x86 VM's passthrough configuration comes from. Two namings exist (platforms.md §3.4,
 * languages A.15.1/A.16): before camkes-vm 8616ab4 (2019-11-27) the data sat on a hardware
 * instance `vmN_config` as `ioports`, `irqs`, `pci_devices`, `pci_devices_iospace` (the seed's
 * tutorial uses this); today it is on the Init instance as `vm_ioports`, `vm_irqs`,
 * `pci_devices`, `pci_devices_iospace`.
 */
import { errorAt, formatPos, type SourcePos } from '../../diagnostics';
import type { ResolvedAssembly, Value } from '../../camkes/resolve';
import type { X86Vm } from '../../platform';
import { instanceSettings, V } from './values';

export interface X86PassthroughConfig {
  readonly vm: string;
  readonly pos: SourcePos;
  readonly layout: 'vm_config' | 'vm';
  readonly ioports?: Value;
  readonly irqs?: Value;
  readonly pciDevices?: Value;
  readonly iospace?: Value;
  readonly untypedMmios?: Value;
  /** `guest_ram_mb`, when set. */
  readonly ramMb?: number;
}

const OLD = { ioports: 'ioports', irqs: 'irqs', pciDevices: 'pci_devices', iospace: 'pci_devices_iospace' } as const;
const CUR = { ioports: 'vm_ioports', irqs: 'vm_irqs', pciDevices: 'pci_devices', iospace: 'pci_devices_iospace' } as const;

export function x86ConfigFromAssembly(asm: ResolvedAssembly, vm: string): X86PassthroughConfig {
  const cur = instanceSettings(asm, vm);
  const old = instanceSettings(asm, `${vm}_config`);
  const oldUsed = Object.values(OLD).filter((a) => old.get(a));
  const curUsed = Object.values(CUR).filter((a) => cur.get(a));
  if (oldUsed.length && curUsed.length) {
    const a = old.get(oldUsed[0])!;
    const b = cur.get(curUsed[0])!;
    throw errorAt(b.pos, `${vm}.${curUsed[0]} mixes the current layout with the pre-2019 ${vm}_config.${oldUsed[0]} (at ${formatPos(a.pos)}); expected one of the two`);
  }
  const layout = oldUsed.length ? 'vm_config' : 'vm';
  const s = layout === 'vm_config' ? old : cur;
  const names = layout === 'vm_config' ? OLD : CUR;
  const ram = cur.get('guest_ram_mb');
  return {
    vm,
    pos: asm.instance(vm)?.pos ?? asm.instance(`${vm}_config`)?.pos ?? asm.pos,
    layout,
    ioports: s.get(names.ioports),
    irqs: s.get(names.irqs),
    pciDevices: s.get(names.pciDevices),
    iospace: s.get(names.iospace),
    untypedMmios: cur.get('untyped_mmios'),
    ramMb: ram?.kind === 'int' ? Number(ram.value) : undefined,
  };
}

/** A board file's x86 VM (platforms/<board>.yaml `apps.<app>.vms.<vm>`), in the current layout. */
export function x86ConfigFromBoard(vm: X86Vm): X86PassthroughConfig {
  const p = vm.pos;
  const i = (n: number) => V.int(n, p);
  const s = (x: string) => V.str(x, p);
  const list = <T>(xs: readonly T[], f: (x: T) => Value) => (xs.length ? V.list(xs.map(f), p) : undefined);
  return {
    vm: vm.name,
    pos: p,
    layout: 'vm',
    ioports: list(vm.ioports, (io) => V.dict({ start: i(io.start), end: i(io.end), ...(io.pciDevice !== undefined ? { pci_device: i(io.pciDevice) } : {}), name: s(io.name) }, p)),
    irqs: list(vm.irqs, (q) => V.dict({ name: s(q.name), ...(q.ioapic !== undefined ? { ioapic: i(q.ioapic) } : {}), source: i(q.source), level_trig: i(+q.levelTrig), active_low: i(+q.activeLow), dest: i(q.dest) }, p)),
    pciDevices: list(vm.pciDevices, (d) =>
      V.dict({ name: s(d.name), bus: i(d.bus), dev: i(d.dev), fun: i(d.fun), irq: s(d.irq), memory: V.list(d.memory.map((m) => V.dict({ paddr: i(m.base), size: i(m.size), page_bits: i(m.pageBits) }, p)), p) }, p),
    ),
    untypedMmios: list(vm.untypedMmios, s),
    ramMb: vm.ramMb,
  };
}
