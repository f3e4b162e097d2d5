import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { DiagnosticError, errorAt } from '../diagnostics';
import { builtinBehaviours, readAppYaml as readComponentsYaml, registerAppComponents, timeServerFor } from '../camkes/components';
import { hasErrors, loadAndCheck } from '../camkes/check';
import { instantiate, type InstantiatedSystem } from '../camkes/instantiate';
import { loadPlatform, type Platform } from '../platform';
import type { Trace } from '../sel4';
import type { GuestOS } from '../vmm/guest-machine';
import { attachX86Vmm, isX86VmInstance, type X86Gen2, type X86Vmm } from '../vmm/x86';
import { PciBus } from '../vmm/pci';
import { ArmVmm } from '../vmm/arm';
import type { CrossVmGen1 } from '../vmm/crossvm/gen1';
import { readApp, type AppSpec } from './app';
import { attachArmVm, isArmVmInstance, registerVmArm, type ArmGen2 } from './arm';
import { guestVersions } from './gen2';
import { resolveGuestMode, type GuestModeOptions } from './guest-mode';
import type { GuestKernelImage } from '../vmm/guest-mode';
import { appVirtioOptions, SystemVirtio } from './virtio';
import { SystemPassthrough } from './passthrough';
import { boardMidr, configureAppSmp, kernelCores, type SmpBuildOptions } from './smp';
import { ConsoleWatch } from './console-watch';

/** A file in the guest's rootfs overlay, as `src/guest` takes it. */
export type GuestFile = string | Uint8Array | { readonly program: string } | { readonly module: string };

/** What the system needs of a guest beyond booting: its state, for the operator. */
export interface ObservableGuest extends GuestOS {
  status(): {
    readonly phase: string;
    readonly commands: readonly { readonly line: string; readonly status: number }[];
    /** The kernel image the guest booted (null before it booted; absent for a guest that does not say). */
    readonly image?: GuestKernelImage | null;
  };
}

export interface GuestRequest {
  readonly vm: string;
  readonly generation: 1 | 2 | 'none';
  readonly files: ReadonlyMap<string, GuestFile>;
  readonly trace: Trace;
  /** `uname -r` and the /lib/modules directory of the cross-VM modules (the board's guest image). */
  readonly kernelVersion?: string;
  readonly moduleVersion?: string;
  /** Arm: the GIC distributor the guest's device tree names (its request_irq unmasks lines there). */
  readonly gicDistributor?: number;
  /** Arm: the vPCI IO window, where the guest reaches virtio I/O BARs. */
  readonly pciIoBase?: number;
  /** The kernel image the VM boots (src/vmm/guest-mode.ts); default: the guest model's. */
  readonly image?: GuestKernelImage;
  /** Arm: MIDR_EL1 of the board's CPU (src/system/smp.ts), shown by the guest's secondary CPUs. */
  readonly midr?: number;
}

export type GuestFactory = (r: GuestRequest) => ObservableGuest;

export interface BuildOptions extends GuestModeOptions, SmpBuildOptions {
  readonly board: string;
  readonly seed?: number;
  /** Makes each VM's guest; default: `src/guest`'s `createBuildrootGuest`. */
  readonly guest?: GuestFactory;
  /**
   * Build for any board of the app's architecture, not only the boards app.yaml lists (the
   * conformance steps run an x86 app's mechanism on every x86 board).
   */
  readonly anyBoardOfArch?: boolean;
}

export interface SystemVm {
  readonly name: string;
  /** x86 `Init` or Arm `VM_Arm` VMM: both have `vm`, `input(text)` and `start()`. */
  readonly vmm: X86Vmm | ArmVmm;
  readonly guest: ObservableGuest;
  readonly gen1?: CrossVmGen1;
  /** Generation-2 connections: x86 (reg_callback consume path) or Arm (async-event consume path). */
  readonly gen2?: X86Gen2 | ArmGen2;
}

