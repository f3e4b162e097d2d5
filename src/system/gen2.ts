import type { Platform } from '../platform';

/**
 * What the build defines for the VMM's C on this board (the glue is compiled with the kernel's
 * autoconf.h): `CONFIG_PLAT_<X>` for the PLATFORM value and the kernel platform, upper-cased
 * with `-` as `_` (vm_cross_connector tests `CONFIG_PLAT_QEMU_ARM_VIRT`), and `CONFIG_ARCH_<FAMILY>`.
 */
export function boardDefines(p: Platform): Record<string, string> {
  const macro = (s: string) => `CONFIG_PLAT_${s.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  return { [macro(p.sel4.platform)]: '1', [macro(p.sel4.kernelPlatform)]: '1', [`CONFIG_ARCH_${p.family === 'arm' ? 'ARM' : 'X86'}`]: '1' };
}

/**
 * The guest kernel and the directory of its cross-VM modules per board (reference 8.3, 8.4):
 * qemu-arm-virt boots Linux 4.9.189 (arm64), exynos boards 4.14.87; the vm_cross_connector build
 * installs connection.ko under lib/modules/4.14.87 on both. Other Arm boards: 4.14.87
 * (UNCONFIRMED, their images are not described). x86: the tutorial's 4.8.16.
 */
export function guestVersions(p: Platform): { kernelVersion: string; moduleVersion: string } {
  if (p.family === 'x86') return { kernelVersion: '4.8.16', moduleVersion: '4.8.16' };
  return { kernelVersion: p.name === 'qemu-arm-virt' ? '4.9.189' : '4.14.87', moduleVersion: '4.14.87' };
}
