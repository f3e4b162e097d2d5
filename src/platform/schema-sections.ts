import type {
  BootFormat, BootInfo, ConsoleInfo, CoresInfo, CrossVmInfo, Documented, Feature, FeaturesInfo, GicInfo, GuestInfo,
  GuestMode, HypervisorInfo, InterruptsInfo, PicInfo, Sel4Info, SmpInfo, TimerInfo, VirtioInfo, VmmSupport, VpciInfo,
} from './types';
import type { Field } from './yaml-read';
import { irq, irqList, readRegion, readSection, type Ctx } from './schema-common';

export function readSel4(ctx: Ctx, fld: Field | undefined): Sel4Info | undefined {
  const s = readSection(ctx, fld, 'sel4', ['platform', 'kernel_platform', 'kernel_archs'], ['arm_platform']);
  if (!s) return undefined;
  const { r } = ctx;
  const platform = r.str(s.f.get('platform'), 'sel4.platform');
  const kernelPlatform = r.str(s.f.get('kernel_platform'), 'sel4.kernel_platform');
  const armPlatform = r.str(s.f.get('arm_platform'), 'sel4.arm_platform');
  const kernelArchs = r.strList(s.f.get('kernel_archs'), 'sel4.kernel_archs');
  if (platform === undefined || kernelPlatform === undefined || kernelArchs === undefined) return undefined;
  return { ...s.prov, platform, kernelPlatform, armPlatform, kernelArchs };
}

export function readGuest(ctx: Ctx, fld: Field | undefined): GuestInfo | undefined {
  const s = readSection(ctx, fld, 'guest', ['modes'], []);
  if (!s) return undefined;
  const modes: GuestMode[] = [];
  for (const it of ctx.r.items(s.f.get('modes'), 'guest.modes') ?? []) {
    const m = ctx.r.oneOf<GuestMode>(it, 'each item of guest.modes', [32, 64]);
    if (m !== undefined) modes.push(m);
  }
  return { ...s.prov, modes };
}

const VMM: readonly VmmSupport[] = ['supported', 'untested', 'header-only', 'unsupported'];
export function readHypervisor(ctx: Ctx, fld: Field | undefined): (HypervisorInfo & { vmmField?: Field }) | undefined {
  const s = readSection(ctx, fld, 'hypervisor', ['kernel', 'vmm'], []);
  if (!s) return undefined;
  const kernel = ctx.r.bool(s.f.get('kernel'), 'hypervisor.kernel');
  const vmm = ctx.r.oneOf(s.f.get('vmm'), 'hypervisor.vmm', VMM);
  if (kernel === undefined || vmm === undefined) return undefined;
  return { ...s.prov, kernel, vmm, vmmField: s.f.get('vmm') };
}

export function readCores(ctx: Ctx, fld: Field | undefined): CoresInfo | undefined {
  const s = readSection(ctx, fld, 'cores', ['count', 'cpu'], []);
  if (!s) return undefined;
  const count = ctx.r.int(s.f.get('count'), 'cores.count', 1, 256);
  const cpu = ctx.r.str(s.f.get('cpu'), 'cores.cpu');
  if (count === undefined || cpu === undefined) return undefined;
  return { ...s.prov, count, cpu };
}

export function readSmp(ctx: Ctx, fld: Field | undefined): SmpInfo | undefined {
  const s = readSection(ctx, fld, 'smp', ['kernel', 'supported', 'max_vcpus'], ['build_error']);
  if (!s) return undefined;
  const kernel = ctx.r.bool(s.f.get('kernel'), 'smp.kernel');
  const supported = ctx.r.bool(s.f.get('supported'), 'smp.supported');
  const maxVcpus = ctx.r.int(s.f.get('max_vcpus'), 'smp.max_vcpus', 1, 256);
  const buildError = ctx.r.str(s.f.get('build_error'), 'smp.build_error');
  if (kernel === undefined || supported === undefined || maxVcpus === undefined) return undefined;
  return { ...s.prov, kernel, supported, maxVcpus, buildError };
}

