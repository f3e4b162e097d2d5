/**
 * The VMM's virtual power device: the PSCI calls a guest makes with SMC to start and stop its
 * vCPUs (Arm PSCI 1.0, DEN0022; SMC Calling Convention function ids). The guest-facing call is
 * `GuestMachine.smc(fid, [x1, x2, x3])`, answered with x0..x3.
 *
 * UNCONFIRMED (the reference names the device but not its code): the set of functions handled,
 * the version reported and the return codes follow the PSCI specification, as a guest kernel
 * expects them; libsel4vm's exact coverage is not in the reference. Everything is kept here.
 */

/** PSCI function ids. `_64` ids use the SMC64 convention (only from an AArch64 guest). */
export const PSCI_FN = {
  VERSION: 0x84000000,
  CPU_OFF: 0x84000002,
  CPU_ON_32: 0x84000003,
  CPU_ON_64: 0xc4000003,
  AFFINITY_INFO_32: 0x84000004,
  AFFINITY_INFO_64: 0xc4000004,
  SYSTEM_OFF: 0x84000008,
} as const;

/** PSCI return codes (signed, as the guest reads x0). */
export const PSCI_RET = {
  SUCCESS: 0,
  NOT_SUPPORTED: -1,
  INVALID_PARAMETERS: -2,
  DENIED: -3,
  ALREADY_ON: -4,
} as const;

/** AFFINITY_INFO results. */
export const AFFINITY_STATE = { ON: 0, OFF: 1, ON_PENDING: 2 } as const;

/** PSCI_VERSION's answer: major in bits 31:16, minor in 15:0. UNCONFIRMED: 1.0 chosen. */
export const PSCI_VERSION_VALUE = 0x00010000;

/** MPIDR affinity fields Aff3 (39:32), Aff2 (23:16), Aff1 (15:8), Aff0 (7:0), as a guest passes them. */
const AFF0 = 0xff;

/**
 * The MPIDR affinity value of vCPU `i`: Aff0 = i, the higher levels 0. UNCONFIRMED: libsel4vm's
 * VMPIDR value is not in the reference; a flat cluster is what a guest DTB's `cpu@N` reg = N
 * describes.
 */
export function mpidrOf(vcpu: number): number {
  return vcpu & AFF0;
}

/** The vCPU an MPIDR names, or -1 (a higher affinity level set, or beyond Aff0). */
export function vcpuOfMpidr(mpidr: number): number {
  if (!Number.isInteger(mpidr) || mpidr < 0 || mpidr > AFF0) return -1;
  return mpidr;
}

export type PowerState = 'on' | 'off';

/** What the power device acts on: the VMM's vCPUs. */
export interface PowerHost {
  /** vCPUs the VMM created (the effective `num_vcpus`). */
  readonly numVcpus: number;
  /** Register width of the guest: SMC64 function ids are unknown to an AArch32 guest. */
  readonly wordBits: 32 | 64;
  state(vcpu: number): PowerState;
  /** Starts `vcpu` at `entry` with x0 = `contextId` (its thread runs the guest's secondary entry). */
  cpuOn(vcpu: number, entry: number, contextId: number): void;
}

/**
 * What the VMM does with the calling vCPU: resume it with x0..x3; leave it powered off (CPU_OFF
 * succeeded: it never returns); or stop the whole VM (SYSTEM_OFF).
 */
export type PsciOutcome = { readonly kind: 'return'; readonly x: readonly number[] } | { readonly kind: 'cpu-off' } | { readonly kind: 'system-off' };

const ret = (...x: number[]): PsciOutcome => ({ kind: 'return', x });

/** Names for traces and messages. */
export function psciName(fid: number): string {
  for (const [k, v] of Object.entries(PSCI_FN)) if (v === fid) return k;
  return `0x${(fid >>> 0).toString(16)}`;
}

/**
 * One SMC from a vCPU: function id `fid`, arguments x1..x3. Unknown ids (and SMC64 ids
 * from an AArch32 guest) return NOT_SUPPORTED, as the SMC Calling Convention's "unknown function".
 */
export function handlePsci(host: PowerHost, fid: number, args: readonly number[]): PsciOutcome {
  const smc64 = (fid >>> 30) & 1;
  if (smc64 && host.wordBits === 32) return ret(PSCI_RET.NOT_SUPPORTED);
  // SMC32 calls take their arguments from the low 32 bits of the registers.
  const a = (i: number): number => {
    const v = args[i] ?? 0;
    return smc64 ? v : v % 2 ** 32;
  };
  switch (fid >>> 0) {
    case PSCI_FN.VERSION:
      return ret(PSCI_VERSION_VALUE);
    case PSCI_FN.CPU_ON_32:
    case PSCI_FN.CPU_ON_64: {
      const target = vcpuOfMpidr(a(0));
      if (target < 0 || target >= host.numVcpus) return ret(PSCI_RET.INVALID_PARAMETERS);
      if (host.state(target) === 'on') return ret(PSCI_RET.ALREADY_ON);
      host.cpuOn(target, a(1), a(2));
      return ret(PSCI_RET.SUCCESS);
    }
    case PSCI_FN.CPU_OFF:
      return { kind: 'cpu-off' };
    case PSCI_FN.AFFINITY_INFO_32:
    case PSCI_FN.AFFINITY_INFO_64: {
      const target = vcpuOfMpidr(a(0));
      // Only affinity level 0 (a single vCPU) is modelled.
      if (target < 0 || target >= host.numVcpus || a(1) !== 0) return ret(PSCI_RET.INVALID_PARAMETERS);
      return ret(host.state(target) === 'on' ? AFFINITY_STATE.ON : AFFINITY_STATE.OFF);
    }
    case PSCI_FN.SYSTEM_OFF:
      return { kind: 'system-off' };
    default:
      return ret(PSCI_RET.NOT_SUPPORTED);
  }
}

// --- How an SMC reaches the VMM ----------------------------------------------------------------

/**
 * seL4_Fault_VCPUFault's label (after VMFault 5 and VGICMaintenance 6 in libsel4's Arm hyp
 * numbering; UNCONFIRMED like the kernel model's other labels). The kernel model has no VCPU
 * fault, so the vCPU thread delivers the same message itself with a Call on its fault endpoint:
 * MR0 = HSR, then x0..x3 (what the VMM would read with seL4_TCB_ReadRegisters). The reply's
 * registers are x0..x3 (seL4_TCB_WriteRegisters, then the fault reply resumes the vCPU).
 */
export const VCPU_FAULT_LABEL = 7;
/** Reply label telling the calling vCPU that CPU_OFF succeeded: it stops running the guest. */
export const CPU_OFF_REPLY_LABEL = 1;

/** HSR exception classes of SMC: EC 0x17 from AArch64, 0x13 from AArch32. */
export const HSR_EC = { SMC64: 0x17, SMC32: 0x13 } as const;

/** The HSR of an SMC #0 from a guest of this width: EC in 31:26, IL (32-bit instruction) in bit 25. */
export function smcHsr(wordBits: 32 | 64): number {
  return ((wordBits === 64 ? HSR_EC.SMC64 : HSR_EC.SMC32) * 2 ** 26 + 2 ** 25) >>> 0;
}

/**
 * Thrown out of `GuestMachine.smc` on the vCPU that called CPU_OFF: the guest's code on that vCPU
 * ends there (PSCI: CPU_OFF does not return). The vCPU's thread catches it and waits for CPU_ON.
 */
export class VcpuPoweredOff extends Error {
  constructor(readonly vcpu: number) {
    super(`vCPU ${vcpu} powered off (PSCI CPU_OFF)`);
  }
}
