import type { AppInfo, Arch, ArmVm, Family, Region, VmInfo, X86Irq, X86PciDevice, X86Vm } from './types';
import type { Field } from './yaml-read';
import { fmtRange, hex, irq, irqList, overlaps, readSection, type Ctx, type NamedRegion } from './schema-common';

/**
 * Guest entry when `kernel_entry_addr` is not given: RAM base + 0x8000 on a 32-bit VMM build,
 * + 0x80000 on a 64-bit one (platforms.md §1.2, seL4VMParameters.template.c).
 */
export function defaultEntry(arch: Arch, ramBase: number): number {
  return ramBase + (arch === 'aarch32' ? 0x8000 : 0x80000);
}

export function readApps(ctx: Ctx, fld: Field | undefined, family: Family, arch: Arch): Record<string, AppInfo> {
  const out: Record<string, AppInfo> = {};
  if (!fld) return out;
  const { r } = ctx;
  const fs = r.fields(fld.src, r.resolve(fld.src, fld.value), 'apps', fld.keyNode);
  for (const [name, af] of fs ?? []) {
    const s = readSection(ctx, af, `apps.${name}`, ['vms'], []);
    if (!s) continue;
    const vf = s.f.get('vms');
    const vms: VmInfo[] = [];
    const vfs = vf ? r.fields(vf.src, r.resolve(vf.src, vf.value), `apps.${name}.vms`, vf.keyNode) : undefined;
    for (const [vm, f] of vfs ?? []) {
      const v = family === 'arm' ? readArmVm(ctx, f, `apps.${name}.vms.${vm}`, vm, arch) : readX86Vm(ctx, f, `apps.${name}.vms.${vm}`, vm);
      if (v) vms.push(v);
    }
    out[name] = { ...s.prov, name, vms };
  }
  return out;
}

const MMIO = /^0x[0-9a-fA-F]+:(\d+)$/;
const MMIO3 = /^0x[0-9a-fA-F]+:0x[0-9a-fA-F]+:\d+$/;

function mmioList(ctx: Ctx, fld: Field | undefined, what: string, re: RegExp, form: string): string[] {
  const its = ctx.r.items(fld, what) ?? [];
  const out: string[] = [];
  for (const it of its) {
    const v = ctx.r.str(it, `each item of ${what}`);
    if (v === undefined) continue;
    if (!re.test(v)) ctx.r.error(it.src, ctx.r.node(it), `expected each item of ${what} to be "${form}"`);
    else out.push(v);
  }
  return out;
}

