import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../platform';
import { Kernel, type Trace } from '../sel4';
import { ArmVmm, smpApp } from '../vmm/arm';
import { configureX86Guests, guestKernelImage, type GuestBits, type GuestKernelImage } from '../vmm/guest-mode';
import type { AppSpec } from './app';
import { guestVersions } from './gen2';
import { defaultGuestFactory, type ObservableGuest } from './build';
import { NoVmAppError } from '../vmm/arm/no-vm-app';

/** How a run chooses its guest image (BuildOptions): by mode, or an explicit image. */
export interface GuestModeOptions {
  /** Boot the default image of this mode instead of the one the app's configuration implies. */
  readonly guestMode?: GuestBits;
  /** Boot this image (wins over `guestMode`), e.g. an i386 kernel with PAE on. */
  readonly guestImage?: GuestKernelImage;
  /**
   * CMake cache values that override the app's own `set(...)` lines, as an edited app would:
   * `{ KernelX86Sel4Arch: 'x86_64', KernelX86_64VTX64BitGuests: 'ON' }` is minimal_64's setting.
   */
  readonly kernelConfig?: Readonly<Record<string, string>>;
}

export interface ResolvedGuestMode {
  readonly image: GuestKernelImage;
  /** x86: CONFIG_X86_64_VTX_64BIT_GUESTS as built; false on Arm. */
  readonly vtx64BitGuests: boolean;
  /** Why a requested option did not take effect (seL4's config_option DEPENDS), else null. */
  readonly note: string | null;
}

const CMAKE_FILES = ['settings.cmake', 'app_settings.cmake', 'CMakeLists.txt'];

/**
 * The `set(<Name> <value> ...)` lines of an app's CMake files (later files and lines win), the
 * way upstream apps set kernel options (`set(KernelX86Sel4Arch ia32 CACHE STRING "" FORCE)`).
 * Only literal values are read; `${...}` references and conditions are not evaluated.
 */
export function appCmakeSettings(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of CMAKE_FILES) {
    const p = join(dir, f);
    if (!existsSync(p)) continue;
    for (const m of readFileSync(p, 'utf8').matchAll(/^\s*set\(\s*([A-Za-z_][A-Za-z0-9_]*)\s+("[^"]*"|[^\s)]+)/gim)) out.set(m[1], m[2].replace(/^"|"$/g, ''));
  }
  return out;
}

const cmakeTrue = (v: string | undefined) => v !== undefined && /^(on|yes|true|y|[1-9]\d*)$/i.test(v.trim());

/**
 * The guest image of an app's run. x86: KernelX86Sel4Arch and KernelX86_64VTX64BitGuests from the
 * app's CMake files (overridden by `kernelConfig`) decide whether the build supports 64-bit guests,
 * and camkes-vm-linux then picks the 64-bit default kernel (platforms.md 3.5), else the 32-bit one.
 * Arm: the build's width (AARCH64 builds on aarch64 boards, arm_hyp on aarch32 ones, platforms.md
 * 1.1) and the board's image of that width.
 */
export function resolveGuestMode(app: AppSpec, platform: Platform, o: GuestModeOptions): ResolvedGuestMode {
  if (platform.family === 'arm') {
    const bits = o.guestMode ?? (platform.arch === 'aarch64' ? 64 : 32);
    return { image: o.guestImage ?? guestKernelImage('arm', bits), vtx64BitGuests: false, note: null };
  }
  const cmake = appCmakeSettings(app.dir);
  const get = (k: string) => o.kernelConfig?.[k] ?? cmake.get(k);
  const build = configureX86Guests({ sel4Arch: get('KernelX86Sel4Arch') ?? platform.arch, vtx64BitGuests: cmakeTrue(get('KernelX86_64VTX64BitGuests')) });
  const bits = o.guestMode ?? (build.vtx64BitGuests ? 64 : 32);
  return { image: o.guestImage ?? guestKernelImage('x86', bits), vtx64BitGuests: build.vtx64BitGuests, note: build.note };
}

/**
 * Boot untypeds of the Arm guest-mode system: a VMM takes its guest RAM pool as one untyped, and
 * board RAM layouts reach 1 GiB (tk1).
 */
const ARM_UNTYPED = [{ sizeBits: 31, count: 2, paddr: 0x1_0000_0000 }];
const GUEST_RAM_CAP = 0x1000_0000;

/**
 * One Arm VM with the buildroot guest on a board that has no app of this repository: the VM_Arm
 * VMM built for the board (its width is the board's arch), guest RAM and command line from the
 * board's example-app layout (vm_minimal when it has one), booting `image`. Throws when no example
 * app targets the board (platforms.md 1.9).
 */
export class ArmGuestBoot {
  readonly kernel: Kernel;
  readonly vmm: ArmVmm;
  readonly guest: ObservableGuest;
  readonly app: string;
  private readonly out: { source: string; text: string }[] = [];

  constructor(readonly platform: Platform, readonly image: GuestKernelImage, seed = 1) {
    const target = smpApp(platform);
    if (!target || !platform.gic) throw new NoVmAppError(platform.name);
    this.app = target.app;
    this.kernel = new Kernel({ arch: platform.arch === 'aarch32' ? 'aarch32' : 'aarch64', seed, cores: 1, untyped: ARM_UNTYPED });
    const cnode = this.kernel.allocator().must('CNode', 'vm0 cnode', 12);
    this.guest = defaultGuestFactory({ vm: 'vm0', generation: 'none', files: new Map(), trace: this.kernel.trace, ...guestVersions(platform), gicDistributor: platform.gic.distributor, image });
    this.vmm = new ArmVmm({
      kernel: this.kernel,
      platform,
      name: 'vm0',
      cnode,
      // At most 256 MiB at the app's RAM base: a 32-bit kernel's largest untyped is 512 MiB and the
      // VMM takes its RAM pool as one untyped with its own pages; the guest model needs far less.
      ram: { base: target.vm.ram.base, size: Math.min(target.vm.ram.size, GUEST_RAM_CAP) },
      cmdline: target.vm.cmdline ?? '',
      serial: { write: (source, text) => void this.out.push({ source, text }) },
      guest: this.guest,
    });
  }

  get trace(): Trace {
    return this.kernel.trace;
  }

  /** Starts the VMM and runs until the login prompt, the VM's death, a halted guest or `limitNs`. */
  run(limitNs = 30e9): void {
    this.vmm.start();
    this.kernel.run({ until: () => this.guest.status().phase === 'login' || !this.vmm.vm.alive || this.kernel.now >= limitNs });
  }

  /** What `source` wrote to the serial output ('vm0' the guest console, 'vm0:vmm' the VMM). */
  text(source: string): string {
    return this.out.filter((o) => o.source === source).map((o) => o.text).join('');
  }
}
