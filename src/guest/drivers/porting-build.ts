/**
 * platforms.md §4's porting checklist decided by a simulated build of the board's VM apps (the
 * board file's `apps`), step by step, each item by the step that would fail upstream:
 *
 * | item | step | refusal |
 * | --- | --- | --- |
 * | `hypervisor-cpu` | kernel configure (KernelArmHypervisorSupport forced ON) | seL4's CPU rule (src/vmm/arm/gic-support.ts) |
 * | `gicv2` | VM_Arm compiled: an `ArmVmm` constructed for the board | gicv2.h's `#error` (gic-support.ts) |
 * | `devices-match-dts` | each VM's `dtb`/`untyped_mmios` planned, realised and routed into its running VMM | the planner's or the kernel's positioned error |
 * | `guest-images` | the VMM loads the guest images at the VM's addresses | `GUEST_IMAGE_ERRORS` below |
 *
 * A step runs only once the earlier ones passed: an item behind a failed step reports that step's
 * refusal ("the build stopped at ..."). `portingChecklist` (src/platform/new-board.ts) stays the
 * static reading of the board file that `vmconf new-board` prints.
 */
import { DiagnosticError, formatDiagnostic } from '../../diagnostics';
import { Kernel } from '../../sel4';
import { loadDeviceTree, type ArmVm, type Platform } from '../../platform';
import type { ChecklistItem, ChecklistItemId } from '../../platform/new-board';
import { ArmVmm } from '../../vmm/arm';
import { requireHypervisorSupport } from '../../vmm/arm/gic-support';
import { armConfigFromBoard, checkIrqClaims, deviceUntypeds, planArm, type ArmPassthroughPlan } from '../../vmm/passthrough';
import { routeArm } from '../../vmm/passthrough/route-arm';
import { PassthroughGuest } from './passthrough-guest';

export const PORTING_STEPS: readonly ChecklistItemId[] = ['hypervisor-cpu', 'gicv2', 'devices-match-dts', 'guest-images'];

const STEP_NAME: Record<ChecklistItemId, string> = {
  'hypervisor-cpu': 'the kernel configure step',
  gicv2: 'compiling VM_Arm',
  'devices-match-dts': 'routing the VMs\' passthrough devices',
  'guest-images': 'loading the guest images',
};

/**
 * What the VMM prints when it cannot load a guest image. UNCONFIRMED: the reference gives no
 * wording for VM_Arm's image loading failures; these are the model's, kept here alone.
 */
export const GUEST_IMAGE_ERRORS = {
  noImage: (plat: string) => `no guest images for ${plat} (camkes-vm-images/${plat}: linux, rootfs.cpio.gz, linux-dtb)`,
  noBootImage: (plat: string) => `no seL4 boot image format for ${plat}`,
  outsideRam: (vm: string, what: string, at: number, ram: { base: number; size: number }) =>
    `${vm}: ${what} at ${hex(at)} is outside guest RAM ${hex(ram.base)}-${hex(ram.base + ram.size - 1)}`,
  overlap: (vm: string, a: string, b: string) => `${vm}: the ${a} overlaps the ${b}`,
} as const;

const hex = (n: number) => `0x${n.toString(16)}`;

interface ArmVmOf {
  readonly app: string;
  readonly vm: ArmVm;
}

function armVms(p: Platform): ArmVmOf[] {
  return Object.values(p.apps).flatMap((a) => a.vms.filter((v): v is ArmVm => v.kind === 'arm').map((vm) => ({ app: a.name, vm })));
}

const messageOf = (e: unknown): string => (e instanceof DiagnosticError ? e.diagnostics.map(formatDiagnostic).join('; ') : e instanceof Error ? e.message : String(e));

/** A kernel and an `ArmVmm` for `vm` (a scratch 1 MiB VM when the board has no VM app), started and run until its modules ran. */
function bootVmm(p: Platform, name: string, base: number, plans: readonly ArmPassthroughPlan[], plan?: ArmPassthroughPlan): void {
  const kernel = new Kernel({
    arch: p.arch === 'aarch32' ? 'aarch32' : 'aarch64',
    seed: 1,
    untyped: [{ sizeBits: 30, count: 1, paddr: 0x1_0000_0000 }, ...deviceUntypeds(plans.map((x) => ({ ...x, regions: x.regions.filter((r) => r.role === 'device') })))],
  });
  const alloc = kernel.allocator();
  const cnode = alloc.must('CNode', `${name} cnode`, 14);
  const routing = plan ? routeArm({ kernel, platform: p, plan, cnode, alloc }) : undefined;
  const guest = new PassthroughGuest({ drivers: [], gicDistributor: p.gic?.distributor });
  const vmm = new ArmVmm({ kernel, platform: p, name, cnode, ram: { base, size: 0x100000 }, cmdline: '', serial: { write: () => undefined }, guest, modules: routing ? [routing.module] : [] });
  if (!plan) return;
  vmm.start();
  kernel.run({ until: () => guest.probed !== null, maxSteps: 2_000_000 });
  if (guest.probed === null) throw new Error(`${name}: the guest did not start after the VMM mapped its devices`);
}