export function readInterrupts(ctx: Ctx, fld: Field | undefined): InterruptsInfo | undefined {
  const s = readSection(ctx, fld, 'interrupts', ['max_irq', 'free'], []);
  if (!s) return undefined;
  const maxIrq = ctx.r.int(s.f.get('max_irq'), 'interrupts.max_irq', 1, 1019);
  const free = irqList(ctx, s.f.get('free'), 'interrupts.free', true);
  if (maxIrq === undefined || free === undefined) return undefined;
  return { ...s.prov, maxIrq, free };
}

const GIC_SIZE = 0x1000;
export function readGic(ctx: Ctx, fld: Field | undefined): GicInfo | undefined {
  const s = readSection(ctx, fld, 'gic', ['version', 'distributor', 'node'], ['cpu_interface', 'vcpu_control', 'vcpu_interface', 'redistributor']);
  if (!s) return undefined;
  const { r } = ctx;
  const version = r.oneOf<2 | 3>(s.f.get('version'), 'gic.version', [2, 3]);
  const frame = (key: string, what: string): number | undefined => {
    const f = s.f.get(key);
    const v = r.int(f, `gic.${key}`);
    if (v !== undefined && f) ctx.deviceRegions.push({ base: v, size: GIC_SIZE, what: `the GIC ${what} (gic.${key})`, pos: r.pos(f.src, r.node(f)) });
    return v;
  };
  const distributor = frame('distributor', 'distributor');
  const cpuInterface = frame('cpu_interface', 'CPU interface');
  const vcpuControl = frame('vcpu_control', 'vCPU control frame');
  const vcpuInterface = frame('vcpu_interface', 'vCPU interface');
  const redistributor = frame('redistributor', 'redistributor');
  const node = r.str(s.f.get('node'), 'gic.node');
  if (version === 2) {
    for (const k of ['cpu_interface', 'vcpu_control', 'vcpu_interface'])
      if (!s.f.has(k)) r.error(s.src, s.node, `missing required key '${k}' in gic (a GICv2 has a ${k.replace('_', ' ')} frame)`);
  }
  if (version === undefined || distributor === undefined || node === undefined) return undefined;
  return { ...s.prov, version, distributor, cpuInterface, vcpuControl, vcpuInterface, redistributor, node };
}

export function readPic(ctx: Ctx, fld: Field | undefined): PicInfo | undefined {
  const s = readSection(ctx, fld, 'pic', ['host_controller', 'max_ioapics', 'host_user_irqs', 'guest_pic_lines', 'guest_lapic', 'guest_ioapic', 'lines'], []);
  if (!s) return undefined;
  const { r } = ctx;
  const hostController = r.oneOf(s.f.get('host_controller'), 'pic.host_controller', ['ioapic', 'pic'] as const);
  const maxIoapics = r.int(s.f.get('max_ioapics'), 'pic.max_ioapics', 1);
  const range = r.intList(s.f.get('host_user_irqs'), 'pic.host_user_irqs');
  const rf = s.f.get('host_user_irqs');
  if (range && rf && (range.length !== 2 || range[0] > range[1])) r.error(rf.src, r.node(rf), 'expected pic.host_user_irqs to be [first, last] with first <= last');
  const guestPicLines = r.int(s.f.get('guest_pic_lines'), 'pic.guest_pic_lines', 1, 256);
  const guestLapic = r.bool(s.f.get('guest_lapic'), 'pic.guest_lapic');
  const guestIoapic = r.bool(s.f.get('guest_ioapic'), 'pic.guest_ioapic');
  const lines: Record<string, number> = {};
  const lf = s.f.get('lines');
  const lfs = lf ? r.fields(lf.src, r.resolve(lf.src, lf.value), 'pic.lines', lf.keyNode) : undefined;
  for (const [k, v] of lfs ?? []) {
    const n = irq(ctx, v, `pic.lines.${k}`);
    if (n !== undefined) lines[k] = n;
  }
  if (hostController === undefined || maxIoapics === undefined || !range || range.length !== 2 || guestPicLines === undefined || guestLapic === undefined || guestIoapic === undefined) return undefined;
  return { ...s.prov, hostController, maxIoapics, hostUserIrqs: { first: range[0], last: range[1] }, guestPicLines, guestLapic, guestIoapic, lines };
}

