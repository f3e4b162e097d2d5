import type { CpuidRegisters } from '../guest-machine';

/** VMX basic exit reason 10 (CPUID): CPUID always exits under VT-x, so the VMM decides what the guest sees. */
export const CPUID_EXIT_REASON = 10;

/** CPUID feature bits the guest-mode rules are about (Intel SDM vol. 2A, CPUID leaf 1 / 0x80000001). */
export const X86_FEATURE = {
  /** Leaf 1 EDX. */
  FPU: 1 << 0,
  PSE: 1 << 3,
  MSR: 1 << 5,
  PAE: 1 << 6,
  CX8: 1 << 8,
  PGE: 1 << 13,
  CMOV: 1 << 15,
  FXSR: 1 << 24,
  XMM: 1 << 25,
  XMM2: 1 << 26,
  /** Leaf 1 ECX. */
  VMX: 1 << 5,
  /** Leaf 0x80000001 EDX. */
  LM: 1 << 29,
} as const;

/** What the VMM's build says about guests: CONFIG_X86_64_VTX_64BIT_GUESTS (see src/vmm/guest-mode.ts). */
export interface CpuidConfig {
  readonly vtx64BitGuests: boolean;
}

type Regs = CpuidRegisters;

/**
 * The host CPU's own CPUID (what `native_cpuid` returns in the VMM). UNCONFIRMED: the reference
 * names no host CPU; these are an Intel Haswell desktop part's values (family 6 model 0x3c, the
 * CI's PC99 machine is called "haswell3", platforms.md 1.9). Leaves not listed read as zero.
 */
const HOST: ReadonlyMap<number, Regs> = new Map([
  // Max basic leaf 0xd, "GenuineIntel".
  [0x0, { eax: 0xd, ebx: 0x756e6547, ecx: 0x6c65746e, edx: 0x49656e69 }],
  [0x1, { eax: 0x000306c3, ebx: 0x00100800, ecx: 0x7ffafbff, edx: 0xbfebfbff }],
  [0x8000_0000, { eax: 0x8000_0008, ebx: 0, ecx: 0, edx: 0 }],
  // LAHF/SAHF, ABM; SYSCALL, NX, 1 GiB pages, RDTSCP, LM.
  [0x8000_0001, { eax: 0, ebx: 0, ecx: 0x21, edx: 0x2c100800 }],
]);

export function nativeCpuid(leaf: number): Regs {
  return HOST.get(leaf >>> 0) ?? { eax: 0, ebx: 0, ecx: 0, edx: 0 };
}

/**
 * Leaf 1 EDX features the VMM passes through whatever its build (libsel4vm cpuid.c follows KVM's
 * supported-feature words): FPU VME DE TSC MCE CX8 APIC SEP MTRR PGE MCA CMOV PAT PSE36 CLFLUSH
 * MMX FXSR SSE SSE2 SS. UNCONFIRMED beyond the three bits the reference names (PSE, MSR, PAE):
 * the list is KVM's, recalled, kept here only.
 */
const LEAF1_EDX_ALWAYS = [0, 1, 2, 4, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 19, 23, 24, 25, 26, 27].reduce((m, bit) => (m | (1 << bit)) >>> 0, 0);
/** Exposed only with CONFIG_X86_64_VTX_64BIT_GUESTS (platforms.md 3.5, libsel4vm cpuid.c). */
const LEAF1_EDX_64BIT_GUESTS = X86_FEATURE.PSE | X86_FEATURE.MSR | X86_FEATURE.PAE;
/** UNCONFIRMED: the guest is not offered VMX (no nested virtualisation); other ECX bits pass through. */
const LEAF1_ECX_HIDDEN = X86_FEATURE.VMX;

/**
 * libsel4vm's CPUID exit handler: the host's CPUID with the features the VMM cannot give the
 * guest masked out. Without 64-bit guest support PAE, PSE and MSR are hidden (leaf 1 EDX) and so
 * is long mode (leaf 0x80000001 EDX LM); with it they are exposed. Leaf 1 EBX[31:24] is the
 * vCPU's initial APIC id.
 */
export function vmCpuid(leaf: number, subleaf: number, cfg: CpuidConfig, vcpuId = 0): Regs {
  void subleaf; // no modelled leaf has sub-leaves; upstream passes ECX to native_cpuid too
  const n = nativeCpuid(leaf);
  switch (leaf >>> 0) {
    case 0x1: {
      const edxMask = LEAF1_EDX_ALWAYS | (cfg.vtx64BitGuests ? LEAF1_EDX_64BIT_GUESTS : 0);
      return { eax: n.eax, ebx: ((n.ebx & 0x00ffffff) | ((vcpuId & 0xff) << 24)) >>> 0, ecx: (n.ecx & ~LEAF1_ECX_HIDDEN) >>> 0, edx: (n.edx & edxMask) >>> 0 };
    }
    case 0x8000_0001:
      return { ...n, edx: (cfg.vtx64BitGuests ? n.edx : n.edx & ~X86_FEATURE.LM) >>> 0 };
    default:
      return n;
  }
}
