import type { Platform } from '../platform';

/**
 * The build-time SMP rules of a VM app (platforms.md §1.1, §1.2, §3.3): how `-DNUM_NODES`
 * becomes KernelMaxNumNodes, the configure-time refusal of SMP on some Arm platforms, and how the
 * VMM turns the VM's `num_vcpus` attribute into the number of vCPUs it creates. These are the
 * rules, not the boards' documented SMP status: the feature-matrix cell is never read here.
 */

/**
 * camkes-vm-examples:settings.cmake: the KernelARMPlatform values whose VM apps may not be built
 * with more than one node (a CMake FATAL_ERROR at configure time).
 */
export const SMP_FORBIDDEN_ARM_PLATFORMS: readonly string[] = ['exynos5422', 'exynos5410', 'tk1'];

/** The configure-time FATAL_ERROR text, `<KernelARMPlatform> does not support SMP VMs`. */
export const smpNotSupportedMessage = (armPlatform: string): string => `${armPlatform} does not support SMP VMs`;

/** VM_Arm main.c's two error logs about `num_vcpus` (platforms.md §1.2, verified wording). */
export const numVcpusExceedsMessage = (maxNodes: number): string =>
  `Invalid 'num_vcpus' attribute setting: Exceeds maximum number of supported nodes. Capping value to CONFIG_MAX_NUM_NODES (${maxNodes})`;
export const NUM_VCPUS_NOT_POSITIVE_MESSAGE = "Invalid 'num_vcpus' attribute setting: Can't have 0 or negative amount of vcpus. Capping value to 1 vcpu (default value)";

/**
 * Where VM_Arm logs those (ZF_LOGE). UNCONFIRMED: the reference gives the text and the file
 * (components/VM_Arm/src/main.c) but not the function or line; `main_continued` and line 0 are
 * this model's choice, kept here.
 */
export const NUM_VCPUS_LOG_SITE = { func: 'main_continued', file: 'main.c', line: 0 } as const;

/** Why an x86 VM has one vCPU whatever the node count (platforms.md §3.3). */
export const X86_SINGLE_VCPU_REASON = 'guest SMP on x86 is not implemented in libsel4vm (listed as future work); the VMM creates one vCPU';

/** A CMake FATAL_ERROR of the app's configure step: the build stops, nothing runs. */
export class SmpConfigureError extends Error {
  override readonly name = 'SmpConfigureError';
}

/**
 * KernelMaxNumNodes from the NUM_NODES cache value: the number when it is a plain decimal
 * (regex `^[0-9]+$`), else 1; an absent NUM_NODES is 1.
 */
export function kernelMaxNumNodes(numNodes: string | undefined): number {
  if (numNodes === undefined || !/^[0-9]+$/.test(numNodes)) return 1;
  return Number.parseInt(numNodes, 10);
}

/** KernelARMPlatform: the board's `sel4.arm_platform`, else its PLATFORM value (tk1, tx2, ...). */
export function kernelArmPlatform(p: Platform): string {
  return p.sel4.armPlatform ?? p.sel4.platform;
}

export interface SmpBuildInput {
  readonly platform: Platform;
  /** The `-DNUM_NODES=` value as given on the command line (a string: the rule looks at its spelling). */
  readonly numNodes?: string;
  /** The VM instance's `num_vcpus` attribute (VM_Arm default 1). */
  readonly numVcpus?: number;
}

export interface SmpBuild {
  readonly kernelMaxNumNodes: number;
  /** vCPUs the VMM creates for the VM. */
  readonly vcpus: number;
  /** The VMM's error log about `num_vcpus`, printed when it starts; null when the value is used as is. */
  readonly log: string | null;
  /** Why the count differs from `num_vcpus` on this architecture (x86), or null. */
  readonly note: string | null;
}

/**
 * Configures the app for a board: KernelMaxNumNodes, then (Arm) the SMP refusal, then the vCPU
 * count the VMM will use. Throws `SmpConfigureError` with upstream's message when the configure
 * step fails.
 */
export function configureSmp(o: SmpBuildInput): SmpBuild {
  const nodes = kernelMaxNumNodes(o.numNodes);
  if (nodes < 1) {
    // UNCONFIRMED: the settings rule passes "0" through; seL4 cannot be built for zero nodes.
    // The wording is this model's.
    throw new SmpConfigureError(`KernelMaxNumNodes must be at least 1 (NUM_NODES=${o.numNodes})`);
  }
  if (o.platform.family === 'x86') return { kernelMaxNumNodes: nodes, vcpus: 1, log: null, note: X86_SINGLE_VCPU_REASON };
  const arm = kernelArmPlatform(o.platform);
  if (nodes > 1 && SMP_FORBIDDEN_ARM_PLATFORMS.includes(arm)) throw new SmpConfigureError(smpNotSupportedMessage(arm));
  const v = vmmVcpuCount(o.numVcpus ?? 1, nodes);
  return { kernelMaxNumNodes: nodes, vcpus: v.vcpus, log: v.log, note: null };
}

/**
 * VM_Arm main.c: `num_vcpus` above CONFIG_MAX_NUM_NODES is capped to it, zero or negative
 * becomes 1; each with its error log, neither fatal.
 */
export function vmmVcpuCount(numVcpus: number, maxNumNodes: number): { vcpus: number; log: string | null } {
  if (!Number.isInteger(numVcpus)) throw new RangeError(`num_vcpus must be an integer, got ${numVcpus}`);
  if (numVcpus > maxNumNodes) return { vcpus: maxNumNodes, log: numVcpusExceedsMessage(maxNumNodes) };
  if (numVcpus <= 0) return { vcpus: 1, log: NUM_VCPUS_NOT_POSITIVE_MESSAGE };
  return { vcpus: numVcpus, log: null };
}