export interface BuiltSystem {
  readonly app: AppSpec;
  readonly platform: Platform;
  readonly sys: InstantiatedSystem;
  readonly vms: readonly SystemVm[];
  /** The virtio devices and links (empty unless the app's settings.cmake enables virtio). */
  readonly virtio: SystemVirtio;
  /** Each VM's passthrough plan and its routing into the VMM (src/system/passthrough.ts). */
  readonly passthrough: SystemPassthrough;
  /** Spawns every thread (components, interface threads, VMMs). */
  start(): void;
}

/**
 * Boot untypeds for Arm systems: the kernel's default 8 x 512 MiB plus two 2 GiB ones, because a
 * VMM takes its guest RAM pool as one untyped (src/vmm/core createVmResources) and Arm guests
 * have up to 512 MiB of RAM (qemu-arm-virt), which with the VMM's pages needs a 1 GiB untyped.
 */
const ARM_BOOT_UNTYPED = [
  { sizeBits: 29, count: 8, paddr: 0x4000_0000 },
  { sizeBits: 31, count: 2, paddr: 0x1_0000_0000 },
];

/** Where diagnostics point: paths relative to the working directory, as a user typed them. */
const shown = (p: string) => relative(process.cwd(), p) || p;

/**
 * App directory → a system ready to run on `board`: app.yaml, the root `.camkes` loaded and
 * checked with the architecture's include directories, instantiated on a kernel for the board,
 * native components from the reference registry or the app's modules, and each VM instance given
 * its VMM and guest. Bad input is a `DiagnosticError` with positions.
 */
export function buildSystem(dir: string, o: BuildOptions): BuiltSystem {
  const app = readApp(dir);
  const platform = loadPlatform(o.board);
  if (!o.anyBoardOfArch && !app.boards.includes('all') && !app.boards.includes(o.board)) throw errorAt(app.boardsPos, `app '${app.name}' does not target board '${o.board}' (boards: ${app.boards.join(', ')})`);
  if (app.arch !== 'any' && app.arch !== platform.family) throw errorAt(app.boardsPos, `app '${app.name}' is for ${app.arch}, but board '${o.board}' is ${platform.family}`);
  // SMP configure step (src/system/smp.ts): NUM_NODES → KernelMaxNumNodes, or upstream's refusal.
  const smp = platform.family === 'arm' ? configureAppSmp(app, platform, o) : null;
  const virtioOptions = appVirtioOptions(app.dir, platform);
  const checked = loadAndCheck(app.root, { board: o.board, boardArch: platform.family });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (hasErrors(checked.diagnostics) || !checked.assembly) throw new DiagnosticError(errors.length ? errors : checked.diagnostics);
  // The board's TimeServer: one without a timer driver there (qemu-arm-virt) never serves, as the
  // multi-VM feature models it (src/camkes/components/time-server.ts, TIMESERVER_UNPORTED).
  const behaviours = registerAppComponents(readComponentsYaml(app.file), registerVmArm(builtinBehaviours().register('TimeServer', timeServerFor(o.board))));
  const passthrough = SystemPassthrough.forAssembly(checked.assembly, platform, app.generation !== 'none' && app.glue.length > 0);
  const sys = instantiate(checked.assembly, { arch: platform.arch, seed: o.seed ?? 1, cores: smp ? kernelCores(app, platform, o, smp) : platform.cores, behaviours, kernelOptions: passthrough.kernelOptions(platform.family === 'arm' ? { untyped: ARM_BOOT_UNTYPED } : undefined) });
  // The operator decides prompts from what reaches the serial output: watch it from the first byte.
  ConsoleWatch.of(sys.serial);
  const makeGuest = o.guest ?? defaultGuestFactory;
  const glue = app.glue.map((g) => ({ path: shown(g.path), text: readFileSync(g.path, 'utf8') }));
  const files = overlayFiles(app);
  const vms: SystemVm[] = [];
  const mode = resolveGuestMode(app, platform, o);
  const virtio = new SystemVirtio(sys, platform, virtioOptions);
  for (const name of sys.instances.keys()) {
    const arm = isArmVmInstance(sys, name);
    if (!arm && !isX86VmInstance(sys, name)) continue;
    const family = arm ? 'arm' : 'x86';
    if (platform.family !== family) throw errorAt(sys.instances.get(name)!.instance.pos, `${name} is an ${family === 'arm' ? 'Arm' : 'x86'} VM component, but board '${o.board}' is ${platform.family}`);
    const guest = makeGuest({ vm: name, generation: app.generation, files, trace: sys.kernel.trace, ...guestVersions(platform), gicDistributor: platform.gic?.distributor, pciIoBase: platform.vpci?.io.base, image: mode.image, midr: boardMidr(platform) ?? undefined });
    if (arm) {
      const vio = virtio.armModule(name);
      const pt = passthrough.armModule(sys, name);
      const a = attachArmVm(sys, name, { platform, appName: app.name, guest, glue, generation: app.generation, maxNumNodes: smp?.kernelMaxNumNodes, modules: [...(pt ? [pt] : []), ...(vio ? [vio] : [])] });
      vms.push({ name, vmm: a.vmm, guest, gen2: a.gen2 });
    } else {
      const a = attachX86Vmm(sys, name, { guest, glue, generation: app.generation, vtx64BitGuests: mode.vtx64BitGuests });
      passthrough.routeX86(sys, name, a.vmm, a.vmm.o.pci instanceof PciBus ? a.vmm.o.pci : undefined);
      vms.push({ name, vmm: a.vmm, guest, gen1: a.gen1, gen2: a.gen2 });
    }
  }
  virtio.link((n) => vms.find((v) => v.name === n && v.vmm instanceof ArmVmm)?.vmm as ArmVmm | undefined);
  let started = false;
  return {
    app, platform, sys, vms, virtio, passthrough,
    start() {
      if (started) return;
      started = true;
      sys.start();
      for (const v of vms) v.vmm.start();
    },
  };
}