export function readTimer(ctx: Ctx, fld: Field | undefined): TimerInfo | undefined {
  const s = readSection(ctx, fld, 'timer', ['ppis', 'kernel_irq', 'vtimer_irq', 'frequency_hz'], []);
  if (!s) return undefined;
  const ppis = ctx.r.intList(s.f.get('ppis'), 'timer.ppis');
  const pf = s.f.get('ppis');
  if (ppis && pf && ppis.some((p) => p > 15)) ctx.r.error(pf.src, ctx.r.node(pf), 'expected timer.ppis to be PPI numbers 0-15 as the DTS writes them');
  const kernelIrq = irq(ctx, s.f.get('kernel_irq'), 'timer.kernel_irq');
  const vtimerIrq = irq(ctx, s.f.get('vtimer_irq'), 'timer.vtimer_irq');
  const frequencyHz = ctx.r.int(s.f.get('frequency_hz'), 'timer.frequency_hz', 1);
  if (!ppis || kernelIrq === undefined || vtimerIrq === undefined || frequencyHz === undefined) return undefined;
  return { ...s.prov, ppis, kernelIrq, vtimerIrq, frequencyHz };
}

export function readConsole(ctx: Ctx, fld: Field | undefined): ConsoleInfo | undefined {
  const s = readSection(ctx, fld, 'console', [], ['device', 'uart', 'ioport', 'irq', 'path', 'cmdline']);
  if (!s) return undefined;
  const { r } = ctx;
  const uart = readRegion(ctx, s.f.get('uart'), 'console.uart');
  if (uart) ctx.deviceRegions.push({ ...uart, what: 'the console UART (console.uart)' });
  return {
    ...s.prov,
    device: r.str(s.f.get('device'), 'console.device'),
    uart: uart && { base: uart.base, size: uart.size },
    ioport: r.int(s.f.get('ioport'), 'console.ioport', 0, 0xffff),
    irq: irq(ctx, s.f.get('irq'), 'console.irq'),
    path: r.str(s.f.get('path'), 'console.path'),
    cmdline: r.str(s.f.get('cmdline'), 'console.cmdline'),
  };
}

export function readVpci(ctx: Ctx, fld: Field | undefined): VpciInfo | undefined {
  const s = readSection(ctx, fld, 'vpci', ['cfg', 'io', 'mem', 'gic_address_cells', 'enabled'], []);
  if (!s) return undefined;
  const win = (k: 'cfg' | 'io' | 'mem') => {
    const g = readRegion(ctx, s.f.get(k), `vpci.${k}`);
    if (g) ctx.vpciRegions.push({ ...g, what: `the vPCI ${k} window (vpci.${k})` });
    return g && { base: g.base, size: g.size };
  };
  const cfg = win('cfg');
  const io = win('io');
  const mem = win('mem');
  const gicAddressCells = ctx.r.int(s.f.get('gic_address_cells'), 'vpci.gic_address_cells', 1, 2);
  const enabled = ctx.r.bool(s.f.get('enabled'), 'vpci.enabled');
  if (!cfg || !io || !mem || gicAddressCells === undefined || enabled === undefined) return undefined;
  return { ...s.prov, cfg, io, mem, window: mem, gicAddressCells, enabled };
}

export function readVirtio(ctx: Ctx, fld: Field | undefined): VirtioInfo | undefined {
  const s = readSection(ctx, fld, 'virtio', ['irqs', 'net', 'console'], []);
  if (!s) return undefined;
  const { r } = ctx;
  const irqs: { net?: number; console?: number; blk?: number; vsock?: number } = {};
  const f = s.f.get('irqs');
  const fs = f ? r.fields(f.src, r.resolve(f.src, f.value), 'virtio.irqs', f.keyNode) : undefined;
  if (f && fs) {
    r.checkKeys(f.src, r.node(f), fs, 'virtio.irqs', [], ['net', 'console', 'blk', 'vsock']);
    for (const k of ['net', 'console', 'blk', 'vsock'] as const) irqs[k] = irq(ctx, fs.get(k), `virtio.irqs.${k}`, true);
  }
  const net = r.bool(s.f.get('net'), 'virtio.net');
  const console = r.bool(s.f.get('console'), 'virtio.console');
  if (net === undefined || console === undefined) return undefined;
  return { ...s.prov, irqs, net, console };
}

