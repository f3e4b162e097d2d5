/**
 * x86 passthrough (camkes-vm components/Init/templates/seL4VMIRQs, seL4VMIOPorts,
 * seL4VMPCIDevices; platforms.md §3.3-3.4): the I/O port ranges, IOAPIC pins and PCI devices a
 * VM's configuration gives its guest, validated against what the VMM itself emulates.
 */
import { formatPos } from '../../diagnostics';
import type { DictVal, Value } from '../../camkes/resolve';
import type { Platform } from '../../platform';
import { Collector, asDict, asList, describe, field, intField, strField } from './values';
import type { X86PassthroughConfig } from './x86-config';
import { EMULATED_IOPORTS, GUEST_LINES, IOPORT_END_EXCLUSIVE, fixedLines, ioportOverlaps, x86GuestRam, type X86GuestDevices } from './x86-guest';
import { hex, type PassthroughRegion, type X86IoPortRange, type X86IrqRoute, type X86PassthroughPlan, type X86PciMemory, type X86PciPassthrough } from './types';

export interface X86PlanContext {
  readonly platform: Platform;
  /** VMM devices the VM has besides passthrough (their guest lines become unavailable). */
  readonly devices?: X86GuestDevices;
}

function dicts(c: Collector, v: Value | undefined, what: string): DictVal[] {
  if (!v) return [];
  return (asList(c, v, what)?.items ?? []).map((it) => asDict(c, it, `each entry of ${what}`)).filter((d): d is DictVal => !!d);
}

function flag(c: Collector, d: DictVal, key: string, what: string): boolean | undefined {
  const n = intField(c, d, key, what);
  if (n === undefined) return undefined;
  if (n > 1) c.error(field(d, key)!.pos, `expected "${key}" of ${what} to be 0 or 1, found ${n}`);
  return n === 1;
}

const range = (r: { first: number; last: number }) => `${hex(r.first)}-${hex(r.last)}`;

function readIoports(c: Collector, cfg: X86PassthroughConfig, attr: string): X86IoPortRange[] {
  const out: X86IoPortRange[] = [];
  for (const d of dicts(c, cfg.ioports, attr)) {
    const what = `${attr} entry`;
    const name = strField(c, d, 'name', what);
    const start = intField(c, d, 'start', what);
    const end = intField(c, d, 'end', what);
    const pciV = field(d, 'pci_device');
    const pci = pciV ? intField(c, d, 'pci_device', what) : undefined;
    if (name === undefined || start === undefined || end === undefined) continue;
    const last = IOPORT_END_EXCLUSIVE ? end - 1 : end;
    if (last < start || last > 0xffff) {
      c.error(field(d, 'end')!.pos, `expected "end" of ${attr} entry '${name}' to be above "start" ${hex(start)} and at most 0x10000 (end is exclusive), found ${hex(end)}`);
      continue;
    }
    out.push({ name, first: start, last, ...(pci !== undefined ? { pciDevice: pci } : {}), origin: { pos: d.pos, what: `${attr} entry '${name}' ${hex(start)}-${hex(last)}` } });
  }
  const pairs = ioportOverlaps(out);
  for (const [i, j] of pairs) {
    const [a, b] = [out[i], out[j]];
    c.error(b.origin.pos, `I/O ports ${range(b)} of '${b.name}' overlap ${range(a)} of '${a.name}' (${formatPos(a.origin.pos)})`);
  }
  for (const r of out)
    for (const e of EMULATED_IOPORTS)
      if (r.first <= e.last && e.first <= r.last) c.error(r.origin.pos, `I/O ports ${range(r)} of '${r.name}' include ${range(e)}, which the VMM emulates (${e.device})`);
  return out;
}

