/**
 * What building an Arm VM app requires of the board before anything runs (platforms.md §1.1,
 * §1.3): the seL4 kernel configured with KernelArmHypervisorSupport (every VM app's
 * settings.cmake forces it ON, and seL4 allows it only on some cores), and libsel4vm's
 * `gicv2.h` knowing the platform's GIC base address (otherwise VM_Arm does not compile; only a
 * virtual GICv2 exists). The kernel-configure step calls `requireHypervisorSupport`, the
 * `ArmVmm` constructor calls `requireGicv2`, so a board failing either never gets a VMM.
 */
import { errorAt, type DiagnosticError } from '../../diagnostics';
import type { Platform } from '../../platform';

/** seL4 src/arch/arm/config.cmake: the cores KernelArmHypervisorSupport can be enabled for. */
export const HYPERVISOR_CPUS = ['Cortex-A15', 'Cortex-A35', 'Cortex-A53', 'Cortex-A55', 'Cortex-A57', 'Cortex-A72', 'Cortex-A76'] as const;

/** The rule as platforms.md §1.1 quotes seL4's config.cmake. */
export const HYPERVISOR_SUPPORT_RULE = 'KernelArmHypervisorSupport can only be enabled for Cortex-A15/A35/A53/A55/A57/A72/A76';

/** The board's CPU when it is one of HYPERVISOR_CPUS (the board file names it in free text, e.g. "4x Cortex-A72"). */
export function hypervisorCpu(p: Platform): string | undefined {
  const cpu = p.coresInfo.cpu.toLowerCase();
  return HYPERVISOR_CPUS.find((c) => new RegExp(`\\b${c.toLowerCase()}\\b`).test(cpu));
}

/** The kernel configure step of a VM app: refuses the board whose seL4 port cannot run as a hypervisor. */
export function requireHypervisorSupport(p: Platform): void {
  const e = hypervisorSupportError(p);
  if (e) throw e;
}

export function hypervisorSupportError(p: Platform): DiagnosticError | undefined {
  if (!hypervisorCpu(p)) return errorAt(p.coresInfo.pos, `${HYPERVISOR_SUPPORT_RULE}; ${p.name} has ${p.coresInfo.cpu} (KernelArmHypervisorSupport is forced ON by the VM app's settings.cmake)`);
  if (!p.hypervisor.kernel) return errorAt(p.hypervisor.pos, `seL4's ${p.sel4.kernelPlatform} port does not build with KernelArmHypervisorSupport, which the VM app's settings.cmake forces ON`);
  return undefined;
}

/** Where libsel4vm's vGIC expects the GIC frames (gicv2.h: GIC_PADDR plus the platform's offsets). */
export interface Gicv2Frames {
  readonly paddr: number;
  readonly distributor: number;
  readonly cpuInterface: number;
  readonly vcpuControl: number;
  readonly vcpuInterface: number;
}

type Layout = 'default' | 'qemu-arm-virt' | 'zynqmp';
const OFFSETS: Record<Layout, readonly [dist: number, cpu: number, gich: number, gicv: number]> = {
  default: [0x1000, 0x2000, 0x4000, 0x6000],
  'qemu-arm-virt': [0x0, 0x10000, 0x30000, 0x40000],
  zynqmp: [0x10000, 0x20000, 0x40000, 0x60000],
};

/**
 * gicv2.h's platform branches, by seL4 KernelPlatform (`sel4.kernel_platform` in the board file).
 * GIC_PADDR of qemu-arm-virt and zynqmp are the reference's; the others are DERIVED from the
 * boards' distributor addresses and the default layout (§1.3), and a unit test keeps every board
 * file's `gic` section equal to what this table gives.
 */
const GICV2_PLATFORMS: Readonly<Record<string, { readonly paddr: number; readonly layout: Layout }>> = {
  exynos5: { paddr: 0x10480000, layout: 'default' },
  tk1: { paddr: 0x50040000, layout: 'default' },
  tx1: { paddr: 0x50040000, layout: 'default' },
  tx2: { paddr: 0x03880000, layout: 'default' },
  'qemu-arm-virt': { paddr: 0x8000000, layout: 'qemu-arm-virt' },
  odroidc2: { paddr: 0xc4300000, layout: 'default' },
  zynqmp: { paddr: 0xf9000000, layout: 'zynqmp' },
};

/** The platforms gicv2.h has, as the reference lists them. */
export const GICV2_KNOWN_PLATFORMS: readonly string[] = Object.keys(GICV2_PLATFORMS);

export const GICV2_HEADER = 'libsel4vm/src/arch/arm/vgic/gicv2.h';
/**
 * UNCONFIRMED: the reference says only that gicv2.h "raises a compile error for any other
 * platform"; the `#error` text is this model's, kept here alone.
 */
export const GICV2_UNSUPPORTED_ERROR = '#error "Unsupported platform for GIC"';

export function gicv2Frames(p: Platform): Gicv2Frames | undefined {
  const e = GICV2_PLATFORMS[p.sel4.kernelPlatform];
  if (!e) return undefined;
  const [d, c, h, v] = OFFSETS[e.layout];
  return { paddr: e.paddr, distributor: e.paddr + d, cpuInterface: e.paddr + c, vcpuControl: e.paddr + h, vcpuInterface: e.paddr + v };
}

export function gicv2Error(p: Platform): DiagnosticError | undefined {
  if (gicv2Frames(p)) return undefined;
  const v3 = p.gic?.version === 3 ? `; ${p.name}'s GIC is a GICv3, and libsel4vm emulates only a virtual GICv2` : '';
  return errorAt(p.sel4.pos, `VM_Arm does not compile for KernelPlatform ${p.sel4.kernelPlatform}: ${GICV2_HEADER}: error: ${GICV2_UNSUPPORTED_ERROR} (GIC base addresses exist only for ${GICV2_KNOWN_PLATFORMS.join(', ')})${v3}`);
}

/** Called when an ArmVmm is constructed: the VMM of a board gicv2.h does not know was never built. */
export function requireGicv2(p: Platform): Gicv2Frames {
  const e = gicv2Error(p);
  if (e) throw e;
  return gicv2Frames(p)!;
}
