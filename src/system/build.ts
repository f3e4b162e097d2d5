import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { DiagnosticError, errorAt } from '../diagnostics';
import { builtinBehaviours, readAppYaml as readComponentsYaml, registerAppComponents } from '../camkes/components';
import { hasErrors, loadAndCheck } from '../camkes/check';
import { instantiate, type InstantiatedSystem } from '../camkes/instantiate';
import { loadPlatform, type Platform } from '../platform';
import type { Trace } from '../sel4';
import type { GuestOS } from '../vmm/guest-machine';
import { attachX86Vmm, isX86VmInstance, type X86Vmm } from '../vmm/x86';
import type { CrossVmGen1 } from '../vmm/crossvm/gen1';
import { readApp, type AppSpec } from './app';

/** A file in the guest's rootfs overlay, as `src/guest` takes it. */
export type GuestFile = string | Uint8Array | { readonly program: string } | { readonly module: string };

/** What the system needs of a guest beyond booting: its state, for the operator. */
export interface ObservableGuest extends GuestOS {
  status(): { readonly phase: string; readonly commands: readonly { readonly line: string; readonly status: number }[] };
}

export interface GuestRequest {
  readonly vm: string;
  readonly generation: 1 | 2 | 'none';
  readonly files: ReadonlyMap<string, GuestFile>;
  readonly trace: Trace;
}

export type GuestFactory = (r: GuestRequest) => ObservableGuest;

export interface BuildOptions {
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
  readonly vmm: X86Vmm;
  readonly guest: ObservableGuest;
  readonly gen1?: CrossVmGen1;
}

export interface BuiltSystem {
  readonly app: AppSpec;
  readonly platform: Platform;
  readonly sys: InstantiatedSystem;
  readonly vms: readonly SystemVm[];
  /** Spawns every thread (components, interface threads, VMMs). */
  start(): void;
}

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
  const checked = loadAndCheck(app.root, { board: o.board, boardArch: platform.family });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (hasErrors(checked.diagnostics) || !checked.assembly) throw new DiagnosticError(errors.length ? errors : checked.diagnostics);
  const behaviours = registerAppComponents(readComponentsYaml(app.file), builtinBehaviours());
  const sys = instantiate(checked.assembly, { arch: platform.arch, seed: o.seed ?? 1, cores: platform.cores, behaviours });
  const makeGuest = o.guest ?? defaultGuestFactory;
  const glue = app.glue.map((g) => ({ path: shown(g.path), text: readFileSync(g.path, 'utf8') }));
  const files = overlayFiles(app);
  const vms: SystemVm[] = [];
  for (const name of sys.instances.keys()) {
    if (!isX86VmInstance(sys, name)) continue;
    if (platform.family !== 'x86') throw errorAt(sys.instances.get(name)!.instance.pos, `${name} is an x86 VM component, but board '${o.board}' is ${platform.family}`);
    const guest = makeGuest({ vm: name, generation: app.generation, files, trace: sys.kernel.trace });
    const a = attachX86Vmm(sys, name, { guest, glue, generation: app.generation });
    vms.push({ name, vmm: a.vmm, guest, gen1: a.gen1 });
  }
  let started = false;
  return {
    app, platform, sys, vms,
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
  for (const e of app.overlay) files.set(e.guestPath, guestFile(e.file));
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

/** A C source installed as a program is the program this project models under its name. */
function guestFile(path: string): GuestFile {
  if (path.endsWith('.c')) return { program: basename(path, '.c') };
  if (path.endsWith('.ko')) return { module: basename(path, '.ko') };
  return readFileSync(path, 'utf8');
}

interface GuestModule {
  createBuildrootGuest?: (o: { generation: 1 | 2 | 'none'; files: Map<string, GuestFile>; trace?: Trace }) => ObservableGuest;
}

/** `src/guest`'s construction API (its README), loaded when first needed. */
export const defaultGuestFactory: GuestFactory = (r) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require('../guest') as GuestModule;
  if (typeof m.createBuildrootGuest !== 'function') throw new Error('src/guest does not export createBuildrootGuest yet');
  return m.createBuildrootGuest({ generation: r.generation, files: new Map(r.files), trace: r.trace });
};