function readIrqs(c: Collector, cfg: X86PassthroughConfig, attr: string, ctx: X86PlanContext): X86IrqRoute[] {
  const out: X86IrqRoute[] = [];
  const fixed = fixedLines(ctx.platform, ctx.devices);
  for (const d of dicts(c, cfg.irqs, attr)) {
    const name = strField(c, d, 'name', `${attr} entry`);
    const what = `${attr} entry '${name ?? '?'}'`;
    const pin = intField(c, d, 'source', what);
    const level = flag(c, d, 'level_trig', what);
    const low = flag(c, d, 'active_low', what);
    const dest = intField(c, d, 'dest', what);
    let ioapic = 0;
    if (cfg.layout === 'vm') {
      if (field(d, 'ioapic')) ioapic = intField(c, d, 'ioapic', what) ?? 0;
      else c.warn(d.pos, `${what} has no "ioapic"; the seL4VMIRQs template reads irq['ioapic'] since 2022 (camkes-vm 75801fd), so the build may stop there (UNCONFIRMED); IOAPIC 0 is assumed`);
    }
    if (name === undefined || pin === undefined || level === undefined || low === undefined || dest === undefined) continue;
    const destPos = field(d, 'dest')!.pos;
    if (dest >= GUEST_LINES) c.error(destPos, `"dest" ${dest} of ${what} is outside the guest's PIC lines 0-${GUEST_LINES - 1} (Init's irq_badges[${GUEST_LINES}])`);
    else if (fixed.has(dest)) c.error(destPos, `"dest" ${dest} of ${what} is guest line ${dest} of ${fixed.get(dest)}, which the VMM injects itself`);
    const sameDest = out.find((o) => o.dest === dest);
    if (sameDest && dest < GUEST_LINES) c.error(destPos, `"dest" ${dest} of ${what} is already the guest line of '${sameDest.name}' (${formatPos(sameDest.origin.pos)})`);
    const samePin = out.find((o) => o.ioapic === ioapic && o.pin === pin);
    if (samePin) c.error(field(d, 'source')!.pos, `"source" IOAPIC ${ioapic} pin ${pin} of ${what} is already routed by '${samePin.name}' (${formatPos(samePin.origin.pos)})`);
    const sameName = out.find((o) => o.name === name);
    if (sameName) c.error(field(d, 'name')!.pos, `${attr} entry name '${name}' is already used (${formatPos(sameName.origin.pos)})`);
    out.push({ name, ioapic, pin, trigger: level ? 'level' : 'edge', polarity: low ? 'low' : 'high', dest, origin: { pos: d.pos, what } });
  }
  return out;
}

const bdf = (b: number, d: number, f: number) => `${b.toString(16).padStart(2, '0')}:${d.toString(16).padStart(2, '0')}.${f}`;

