import type { Command } from '../command';
import { EXIT } from '../command';
import { errorAt } from '../../diagnostics';
import { listBoards, loadAllPlatforms, loadPlatform, PLATFORMS_DIR, type Feature, type Platform, type Provenance } from '../../platform';

const hex = (n: number | undefined) => (n === undefined ? '-' : '0x' + n.toString(16));

function controller(p: Platform): string {
  if (p.gic) return `GICv${p.gic.version}`;
  return p.pic ? `PIC+${p.pic.hostController.toUpperCase()}` : '-';
}

function summaryRows(ps: readonly Platform[]): string {
  const head = ['board', 'arch', 'irq ctrl', 'cores', 'SMP VMs', 'cross-VM IRQ', 'VMM'];
  const rows = ps.map((p) => [p.name, p.arch, controller(p), String(p.cores), p.smp.supported ? 'yes' : 'no', p.crossVm.irq === undefined ? '-' : String(p.crossVm.irq), p.hypervisor.vmm]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()).join('\n') + '\n';
}

function marks(s: Provenance): string {
  const m: string[] = [];
  if (s.unconfirmed.length) m.push(`UNCONFIRMED: ${s.unconfirmed.join(', ')}`);
  for (const c of s.conflicts) m.push(`CONFLICT on ${c.key}: ${c.values.map((v) => `${String(v.value)} (${v.source})`).join(' vs ')}`);
  if (s.note) m.push(`note: ${s.note}`);
  return [...m.map((x) => `    ${x}`), `    source: ${s.source}`].join('\n');
}

function feature(f: Feature): string {
  return f.documented === undefined ? '-' : f.documented + (f.untested ? ' (untested)' : '');
}