export function readCrossVm(ctx: Ctx, fld: Field | undefined): (CrossVmInfo & { irqField?: Field }) | undefined {
  const s = readSection(ctx, fld, 'cross_vm', ['irq'], ['base']);
  if (!s) return undefined;
  const f = s.f.get('irq');
  const v = ctx.r.intOrNull(f, 'cross_vm.irq (a number, or null when the board has no free line)');
  if (typeof v === 'number' && f) ctx.irqs.push({ value: v, what: 'cross_vm.irq', fld: f, virtual: true });
  const base = ctx.r.int(s.f.get('base'), 'cross_vm.base');
  return { ...s.prov, irq: v ?? undefined, base, irqField: f };
}

const FORMATS: readonly BootFormat[] = ['elf', 'efi', 'uimage', 'binary', 'multiboot'];
export function readBoot(ctx: Ctx, fld: Field | undefined): BootInfo | undefined {
  const s = readSection(ctx, fld, 'boot', ['format', 'image'], []);
  if (!s) return undefined;
  const format = ctx.r.oneOf(s.f.get('format'), 'boot.format', FORMATS);
  const image = ctx.r.str(s.f.get('image'), 'boot.image');
  if (format === undefined || image === undefined) return undefined;
  return { ...s.prov, format, image };
}

const FEATURES = ['smp', 'multiple_vms', 'virtio_pci', 'virtio_console', 'virtio_net', 'cross_vm'] as const;
export function readFeatures(ctx: Ctx, fld: Field | undefined): FeaturesInfo | undefined {
  const s = readSection(ctx, fld, 'features', ['row'], ['guest_mode', 'notes', ...FEATURES]);
  if (!s) return undefined;
  const { r } = ctx;
  const rowF = s.f.get('row');
  const rowV = rowF ? r.scalar(rowF) : undefined;
  const row = rowV === null ? undefined : r.str(rowF, "features.row (the matrix row's name, or null when there is none)");
  const one = (k: (typeof FEATURES)[number]): Feature => {
    const f = s.f.get(k);
    if (!f) {
      if (row !== undefined) r.error(s.src, s.node, `missing required key '${k}' in features (the board has a matrix row)`);
      return { untested: false };
    }
    if (row === undefined && rowV === null) r.error(f.src, f.keyNode, `unexpected features.${k}: the board has no matrix row (row: null)`);
    const sv = r.scalar(f);
    if (typeof sv === 'string') return { documented: r.oneOf<Documented>(f, `features.${k}`, ['supported', 'unsupported']), untested: false };
    const node = r.resolve(f.src, f.value);
    const fs = r.fields(f.src, node, `features.${k} (supported, unsupported, or {documented, untested})`, f.keyNode);
    if (!fs) return { untested: false };
    r.checkKeys(f.src, node, fs, `features.${k}`, ['documented'], ['untested']);
    return {
      documented: r.oneOf<Documented>(fs.get('documented'), `features.${k}.documented`, ['supported', 'unsupported']),
      untested: r.bool(fs.get('untested'), `features.${k}.untested`) ?? false,
    };
  };
  return {
    ...s.prov,
    row,
    guestMode: r.str(s.f.get('guest_mode'), 'features.guest_mode'),
    smp: one('smp'),
    multipleVms: one('multiple_vms'),
    virtioPci: one('virtio_pci'),
    virtioConsole: one('virtio_console'),
    virtioNet: one('virtio_net'),
    crossVm: one('cross_vm'),
    notes: r.str(s.f.get('notes'), 'features.notes'),
  };
}