function stepHypervisor(p: Platform): string {
  requireHypervisorSupport(p);
  return `${p.coresInfo.cpu}: seL4 configures with KernelArmHypervisorSupport`;
}

function stepGic(p: Platform): string {
  const first = armVms(p)[0]?.vm;
  bootVmm(p, first?.name ?? 'vm0', first?.ram.base ?? 0x40000000, []);
  return `VM_Arm compiles for ${p.sel4.kernelPlatform} (libsel4vm gicv2.h has its GIC base address)`;
}

function stepDevices(p: Platform): { reason: string; notes: string[] } {
  const vms = armVms(p);
  if (!vms.length) throw new Error(`no VMM app for ${p.name} declares a VM's devices (dtb, untyped_mmios), so there is nothing to build`);
  const tree = loadDeviceTree(p);
  const notes: string[] = [];
  for (const { app, vm } of vms) {
    const at = `${app}/${vm.name}`;
    const plan = planArm(armConfigFromBoard(vm), { platform: p, tree });
    checkIrqClaims([plan]);
    // The vGIC maps the GICV frame at the guest's CPU-interface address; its cap comes from the VM's list.
    if (p.gic?.vcpuInterface !== undefined && !plan.regions.some((r) => r.role === 'gicv') && !vm.mmios.some((m) => Number(m.split(':')[0]) === p.gic!.vcpuInterface))
      throw new Error(`${at}: no untyped_mmios or mmios entry supplies the GICV frame ${hex(p.gic.vcpuInterface)} the vGIC maps for the guest`);
    for (const u of plan.unmatched) notes.push(`${at}: ${u.what} matches no node (no resources, as upstream)`);
    bootVmm(p, vm.name, vm.ram.base, [plan], plan);
  }
  return { reason: `${vms.length} VM(s) planned against ${p.name}.dts, routed and mapped by their VMMs`, notes };
}

function stepImages(p: Platform): string {
  const E = GUEST_IMAGE_ERRORS;
  if (!p.guest.modes.length) throw new Error(E.noImage(p.name));
  if (!p.boot.image) throw new Error(E.noBootImage(p.name));
  const vms = armVms(p);
  if (!vms.length) throw new Error(`no VMM app for ${p.name} gives guest RAM, DTB and initrd addresses`);
  for (const { vm } of vms) {
    const ram = { base: vm.ram.base, size: vm.ram.size };
    const inRam = (a: number) => a >= ram.base && a < ram.base + ram.size;
    const placed: { what: string; at: number; end: number }[] = [];
    const place = (what: string, at: number | undefined, size: number) => {
      if (at === undefined) return;
      if (!inRam(at) || !inRam(at + size - 1)) throw new Error(E.outsideRam(vm.name, what, at, ram));
      const clash = placed.find((x) => at < x.end && x.at < at + size);
      if (clash) throw new Error(E.overlap(vm.name, what, clash.what));
      placed.push({ what, at, end: at + size });
    };
    place('kernel entry', vm.entry, 1);
    place('initrd', vm.initrd, vm.initrdMax ?? 1);
    place('DTB', vm.dtb, 1);
  }
  return `${vms.length} VM(s): kernel entry, initrd and DTB inside guest RAM; ${p.boot.format} image ${p.boot.image}`;
}

/** Runs the build's steps in order; each item holds when its step passed. */
export function simulatePortingBuild(p: Platform): ChecklistItem[] {
  const out: ChecklistItem[] = [];
  let stopped: { id: ChecklistItemId; reason: string } | null = null;
  for (const id of PORTING_STEPS) {
    if (stopped) {
      out.push({ id, ok: false, reason: `the build stopped at ${STEP_NAME[stopped.id]}: ${stopped.reason}`, notes: [] });
      continue;
    }
    try {
      if (id === 'hypervisor-cpu') out.push({ id, ok: true, reason: stepHypervisor(p), notes: [] });
      else if (id === 'gicv2') out.push({ id, ok: true, reason: stepGic(p), notes: [] });
      else if (id === 'devices-match-dts') out.push({ id, ok: true, ...stepDevices(p) });
      else out.push({ id, ok: true, reason: stepImages(p), notes: [] });
    } catch (e) {
      const reason = messageOf(e);
      out.push({ id, ok: false, reason, notes: [] });
      stopped = { id, reason };
    }
  }
  return out;
}