function readPci(c: Collector, cfg: X86PassthroughConfig, irqs: readonly X86IrqRoute[], ioports: readonly X86IoPortRange[]): X86PciPassthrough[] {
  const out: X86PciPassthrough[] = [];
  const ram = cfg.ramMb !== undefined ? x86GuestRam(cfg.ramMb) : [];
  const mems: (X86PciMemory & { dev: string })[] = [];
  for (const d of dicts(c, cfg.pciDevices, 'pci_devices')) {
    const name = strField(c, d, 'name', 'pci_devices entry');
    const what = `pci_devices entry '${name ?? '?'}'`;
    const [bus, dev, fun] = (['bus', 'dev', 'fun'] as const).map((k) => intField(c, d, k, what));
    const lim = { bus: 255, dev: 31, fun: 7 } as const;
    for (const [k, v] of [['bus', bus], ['dev', dev], ['fun', fun]] as const)
      if (v !== undefined && v > lim[k]) c.error(field(d, k)!.pos, `expected "${k}" of ${what} to be 0-${lim[k]}, found ${v}`);
    const irqName = strField(c, d, 'irq', what);
    const irq = irqs.find((q) => q.name === irqName);
    if (irqName !== undefined && !irq) c.error(field(d, 'irq')!.pos, `"irq" '${irqName}' of ${what} names no entry of the VM's IRQ list (known: ${irqs.map((q) => q.name).join(', ') || 'none'})`);
    const memory: X86PciMemory[] = [];
    const memV = field(d, 'memory');
    if (!memV) c.error(d.pos, `expected key "memory" (a list, possibly empty) in ${what}`);
    for (const m of dicts(c, memV, `"memory" of ${what}`)) {
      const mw = `a "memory" entry of ${what}`;
      const [paddr, size, pageBits] = [intField(c, m, 'paddr', mw), intField(c, m, 'size', mw), intField(c, m, 'page_bits', mw)];
      if (paddr === undefined || size === undefined || pageBits === undefined) continue;
      if (![12, 20, 21].includes(pageBits) || paddr % 2 ** pageBits !== 0 || size === 0) {
        c.error(m.pos, `expected ${mw} to be non-empty, with "page_bits" 12, 20 or 21 and "paddr" aligned to it, found paddr ${hex(paddr)} page_bits ${pageBits}`);
        continue;
      }
      const sz = Math.ceil(size / 2 ** pageBits) * 2 ** pageBits;
      const mem = { paddr, size: sz, pageBits, origin: { pos: m.pos, what: `PCI memory ${hex(paddr)}-${hex(paddr + sz - 1)} of '${name}'` } };
      for (const r of ram)
        if (paddr < r.base + r.size && r.base < paddr + sz) c.error(m.pos, `${mem.origin.what} overlaps guest RAM ${hex(r.base)}-${hex(r.base + r.size - 1)} (guest_ram_mb ${cfg.ramMb})`);
      const other = mems.find((o) => paddr < o.paddr + o.size && o.paddr < paddr + sz);
      if (other) c.error(m.pos, `${mem.origin.what} overlaps ${other.origin.what} (${formatPos(other.origin.pos)})`);
      mems.push({ ...mem, dev: name ?? '?' });
      memory.push(mem);
    }
    if (name === undefined || bus === undefined || dev === undefined || fun === undefined) continue;
    const dup = out.find((o) => o.bus === bus && o.dev === dev && o.fun === fun);
    if (dup) c.error(d.pos, `${what} is PCI device ${bdf(bus, dev, fun)}, already passed through as '${dup.name}' (${formatPos(dup.origin.pos)})`);
    out.push({ name, bus, dev, fun, bdf: bdf(bus, dev, fun), irq, memory, ioports: ioports.filter((r) => r.name === name && r.pciDevice !== undefined), origin: { pos: d.pos, what } });
  }
  return out;
}

/** Validates a VM's x86 passthrough configuration and says what the guest gets; all errors at once. */
export function planX86(cfg: X86PassthroughConfig, ctx: X86PlanContext): X86PassthroughPlan {
  const c = new Collector();
  const attrs = cfg.layout === 'vm_config' ? { io: `${cfg.vm}_config.ioports`, irq: `${cfg.vm}_config.irqs` } : { io: `${cfg.vm}.vm_ioports`, irq: `${cfg.vm}.vm_irqs` };
  const ioports = readIoports(c, cfg, attrs.io);
  const irqs = readIrqs(c, cfg, attrs.irq, ctx);
  const pciDevices = readPci(c, cfg, irqs, ioports);
  let iospace = false;
  if (cfg.iospace) {
    if (cfg.iospace.kind !== 'int') c.error(cfg.iospace.pos, `expected pci_devices_iospace to be 0 or 1, found ${describe(cfg.iospace)}`);
    else iospace = cfg.iospace.value !== 0n;
  }
  const untypedMmios: PassthroughRegion[] = [];
  for (const it of cfg.untypedMmios ? (asList(c, cfg.untypedMmios, 'untyped_mmios')?.items ?? []) : []) {
    const m = it.kind === 'string' ? /^(0x[0-9a-f]+|\d+):(\d+)$/i.exec(it.value.trim()) : null;
    if (!m) c.error(it.pos, 'expected each item of untyped_mmios to be a string "paddr:size_bits"');
    else untypedMmios.push({ kind: 'untyped', paddr: Number(m[1]), size: 2 ** Number(m[2]), sizeBits: Number(m[2]), pageBits: 12, role: 'device', origin: { pos: it.pos, what: `untyped_mmios "${(it as { value: string }).value}"` } });
  }
  c.throwIfAny();
  // Init/src/main.c compares the number of passthrough IRQs (not their lines) with 12.
  const vmmLog = ctx.devices?.crossVm && irqs.length > 12 ? ['Cross vm event irq number not available'] : [];
  return { family: 'x86', vm: cfg.vm, layout: cfg.layout, ioports, irqs, pciDevices, iospace, untypedMmios, warnings: c.warnings, vmmLog };
}
