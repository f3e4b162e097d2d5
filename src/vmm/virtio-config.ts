import type { Platform } from '../platform';

/**
 * The VMM build options that bring virtio in (camkes-vm components/VM_Arm/CMakeLists.txt,
 * reference platforms.md 1.6 "Build gates", verified lists).
 */
export type VirtioOption = 'VmPCISupport' | 'VmVirtioNetArping' | 'VmVirtioNetVirtqueue' | 'VmVirtioConsole';

export const VIRTIO_OPTIONS: readonly VirtioOption[] = ['VmPCISupport', 'VmVirtioNetArping', 'VmVirtioNetVirtqueue', 'VmVirtioConsole'];

/**
 * Each option's CMake DEPENDS on Arm: the KernelARMPlatform / KernelPlatform values it is allowed
 * for (platforms.md 1.6), and the option it needs first. The config names in messages
 * (`KernelPlatformExynos5422`...) follow seL4's `KernelPlatform<Name>` convention — UNCONFIRMED
 * spelling, kept here only.
 */
export const ARM_VIRTIO_GATES: Readonly<Record<VirtioOption, { readonly platforms: readonly string[]; readonly needs?: VirtioOption }>> = {
  VmPCISupport: { platforms: ['exynos5410', 'exynos5422', 'tx2', 'qemu-arm-virt', 'odroidc2', 'zynqmp'] },
  VmVirtioNetArping: { platforms: ['exynos5410', 'exynos5422', 'tx2', 'qemu-arm-virt', 'zynqmp'], needs: 'VmPCISupport' },
  VmVirtioNetVirtqueue: { platforms: ['exynos5410', 'exynos5422', 'tx2', 'qemu-arm-virt', 'zynqmp'], needs: 'VmPCISupport' },
  VmVirtioConsole: { platforms: ['exynos5410', 'exynos5422', 'qemu-arm-virt'], needs: 'VmPCISupport' },
};

const CMAKE_NAME: Readonly<Record<string, string>> = {
  exynos5410: 'KernelPlatformExynos5410',
  exynos5422: 'KernelPlatformExynos5422',
  tx2: 'KernelPlatformTx2',
  'qemu-arm-virt': 'KernelPlatformQEMUArmVirt',
  odroidc2: 'KernelPlatformOdroidc2',
  zynqmp: 'KernelPlatformZynqmp',
};

/** Where the gates live, for the error's `CMake Error at` line (line number UNCONFIRMED). */
export const VM_ARM_CMAKELISTS = 'camkes-vm/components/VM_Arm/CMakeLists.txt';

/** A virtio option the board's build refuses, or a board with no libvirtio header for it. */
export class VirtioBuildError extends Error {
  constructor(
    readonly option: VirtioOption | 'virtio_plat.h',
    message: string,
  ) {
    super(message);
    this.name = 'VirtioBuildError';
  }
}

/** The board names the gates are written in that apply to `p` (PLATFORM, KernelARMPlatform, KernelPlatform). */
function boardNames(p: Platform): string[] {
  return [p.sel4.platform, p.sel4.armPlatform, p.sel4.kernelPlatform].filter((x): x is string => !!x);
}

/**
 * The configure step for the virtio options an app enables: on Arm each option must be allowed
 * for the board and have what it depends on; a virtio device also needs the board's libvirtio
 * header (`virtio_plat.h`, the line the device interrupts on). Upstream's `config_option` with an
 * unmet DEPENDS forces the option OFF; the app that needs it then cannot work, so the model stops
 * the build with CMake-style wording (UNCONFIRMED text, `VirtioBuildError`). x86 Init builds the
 * devices on every pc99 board (fixed lines, platforms.md 3.3). Returns the options in effect.
 */
export function configureVirtio(p: Platform, options: readonly VirtioOption[]): ReadonlySet<VirtioOption> {
  const on = new Set(options);
  if (p.family === 'arm') {
    const names = boardNames(p);
    for (const opt of VIRTIO_OPTIONS) {
      if (!on.has(opt)) continue;
      const g = ARM_VIRTIO_GATES[opt];
      const depends = [...(g.needs ? [g.needs] : []), g.platforms.map((x) => CMAKE_NAME[x] ?? x).join(' OR ')].join('; ');
      const allowed = g.platforms.some((x) => names.includes(x));
      if (!allowed) throw new VirtioBuildError(opt, `CMake Error at ${VM_ARM_CMAKELISTS}: ${opt} is not available on ${p.sel4.armPlatform ?? p.sel4.platform} (depends on ${depends})`);
      if (g.needs && !on.has(g.needs)) throw new VirtioBuildError(opt, `CMake Error at ${VM_ARM_CMAKELISTS}: ${opt} needs ${g.needs} (depends on ${depends})`);
    }
  }
  const needIrq: [VirtioOption, 'net' | 'console'][] = [['VmVirtioNetVirtqueue', 'net'], ['VmVirtioNetArping', 'net'], ['VmVirtioConsole', 'console']];
  for (const [opt, kind] of needIrq) {
    if (on.has(opt) && p.virtio.irqs[kind] === undefined) {
      const dir = p.family === 'arm' ? `libs/libvirtio/plat_include/${p.sel4.kernelPlatform}/virtioarm` : 'components/Init/src';
      throw new VirtioBuildError('virtio_plat.h', `fatal error: ${dir}/virtio_plat.h: no ${kind} line for ${p.name} (${opt})`);
    }
  }
  return on;
}

/**
 * The virtio options an app's `settings.cmake` switches on: `set(<Option> ON CACHE BOOL "" FORCE)`
 * lines (camkes-vm-examples settings style), comments ignored.
 */
export function virtioOptionsIn(settingsCmake: string): VirtioOption[] {
  const out: VirtioOption[] = [];
  for (const raw of settingsCmake.split('\n')) {
    const line = raw.replace(/#.*$/, '');
    const m = /^\s*set\s*\(\s*(\w+)\s+ON\b/i.exec(line);
    if (m && (VIRTIO_OPTIONS as readonly string[]).includes(m[1]) && !out.includes(m[1] as VirtioOption)) out.push(m[1] as VirtioOption);
  }
  return out;
}
