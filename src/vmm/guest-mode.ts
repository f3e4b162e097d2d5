/**
 * Guest mode: which guest kernel image a VM boots (32- or 64-bit) and the build settings that
 * decide whether the VMM can run it (platforms.md 1.1, 3.5). Whether a guest of a mode actually
 * boots is never read from here: it comes from the VMM entering the image and the guest's own
 * boot-time checks (x86 CPUID exits, src/vmm/x86/cpuid.ts; Arm vCPU execution state).
 */

export type GuestBits = 32 | 64;

/** A guest kernel image as the VMM loads it from the file server / image list. */
export interface GuestKernelImage {
  /** Where upstream ships it (for messages and reports). */
  readonly name: string;
  readonly arch: 'x86' | 'arm';
  readonly bits: GuestBits;
  /** x86 32-bit kernels only: built with CONFIG_X86_PAE (needs PAE in CPUID at boot). */
  readonly pae?: boolean;
}

/**
 * The images the suite boots. x86: camkes-vm-linux's default kernels (Linux 4.8.16); the 64-bit
 * path is in the reference (images/kernel/64/default_bzimage_4.8.16), the 32-bit one is DERIVED
 * by symmetry; the PAE kernel is any i386 kernel with PAE on (Ubuntu's, platforms.md 3.5). Arm: a
 * 32-bit zImage (exynos5422 / tk1 images) or a 64-bit arm64 Image (tx1, tx2, qemu-arm-virt...).
 */
export const GUEST_KERNEL_IMAGES = {
  i386: { name: 'images/kernel/32/default_bzimage_4.8.16 (i386, PAE off)', arch: 'x86', bits: 32, pae: false },
  i386Pae: { name: 'i386 bzImage with CONFIG_X86_PAE', arch: 'x86', bits: 32, pae: true },
  x86_64: { name: 'images/kernel/64/default_bzimage_4.8.16 (x86_64)', arch: 'x86', bits: 64 },
  armZImage: { name: 'linux (32-bit Arm zImage)', arch: 'arm', bits: 32 },
  arm64Image: { name: 'linux (arm64 Image)', arch: 'arm', bits: 64 },
} as const satisfies Record<string, GuestKernelImage>;

/** The default image of a mode: x86 non-PAE i386 or x86_64; Arm zImage or arm64 Image. */
export function guestKernelImage(arch: 'x86' | 'arm', bits: GuestBits): GuestKernelImage {
  const g = GUEST_KERNEL_IMAGES;
  if (arch === 'x86') return bits === 64 ? g.x86_64 : g.i386;
  return bits === 64 ? g.arm64Image : g.armZImage;
}

/** The CMake cache values of an x86 VM build that decide its guest mode. */
export interface X86GuestSettings {
  /** KernelX86Sel4Arch / -DPLATFORM: `ia32` or `x86_64`. */
  readonly sel4Arch: string;
  /** KernelVTX (camkes_vm_settings.cmake forces it ON). */
  readonly vtx?: boolean;
  /** KernelX86_64VTX64BitGuests as the app sets it. */
  readonly vtx64BitGuests?: boolean;
}

export interface X86GuestBuild {
  /** CONFIG_X86_64_VTX_64BIT_GUESTS in the built kernel/VMM. */
  readonly vtx64BitGuests: boolean;
  /** Why a requested option did not take effect (null when it did, or was not requested). */
  readonly note: string | null;
}

/**
 * KernelX86_64VTX64BitGuests (default OFF) depends on KernelVTX and an x86_64 kernel (platforms.md
 * 3.5; the x86_64 half is from the option's name and the brief, UNCONFIRMED). seL4's
 * `config_option` with unmet DEPENDS silently forces the option to its default instead of failing
 * the configure step, so an ia32 build asking for 64-bit guests simply does not get them.
 */
export function configureX86Guests(s: X86GuestSettings): X86GuestBuild {
  const vtx = s.vtx ?? true;
  if (!s.vtx64BitGuests) return { vtx64BitGuests: false, note: null };
  if (!vtx) return { vtx64BitGuests: false, note: 'KernelX86_64VTX64BitGuests needs KernelVTX: forced OFF' };
  if (s.sel4Arch !== 'x86_64') return { vtx64BitGuests: false, note: `KernelX86_64VTX64BitGuests needs an x86_64 kernel (KernelX86Sel4Arch is ${s.sel4Arch}): forced OFF` };
  return { vtx64BitGuests: true, note: null };
}

/** A matrix "Guest Mode" cell from the modes that booted: "32-bit", "64-bit", "32-bit and 64-bit". */
export function guestModeText(booted: readonly GuestBits[]): string {
  return [...new Set(booted)].sort((a, b) => a - b).map((b) => `${b}-bit`).join(' and ');
}