function readArmVm(ctx: Ctx, f: Field, what: string, name: string, arch: Arch): ArmVm | undefined {
  const { r } = ctx;
  const node = r.resolve(f.src, f.value);
  const fs = r.fields(f.src, node, what, f.keyNode);
  if (!fs) return undefined;
  r.checkKeys(f.src, node, fs, what, ['ram'], ['dtb', 'initrd', 'initrd_max', 'entry', 'num_vcpus', 'dtb_passthrough', 'dtb_properties', 'irqs', 'dtb_irqs', 'untyped_mmios', 'mmios', 'cmdline', 'note']);
  const rf = fs.get('ram');
  const rn = rf ? r.resolve(rf.src, rf.value) : null;
  const rfs = rf ? r.fields(rf.src, rn, `${what}.ram`, rf.keyNode) : undefined;
  if (rf && rfs) r.checkKeys(rf.src, rn, rfs, `${what}.ram`, ['base', 'size'], ['paddr']);
  const base = r.int(rfs?.get('base'), `${what}.ram.base`);
  const size = r.int(rfs?.get('size'), `${what}.ram.size`, 1);
  const paddr = r.int(rfs?.get('paddr'), `${what}.ram.paddr`) ?? base;
  const addr = (k: string) => r.int(fs.get(k), `${what}.${k}`);
  const dtb = addr('dtb');
  const initrd = addr('initrd');
  const initrdMax = r.int(fs.get('initrd_max'), `${what}.initrd_max`, 1);
  const entryGiven = addr('entry');
  const numVcpus = r.int(fs.get('num_vcpus'), `${what}.num_vcpus`, 1, 256) ?? 1;
  const dtbPassthrough = r.strList(fs.get('dtb_passthrough'), `${what}.dtb_passthrough`) ?? [];
  const dtbProperties = (r.items(fs.get('dtb_properties'), `${what}.dtb_properties`) ?? []).flatMap((it) => {
    const m = r.fields(it.src, r.resolve(it.src, it.value), `an entry of ${what}.dtb_properties`, it.keyNode);
    const q: Record<string, string | number> = {};
    for (const [k, v] of m ?? []) {
      const val = r.scalar(v);
      if (typeof val === 'string' || typeof val === 'number') q[k] = val;
      else r.error(v.src, r.node(v), `expected ${what}.dtb_properties[].${k} to be a string or a number`);
    }
    return m ? [q] : [];
  });
  const irqs = irqList(ctx, fs.get('irqs'), `${what}.irqs`) ?? [];
  const dtbIrqs = irqList(ctx, fs.get('dtb_irqs'), `${what}.dtb_irqs`) ?? [];
  const untypedMmios = mmioList(ctx, fs.get('untyped_mmios'), `${what}.untyped_mmios`, MMIO, 'paddr:size_bits');
  const mmios = mmioList(ctx, fs.get('mmios'), `${what}.mmios`, MMIO3, 'paddr:size:page_bits');
  const cmdline = fs.has('cmdline') ? r.scalar(fs.get('cmdline') as Field) : undefined;
  if (base === undefined || size === undefined || paddr === undefined) return undefined;
  const ram: Region = { base, size };
  const ramPos = r.pos(f.src, rn);
  // The VMM loads the DTB and initrd into guest RAM: an address outside it can never be written.
  for (const [k, v] of [['dtb', dtb], ['initrd', initrd], ['entry', entryGiven]] as const) {
    const kf = fs.get(k);
    if (v !== undefined && kf && !(v >= base && v < base + size))
      r.error(kf.src, r.node(kf), `expected ${what}.${k} ${hex(v)} to lie inside the VM's guest RAM ${fmtRange(ram)}`);
  }
  const mine: NamedRegion = { ...ram, what: `guest RAM of ${what}`, pos: ramPos };
  for (const other of [...ctx.deviceRegions, ...ctx.vpciRegions]) {
    if (overlaps(mine, other))
      r.error(rf?.src ?? f.src, rn, `guest RAM of ${what} ${fmtRange(ram)} overlaps ${other.what} ${fmtRange(other)} at ${other.pos.line}:${other.pos.col}; expected disjoint regions`);
  }
  return {
    kind: 'arm', name, ram: { base, paddr, size }, dtb, initrd, initrdMax, entry: entryGiven ?? defaultEntry(arch, base), numVcpus,
    dtbPassthrough, dtbProperties, irqs, dtbIrqs, untypedMmios, mmios, cmdline: typeof cmdline === 'string' ? cmdline : undefined, pos: r.pos(f.src, node),
  };
}

