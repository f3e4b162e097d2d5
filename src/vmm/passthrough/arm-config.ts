/**
 * Where an Arm VM's passthrough configuration comes from: the resolved `.camkes` settings of the
 * VM instance (`vmN.dtb`, `untyped_mmios`, `mmios`, `irqs`, `dtb_irqs`, the address config), or a
 * board file's app entry (platforms/<board>.yaml), turned into the same values.
 */
import type { SourcePos } from '../../diagnostics';
import type { ResolvedAssembly, Value } from '../../camkes/resolve';
import type { ArmVm } from '../../platform';
import { Collector, describe, field, instanceSettings, V } from './values';

export interface ArmPassthroughConfig {
  readonly vm: string;
  /** Where the VM is declared (used for resources with no position of their own). */
  readonly pos: SourcePos;
  readonly dtb?: Value;
  readonly untypedMmios?: Value;
  readonly mmios?: Value;
  readonly irqs?: Value;
  readonly dtbIrqs?: Value;
  /** Guest RAM: IPA base, physical base and size, when the configuration states it. */
  readonly ram?: { readonly base: number; readonly paddr: number; readonly size: number };
}

function numberString(c: Collector, v: Value | undefined, what: string): number | undefined {
  if (!v) return undefined;
  // vm_address_config values are strings of numbers (VAR_STRINGIZE(MACRO)), parsed as C would.
  if (v.kind === 'string' && /^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(v.value)) return Number(v.value.trim());
  if (v.kind === 'int') return Number(v.value);
  // The system builder's wording for the same setting (src/system/arm.ts), so either reader says the same.
  c.error(v.pos, `expected ${what} to be a number such as "0x40000000", found ${v.kind === 'string' ? `"${v.value}"` : describe(v)}`);
  return undefined;
}

/** `vm_address_config` (current) or `linux_address_config` (deprecated) of the VM, if set. */
function ramOf(c: Collector, vm: string, cur: Value | undefined, old: Value | undefined): ArmPassthroughConfig['ram'] {
  const pick = (d: Value | undefined, attr: string, base: string, paddr: string, size: string) => {
    if (!d || d.kind !== 'dict') return undefined;
    const b = numberString(c, field(d, base), `${vm}.${attr}.${base}`);
    const s = numberString(c, field(d, size), `${vm}.${attr}.${size}`);
    if (b === undefined || s === undefined) return undefined;
    return { base: b, paddr: numberString(c, field(d, paddr), `${vm}.${attr}.${paddr}`) ?? b, size: s };
  };
  return pick(cur, 'vm_address_config', 'ram_base', 'ram_paddr_base', 'ram_size') ?? pick(old, 'linux_address_config', 'linux_ram_base', 'linux_ram_paddr_base', 'linux_ram_size');
}

export function armConfigFromAssembly(asm: ResolvedAssembly, vm: string): ArmPassthroughConfig {
  const inst = asm.instance(vm);
  const s = instanceSettings(asm, vm);
  const c = new Collector();
  const ram = ramOf(c, vm, s.get('vm_address_config'), s.get('linux_address_config'));
  c.throwIfAny();
  return {
    vm,
    pos: inst?.pos ?? asm.pos,
    dtb: s.get('dtb'),
    untypedMmios: s.get('untyped_mmios'),
    mmios: s.get('mmios'),
    irqs: s.get('irqs'),
    dtbIrqs: s.get('dtb_irqs'),
    ram,
  };
}

/** A board file's VM: its `dtb_passthrough`/`dtb_properties` lists become one `dtb([...])` query. */
export function armConfigFromBoard(vm: ArmVm): ArmPassthroughConfig {
  const p = vm.pos;
  const prop = (x: string | number) => (typeof x === 'number' ? V.int(x, p) : V.str(x, p));
  const entries: Value[] = [
    ...vm.dtbPassthrough.map((path) => V.dict({ path: V.str(path, p) }, p)),
    ...vm.dtbProperties.map((q) => V.dict({ properties: V.dict(Object.fromEntries(Object.entries(q).map(([k, x]) => [k, prop(x)])), p) }, p)),
  ];
  const strs = (xs: readonly string[]) => (xs.length ? V.list(xs.map((x) => V.str(x, p)), p) : undefined);
  const ints = (xs: readonly number[]) => (xs.length ? V.list(xs.map((x) => V.int(x, p)), p) : undefined);
  return {
    vm: vm.name,
    pos: p,
    dtb: entries.length ? { kind: 'query', name: 'dtb', arg: { kind: 'list', items: entries, pos: p }, lookup: [], pos: p } : undefined,
    untypedMmios: strs(vm.untypedMmios),
    mmios: strs(vm.mmios),
    irqs: ints(vm.irqs),
    dtbIrqs: ints(vm.dtbIrqs),
    ram: vm.ram,
  };
}
