import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorAt, LineMap, type SourcePos } from '../diagnostics';
import type { Platform } from '../platform';
import type { InstantiatedSystem } from '../camkes/instantiate';
import { configureSmp, SmpConfigureError, type SmpBuild } from '../vmm/smp-config';
import type { AppSpec } from './app';

/**
 * The SMP part of an app's configure step (platforms.md §1.1, §1.9): the NUM_NODES cache value
 * (the app's `settings.cmake` default, or `-DNUM_NODES=` as `BuildOptions.numNodes`), the app's
 * supported-platform check, then `configureSmp` (KernelMaxNumNodes, the refusal on exynos5422 /
 * exynos5410 / tk1). Both refusals are positioned errors carrying upstream's message.
 */

export interface SmpBuildOptions {
  /** `-DNUM_NODES=<value>` on the command line: wins over the app's settings.cmake default. */
  readonly numNodes?: string;
}

/** A CMake cache value set in the app's settings.cmake, with where it was set. */
interface CmakeValue {
  readonly value: string;
  readonly pos: SourcePos;
}

/** `set(<name> <value> ...)` in the app's settings.cmake (last one wins), unevaluated. */
function settingsValue(dir: string, name: string): CmakeValue | undefined {
  const file = join(dir, 'settings.cmake');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const lines = new LineMap(file, text);
  let found: CmakeValue | undefined;
  for (const m of text.matchAll(new RegExp(`^[ \\t]*set\\(\\s*${name}\\s+("[^"]*"|[^\\s)]+)`, 'gm'))) {
    found = { value: m[1].replace(/^"|"$/g, ''), pos: lines.pos(m.index! + m[0].indexOf(m[1])) };
  }
  return found;
}

/** The NUM_NODES the build uses: the option, else the app's settings.cmake default, else unset. */
export function appNumNodes(app: AppSpec, o: SmpBuildOptions): CmakeValue | undefined {
  if (o.numNodes !== undefined) return { value: o.numNodes, pos: { file: app.file, line: 1, col: 1 } };
  return settingsValue(app.dir, 'NUM_NODES');
}

/**
 * The app settings.cmake's FATAL_ERROR for a platform outside its `supported` list
 * (platforms.md §1.9): `PLATFORM: <plat> not supported.`, a line break, nine spaces and
 * `Supported: <list>` with `;` separators. Null when the list names the board or there is none.
 */
export function unsupportedPlatformMessage(app: AppSpec, platform: Platform): { message: string; pos: SourcePos } | null {
  const s = settingsValue(app.dir, 'supported');
  if (!s) return null;
  const list = s.value.split(';').filter(Boolean);
  if (list.includes(platform.name)) return null;
  return { message: `PLATFORM: ${platform.name} not supported.\n         Supported: ${s.value}`, pos: s.pos };
}

/**
 * The configure step of an Arm app for SMP: KernelMaxNumNodes from NUM_NODES, refused with
 * `<KernelARMPlatform> does not support SMP VMs` (positioned at the NUM_NODES setting) on the
 * platforms upstream forbids. x86 apps get KernelMaxNumNodes and one vCPU per VM.
 */
export function configureAppSmp(app: AppSpec, platform: Platform, o: SmpBuildOptions): SmpBuild {
  const n = appNumNodes(app, o);
  try {
    return configureSmp({ platform, numNodes: n?.value });
  } catch (e) {
    if (e instanceof SmpConfigureError) throw errorAt(n?.pos ?? { file: app.file, line: 1, col: 1 }, e.message);
    throw e;
  }
}

/**
 * What the configuration asks of VM instance `vm` of a system built from `app`: configureSmp with
 * the build's NUM_NODES and the instance's `num_vcpus` attribute (VM_INIT_DEF default 1), the same
 * two values the build hands that instance's VMM (src/system/arm.ts). Scenarios compare what the
 * guest actually brought up against this. Throws when the system has no instance `vm`.
 */
export function configuredVmSmp(app: AppSpec, platform: Platform, o: SmpBuildOptions, sys: InstantiatedSystem, vm: string): SmpBuild {
  const is = sys.instances.get(vm);
  if (!is) throw new Error(`no instance '${vm}' in ${app.name}'s assembly`);
  return configureSmp({ platform, numNodes: appNumNodes(app, o)?.value, numVcpus: is.runtime.int('num_vcpus') ?? 1 });
}

/**
 * Cores of the kernel model for the build: KernelMaxNumNodes when the build sets NUM_NODES,
 * else the board's core count. UNCONFIRMED modelling choice: an upstream build without NUM_NODES
 * runs seL4 on one core; apps here that do not set it keep the core count they ran with before
 * SMP was modelled (their VMs have one vCPU either way).
 */
export function kernelCores(app: AppSpec, platform: Platform, o: SmpBuildOptions, smp: SmpBuild): number {
  return appNumNodes(app, o) === undefined ? platform.cores : smp.kernelMaxNumNodes;
}

/**
 * MIDR_EL1 of the board's CPU as the guest reads it (VPIDR = the host's), from the board's CPU
 * description. UNCONFIRMED values (the cores' TRMs as recalled; revisions r0p4 A53, r1p1 A57,
 * r2p3 A15, r0p3 A72); null for a CPU not in the table (the guest model's default applies).
 */
export const CPU_MIDR: Readonly<Record<string, number>> = {
  'cortex-a53': 0x410fd034,
  'cortex-a57': 0x411fd071,
  'cortex-a72': 0x410fd083,
  'cortex-a15': 0x412fc0f3,
  'cortex-a7': 0x410fc075,
};

export function boardMidr(platform: Platform): number | null {
  // The VM apps force cortex-a53 on qemu-arm-virt (platforms.md §2.6).
  if (platform.name === 'qemu-arm-virt') return CPU_MIDR['cortex-a53'];
  const m = /cortex-a\d+/i.exec(platform.coresInfo.cpu);
  return m ? (CPU_MIDR[m[0].toLowerCase()] ?? null) : null;
}

export { SmpConfigureError };