function readX86Vm(ctx: Ctx, f: Field, what: string, name: string): X86Vm | undefined {
  const { r } = ctx;
  const node = r.resolve(f.src, f.value);
  const fs = r.fields(f.src, node, what, f.keyNode);
  if (!fs) return undefined;
  r.checkKeys(f.src, node, fs, what, ['ram_mb'], ['cmdline', 'ioports', 'pci_devices', 'irqs', 'untyped_mmios', 'exclude_paddr', 'note']);
  const ramMb = r.int(fs.get('ram_mb'), `${what}.ram_mb`, 1);
  const cmdline = r.str(fs.get('cmdline'), `${what}.cmdline`);
  const entries = (k: string, required: string[], optional: string[]) =>
    (r.items(fs.get(k), `${what}.${k}`) ?? []).flatMap((it) => {
      const n = r.resolve(it.src, it.value);
      const e = r.fields(it.src, n, `an entry of ${what}.${k}`, it.keyNode);
      if (!e) return [];
      r.checkKeys(it.src, n, e, `an entry of ${what}.${k}`, required, optional);
      return [{ e, it }];
    });
  const ioports = entries('ioports', ['start', 'end', 'name'], ['pci_device']).map(({ e }) => ({
    start: r.int(e.get('start'), `${what}.ioports[].start`, 0, 0xffff) ?? 0,
    end: r.int(e.get('end'), `${what}.ioports[].end`, 0, 0xffff) ?? 0,
    pciDevice: r.int(e.get('pci_device'), `${what}.ioports[].pci_device`),
    name: r.str(e.get('name'), `${what}.ioports[].name`) ?? '',
  }));
  const irqs: X86Irq[] = entries('irqs', ['name', 'source', 'level_trig', 'active_low', 'dest'], ['ioapic']).map(({ e }) => ({
    name: r.str(e.get('name'), `${what}.irqs[].name`) ?? '',
    ioapic: r.int(e.get('ioapic'), `${what}.irqs[].ioapic`),
    source: r.int(e.get('source'), `${what}.irqs[].source`) ?? 0,
    levelTrig: r.bool(e.get('level_trig'), `${what}.irqs[].level_trig`) ?? false,
    activeLow: r.bool(e.get('active_low'), `${what}.irqs[].active_low`) ?? false,
    dest: irq(ctx, e.get('dest'), `${what}.irqs[].dest (the guest line)`) ?? 0,
  }));
  const mem: NamedRegion[] = [];
  const pciDevices: X86PciDevice[] = entries('pci_devices', ['name', 'bus', 'dev', 'fun', 'irq', 'memory'], []).map(({ e }) => {
    const dname = r.str(e.get('name'), `${what}.pci_devices[].name`) ?? '';
    const irqName = r.str(e.get('irq'), `${what}.pci_devices[].irq`) ?? '';
    const irqF = e.get('irq');
    if (irqF && irqName && !irqs.some((i) => i.name === irqName))
      r.error(irqF.src, r.node(irqF), `expected ${what}.pci_devices[].irq '${irqName}' to name an entry of ${what}.irqs`);
    const memory = (r.items(e.get('memory'), `${what}.pci_devices[].memory`) ?? []).flatMap((it) => {
      const n = r.resolve(it.src, it.value);
      const m = r.fields(it.src, n, `${what}.pci_devices[].memory[]`, it.keyNode);
      if (!m) return [];
      r.checkKeys(it.src, n, m, `${what}.pci_devices[].memory[]`, ['paddr', 'size', 'page_bits'], []);
      const base = r.int(m.get('paddr'), 'paddr');
      const size = r.int(m.get('size'), 'size', 1);
      const pageBits = r.oneOf<number>(m.get('page_bits'), 'page_bits', [12, 20, 21]);
      if (base === undefined || size === undefined || pageBits === undefined) return [];
      mem.push({ base, size, what: `memory of PCI device ${dname}`, pos: r.pos(it.src, n) });
      return [{ base, size, pageBits }];
    });
    return {
      name: dname, irq: irqName, memory,
      bus: r.int(e.get('bus'), `${what}.pci_devices[].bus`, 0, 255) ?? 0,
      dev: r.int(e.get('dev'), `${what}.pci_devices[].dev`, 0, 31) ?? 0,
      fun: r.int(e.get('fun'), `${what}.pci_devices[].fun`, 0, 7) ?? 0,
    };
  });
  const excludePaddr = (r.items(fs.get('exclude_paddr'), `${what}.exclude_paddr`) ?? []).flatMap((it) => {
    const n = r.resolve(it.src, it.value);
    const m = r.fields(it.src, n, `${what}.exclude_paddr[]`, it.keyNode);
    if (!m) return [];
    r.checkKeys(it.src, n, m, `${what}.exclude_paddr[]`, ['base', 'size'], []);
    const base = r.int(m.get('base'), 'base');
    const size = r.int(m.get('size'), 'size', 1);
    if (base === undefined || size === undefined) return [];
    mem.push({ base, size, what: 'an excluded (RMRR) range', pos: r.pos(it.src, n) });
    return [{ base, size }];
  });
  for (let i = 0; i < mem.length; i++)
    for (let j = i + 1; j < mem.length; j++)
      if (overlaps(mem[i], mem[j]))
        ctx.r.errors.push({ severity: 'error', pos: mem[j].pos, message: `${mem[j].what} ${fmtRange(mem[j])} overlaps ${mem[i].what} ${fmtRange(mem[i])} at ${mem[i].pos.line}:${mem[i].pos.col}; expected disjoint regions` });
  const untypedMmios = mmioList(ctx, fs.get('untyped_mmios'), `${what}.untyped_mmios`, MMIO, 'paddr:size_bits');
  if (ramMb === undefined) return undefined;
  return { kind: 'x86', name, ramMb, cmdline, ioports, pciDevices, irqs, untypedMmios, excludePaddr, pos: r.pos(f.src, node) };
}
