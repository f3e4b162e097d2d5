/**
 * From a `.camkes` file (and optionally a board) to a loaded spec with the right include tree,
 * the one place that decides the architecture:
 *
 * 1. `--platform <board>`: the board's family (`x86` for pc99, `arm` otherwise) and its seL4 arch;
 * 2. else the `arch` key of the `app.yaml` of the file's app directory (`x86`/`arm`; `any` falls
 *    through); for `arm` without a board the kernel model is aarch64;
 * 3. else x86 (x86_64), the architecture of the tutorials.
 *
 * The app's `importPaths` (with `{board}` replaced; a path using `{board}` is skipped when there
 * is no board) come before the built-in `include/<arch>` and `include/common` directories, for
 * both cpp `-I` and `import <...>` (src/camkes/include/README.md).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorAt } from '../../diagnostics';
import { loadPlatform, type Platform } from '../../platform';
import type { Arch } from '../../sel4';
import type { LoadedSpec } from '../ast';
import { findAppYaml, readAppYaml, type AppConfig } from '../components/app';
import { loadCamkes } from '../parser';

export const INCLUDE_DIR = resolve(__dirname, '..', 'include');

export interface SpecSource {
  readonly spec: LoadedSpec;
  readonly family: 'x86' | 'arm';
  readonly arch: Arch;
  readonly platform?: Platform;
  readonly app?: AppConfig;
}

export interface SpecLoadOptions {
  readonly board?: string;
  readonly includeDirs?: readonly string[];
  readonly defines?: Readonly<Record<string, string>>;
  /** Ignore the app.yaml next to the file. */
  readonly noApp?: boolean;
  /** Text to use instead of the root file's contents (a scenario's edited copy). */
  readonly rootText?: string;
}

export function loadSpecFor(file: string, opts: SpecLoadOptions = {}): SpecSource {
  const platform = opts.board ? loadPlatform(opts.board) : undefined;
  const appFile = opts.noApp ? undefined : findAppYaml(file);
  const app = appFile ? readAppYaml(appFile) : undefined;
  let family: 'x86' | 'arm' = 'x86';
  let arch: Arch = 'x86_64';
  if (platform) {
    family = platform.family;
    arch = platform.arch;
    if (app?.arch && app.arch !== 'any' && app.arch !== family)
      throw errorAt({ file: app.file, line: 1, col: 1 }, `app ${app.name ?? app.dir} is for ${app.arch}, but board ${platform.name} is ${family}`);
  } else if (app?.arch === 'arm') {
    family = 'arm';
    arch = 'aarch64';
  }
  const appPaths = (app?.importPaths ?? [])
    .filter((p) => !p.includes('{board}') || platform)
    .map((p) => resolve(app!.dir, p.replace(/\{board\}/g, platform?.name ?? '')));
  const dirs = [...(opts.includeDirs ?? []).map((d) => resolve(d)), ...appPaths, resolve(INCLUDE_DIR, family), resolve(INCLUDE_DIR, 'common')];
  const root = resolve(file);
  const readFile = opts.rootText === undefined ? undefined : (p: string) => (p === root ? opts.rootText : readOrUndefined(p));
  const spec = loadCamkes(file, { includePaths: dirs, importPaths: dirs, defines: opts.defines, ...(readFile ? { readFile } : {}) });
  return { spec, family, arch, ...(platform ? { platform } : {}), ...(app ? { app } : {}) };
}

/**
 * Loads CAmkES text given inline (tests, step definitions) as if it were `file`; imports and
 * includes resolve against the built-in tree for `family` and the real file system.
 */
export function loadSpecText(text: string, family: 'x86' | 'arm' = 'x86', file = resolve('inline.camkes')): LoadedSpec {
  const dirs = [resolve(INCLUDE_DIR, family), resolve(INCLUDE_DIR, 'common')];
  const readFile = (p: string): string | undefined => (p === file ? text : readOrUndefined(p));
  return loadCamkes(file, { includePaths: dirs, importPaths: dirs, readFile });
}

function readOrUndefined(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}