/** One board in full, section by section, each with its source and its UNCONFIRMED/CONFLICT marks. */
function full(p: Platform): string {
  const out: string[] = [`${p.name}: ${p.title}${p.variantOf ? ` (variant of ${p.variantOf})` : ''}`, `  file: ${p.file}${p.dtsFile ? `, device tree ${p.dtsFile}` : ''}`];
  const sec = (title: string, lines: string[], s: Provenance) => out.push(`${title}`, ...lines.map((l) => `    ${l}`), marks(s));
  sec('seL4', [`PLATFORM ${p.sel4.platform}, KernelPlatform ${p.sel4.kernelPlatform}${p.sel4.armPlatform ? `, KernelARMPlatform ${p.sel4.armPlatform}` : ''}`, `arch ${p.arch}; kernel archs ${p.sel4.kernelArchs.join(', ')}`], p.sel4);
  sec('guest', [`modes: ${p.guest.modes.length ? p.guest.modes.map((m) => `${m}-bit`).join(', ') : 'none'}`], p.guest);
  sec('hypervisor', [`kernel ${p.hypervisor.kernel ? 'yes' : 'no'}, VMM ${p.hypervisor.vmm}`], p.hypervisor);
  sec('cores', [`${p.cores}: ${p.coresInfo.cpu}`], p.coresInfo);
  sec('SMP', [`kernel ${p.smp.kernel ? 'yes' : 'no'}, SMP VMs ${p.smp.supported ? 'yes' : 'no'}, max vCPUs ${p.smp.maxVcpus}`, ...(p.smp.buildError ? [`build error: ${p.smp.buildError}`] : [])], p.smp);
  sec('interrupts', [`max_irq ${p.maxIrq}; free lines ${p.interrupts.free.join(', ') || 'none'}`], p.interrupts);
  if (p.gic) sec('GIC', [`GICv${p.gic.version} node ${p.gic.node}`, `distributor ${hex(p.gic.distributor)}, CPU interface ${hex(p.gic.cpuInterface)}, vCPU control ${hex(p.gic.vcpuControl)}, vCPU interface ${hex(p.gic.vcpuInterface)}${p.gic.redistributor !== undefined ? `, redistributor ${hex(p.gic.redistributor)}` : ''}`], p.gic);
  if (p.pic) sec('PIC', [`host ${p.pic.hostController} (max ${p.pic.maxIoapics}), host user IRQs ${p.pic.hostUserIrqs.first}-${p.pic.hostUserIrqs.last}`, `guest: 8259 pair (${p.pic.guestPicLines} lines), LAPIC ${p.pic.guestLapic ? 'yes' : 'no'}, IOAPIC ${p.pic.guestIoapic ? 'yes' : 'no'}`, `lines: ${Object.entries(p.pic.lines).map(([k, v]) => `${k} ${v}`).join(', ')}`], p.pic);
  if (p.timer) sec('timer', [`PPIs ${p.timer.ppis.join(', ')}; kernel IRQ ${p.timer.kernelIrq}, vtimer ${p.timer.vtimerIrq}; ${p.timer.frequencyHz} Hz`], p.timer);
  const c = p.console;
  sec('console', [[c.device, c.uart ? `UART ${hex(c.uart.base)}` : undefined, c.ioport !== undefined ? `ioport ${hex(c.ioport)}` : undefined, c.irq !== undefined ? `IRQ ${c.irq}` : undefined, c.path, c.cmdline].filter(Boolean).join(', ') || 'unknown'], c);
  if (p.vpci) sec('vPCI', [`cfg ${hex(p.vpci.cfg.base)}, io ${hex(p.vpci.io.base)}, mem (window) ${hex(p.vpci.mem.base)}; GIC cells ${p.vpci.gicAddressCells}; VmPCISupport ${p.vpci.enabled ? 'allowed' : 'not allowed'}`], p.vpci);
  const vi = Object.entries(p.virtio.irqs).filter(([, v]) => v !== undefined);
  sec('virtio', [`lines: ${vi.map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; net ${p.virtio.net ? 'yes' : 'no'}, console ${p.virtio.console ? 'yes' : 'no'}`], p.virtio);
  sec('cross-VM', [`IRQ ${p.crossVm.irq ?? 'none'}${p.crossVm.base !== undefined ? `, base ${hex(p.crossVm.base)}` : ''}`], p.crossVm);
  sec('boot', [`${p.boot.format} ${p.boot.image}`], p.boot);
  const f = p.features;
  sec('feature matrix', f.row === undefined ? ['no row'] : [`row ${f.row}: guest ${f.guestMode ?? '-'}, SMP ${feature(f.smp)}, multiple VMs ${feature(f.multipleVms)}, virtio PCI ${feature(f.virtioPci)}, virtio console ${feature(f.virtioConsole)}, virtio net ${feature(f.virtioNet)}, cross-VM ${feature(f.crossVm)}`, ...(f.notes ? [`notes: ${f.notes}`] : [])], f);
  out.push(`apps: ${Object.keys(p.apps).join(', ') || 'none'}`);
  for (const a of Object.values(p.apps)) {
    out.push(`  ${a.name}`);
    for (const vm of a.vms) {
      if (vm.kind === 'arm') out.push(`    ${vm.name}: RAM ${hex(vm.ram.base)}+${hex(vm.ram.size)}${vm.ram.paddr !== vm.ram.base ? ` (paddr ${hex(vm.ram.paddr)})` : ''}, DTB ${hex(vm.dtb)}, initrd ${hex(vm.initrd)}, entry ${hex(vm.entry)}, vCPUs ${vm.numVcpus}, ${vm.dtbPassthrough.length} passthrough paths${vm.irqs.length ? `, irqs ${vm.irqs.join(', ')}` : ''}`);
      else out.push(`    ${vm.name}: RAM ${vm.ramMb} MiB, ${vm.pciDevices.length} PCI devices${vm.irqs.length ? `, IRQs ${vm.irqs.map((i) => `${i.name} pin ${i.source} -> ${i.dest}`).join(', ')}` : ''}`);
    }
    out.push(marks(a).replace(/^ {4}/gm, '      '));
  }
  return out.join('\n') + '\n';
}

export const platformsCommand: Command = {
  name: 'platforms',
  summary: 'list the boards and their key facts, or print one board in full',
  usage: `usage: vmconf platforms [<board>]

Without a board: one line per board under platforms/ (arch, interrupt controller, cores, whether
SMP VMs can be built, the cross-VM IRQ, and the documented CAmkES VMM support).
With a board: its whole description, each section with its source and any UNCONFIRMED or CONFLICT
marks from the reference.

Exit status: 0 on success, 1 when a board file is invalid or the board is unknown, 2 on a usage error.
`,
  async run(argv, io) {
    if (argv.length > 1 || argv.some((a) => a.startsWith('-'))) {
      io.err(`vmconf platforms: error: expected at most one board name\n\n${this.usage}`);
      return EXIT.usage;
    }
    if (argv.length === 0) {
      io.out(summaryRows(loadAllPlatforms()));
      return EXIT.ok;
    }
    const name = argv[0];
    if (!listBoards().includes(name)) throw errorAt({ file: '<command line>', line: 1, col: 1 }, `unknown board '${name}'; known boards: ${listBoards(PLATFORMS_DIR).join(', ')}`);
    io.out(full(loadPlatform(name)));
    return EXIT.ok;
  },
};