/** The guest overlay: `guest.overlay` entries, then every file under the app's `overlay/` tree. */
export function overlayFiles(app: AppSpec): Map<string, GuestFile> {
  const files = new Map<string, GuestFile>();
  for (const e of app.overlay) files.set(e.guestPath, e.guestPath.endsWith('.ko') && e.file.endsWith('.c') ? { module: basename(e.file, '.c') } : guestFile(e.file));
  const tree = join(app.dir, 'overlay');
  if (existsSync(tree) && statSync(tree).isDirectory()) {
    const walk = (d: string) => {
      for (const n of readdirSync(d).sort()) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else files.set('/' + relative(tree, p).split('\\').join('/'), guestFile(p));
      }
    };
    walk(tree);
  }
  return files;
}

/**
 * A C source installed as a program is the program this project models under its name; a C
 * source installed at a `.ko` path (guest.overlay) is the module the guest models under its name.
 */
function guestFile(path: string): GuestFile {
  if (path.endsWith('.c')) return { program: basename(path, '.c') };
  if (path.endsWith('.ko')) return { module: basename(path, '.ko') };
  return readFileSync(path, 'utf8');
}

interface GuestModule {
  createBuildrootGuest?: (o: { generation: 1 | 2 | 'none'; files: Map<string, GuestFile>; trace?: Trace; kernelVersion?: string; moduleVersion?: string; gicDistributor?: number; pciIoBase?: number; image?: GuestKernelImage; midr?: number }) => ObservableGuest;
}

/** `src/guest`'s construction API (its README), loaded when first needed. */
export const defaultGuestFactory: GuestFactory = (r) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require('../guest') as GuestModule;
  if (typeof m.createBuildrootGuest !== 'function') throw new Error('src/guest does not export createBuildrootGuest yet');
  return m.createBuildrootGuest({ generation: r.generation, files: new Map(r.files), trace: r.trace, kernelVersion: r.kernelVersion, moduleVersion: r.moduleVersion, gicDistributor: r.gicDistributor, pciIoBase: r.pciIoBase, image: r.image, midr: r.midr });
};
