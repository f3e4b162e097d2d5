import type { Blocking } from '../../sel4';
import type { GuestMachine } from '../../vmm/guest-machine';
import type { GuestKernelImage } from '../../vmm/guest-mode';

/**
 * Linux's boot-time CPU check (arch/x86/boot/cpucheck.c, cpu.c) as the x86 guest kernel image
 * runs it, and what happens on Arm when the vCPU enters an image built for the other execution
 * state. Whether a guest boots is decided here from what the VMM gives the vCPU (CPUID through
 * the VMM's exit handler; the vCPU's register width), never from a table of board facts.
 *
 * UNCONFIRMED (kept in this file): the x86 messages are Linux 4.8's arch/x86/boot/cpu.c wording,
 * recalled, not in the reference; and the CAmkES VMM may enter the kernel past the real-mode setup
 * code that prints them (its 64-bit kernels would then halt silently in startup_32's no_longmode
 * loop). The suite prints them because they say why the kernel stopped.
 */

/** Feature words of cpucheck.c: 0 = CPUID 1 EDX, 1 = CPUID 0x80000001 EDX. */
type Cap = { readonly word: 0 | 1; readonly bit: number; readonly name: string };
const CAP = {
  fpu: { word: 0, bit: 0, name: 'fpu' },
  pse: { word: 0, bit: 3, name: 'pse' },
  msr: { word: 0, bit: 5, name: 'msr' },
  pae: { word: 0, bit: 6, name: 'pae' },
  cx8: { word: 0, bit: 8, name: 'cx8' },
  pge: { word: 0, bit: 13, name: 'pge' },
  cmov: { word: 0, bit: 15, name: 'cmov' },
  fxsr: { word: 0, bit: 24, name: 'fxsr' },
  xmm: { word: 0, bit: 25, name: 'sse' },
  xmm2: { word: 0, bit: 26, name: 'sse2' },
  lm: { word: 1, bit: 29, name: 'lm' },
} as const satisfies Record<string, Cap>;

interface Requirements {
  /** CONFIG_X86_MINIMUM_CPU_FAMILY, or 64 for x86_64 kernels (REQUIRED_MASK1 has NEED_LM). */
  readonly level: number;
  /** required-features.h REQUIRED_MASK0/1, in cap order. */
  readonly caps: readonly Cap[];
}

/**
 * What each image requires (arch/x86/include/asm/required-features.h). x86_64: FPU PSE MSR PAE
 * CX8 PGE FXSR CMOV SSE SSE2 and LM. i386 with PAE: FPU PAE CX8 CMOV, family 5 (X86_PAE selects
 * X86_CMPXCHG64). i386 without PAE: FPU CMOV, family 4. UNCONFIRMED for the 32-bit kernels: the
 * shipped config's processor type is not in the reference (M686 assumed).
 */
export function requirementsOf(image: GuestKernelImage): Requirements {
  const c = CAP;
  if (image.bits === 64) return { level: 64, caps: [c.fpu, c.pse, c.msr, c.pae, c.cx8, c.pge, c.cmov, c.fxsr, c.xmm, c.xmm2, c.lm] };
  if (image.pae) return { level: 5, caps: [c.fpu, c.pae, c.cx8, c.cmov] };
  return { level: 4, caps: [c.fpu, c.cmov] };
}

/** cpu.c cpu_name(): 64 → "x86-64", else "i<level>86" (family 15 reads as 6). */
export function cpuName(level: number): string {
  return level === 64 ? 'x86-64' : `i${level === 15 ? 6 : level}86`;
}

/** The CPU as cpuflags.c get_cpuflags() sees it through CPUID. */
export interface DetectedCpu {
  readonly level: number;
  readonly words: readonly [number, number];
}

export function* detectCpu(m: GuestMachine): Blocking<DetectedCpu> {
  const cpuid = m.cpuid!.bind(m);
  const max = (yield* cpuid(0, 0)).eax >>> 0;
  let level = 4; // a 486 or later: the AC flag toggles
  let word0 = 0;
  let word1 = 0;
  if (max >= 1 && max <= 0xffff) {
    const r = yield* cpuid(1, 0);
    level = (r.eax >>> 8) & 15;
    word0 = r.edx >>> 0;
  }
  const maxExt = (yield* cpuid(0x8000_0000, 0)).eax >>> 0;
  if (maxExt >= 0x8000_0001 && maxExt <= 0x8000_ffff) word1 = (yield* cpuid(0x8000_0001, 0)).edx >>> 0;
  if (word1 & (1 << CAP.lm.bit)) level = 64;
  return { level, words: [word0, word1] };
}

/**
 * validate_cpu(): the lines the boot code prints when the CPU lacks what the kernel needs, or
 * null when it may boot. A level shortfall is reported alone; otherwise the missing features,
 * each followed by a space as show_cap_strs() prints them.
 */
export function validateCpu(cpu: DetectedCpu, req: Requirements): string | null {
  const tail = 'Unable to boot - please use a kernel appropriate for your CPU.\n';
  if (cpu.level < req.level) return `This kernel requires an ${cpuName(req.level)} CPU, but only detected an ${cpuName(cpu.level)} CPU.\n${tail}`;
  const missing = req.caps.filter((c) => !((cpu.words[c.word] >>> c.bit) & 1));
  if (!missing.length) return null;
  return `This kernel requires the following features not present on the CPU:\n${missing.map((c) => `${c.name} `).join('')}\n${tail}`;
}

/**
 * Exception vector offsets the vCPU takes an undefined instruction to, from a vector base of 0
 * (UNCONFIRMED: VBAR's value when the VMM first enters the vCPU; every supported board's guest
 * RAM starts above it). AArch64: synchronous exception, current EL with SPx (+0x200);
 * AArch32: the undefined-instruction vector (+0x04).
 */
export const UNDEF_VECTOR = { 64: 0x200, 32: 0x04 } as const;

/**
 * Runs before the kernel proper: true when the image may go on booting. x86: the CPUID check;
 * a failing CPU gets the message on the boot console and the CPU halts (false). Arm: an image
 * whose instruction set is not the vCPU's execution state (an AArch32 zImage on an AArch64 VMM
 * build, or the reverse) faults on its first instruction; the vCPU fetches the exception vector,
 * which is not guest RAM, so the access faults to the VMM and the VMM decides (no return when
 * it stops the VM). If the vector were mapped the CPU would loop in exceptions: false, silently.
 */
export function* cpuEntryCheck(m: GuestMachine, image: GuestKernelImage): Blocking<boolean> {
  if (image.arch !== m.arch) throw new Error(`${m.name}: cannot boot the ${image.arch} image '${image.name}' on an ${m.arch} VM`);
  if (m.arch === 'arm') {
    if (image.bits === m.wordBits) return true;
    yield* m.read(UNDEF_VECTOR[m.wordBits], 4);
    return false;
  }
  // A machine without the CPUID exit (a unit-test stand-in) is taken to have every feature.
  if (!m.cpuid) return true;
  const failure = validateCpu(yield* detectCpu(m), requirementsOf(image));
  if (failure === null) return true;
  yield* m.consoleWrite(new TextEncoder().encode(failure));
  return false;
}
