/**
 * Load + check in one call, with the include-directory rule of src/camkes/include/README.md:
 * the caller's dirs, then the app's own import paths (from an `app.yaml` next to the file), then
 * `include/<arch>`, then `include/common`, on both the cpp `-I` list and the import path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DiagnosticError, type Diagnostic } from '../../diagnostics';
import type { LoadedSpec } from '../ast';
import { loadCamkes, BUILTIN_IMPORT_DIR } from '../parser';
import type { Arch, CheckOptions } from './context';
import { analyseCamkes } from './check';
import type { ResolvedAssembly } from '../resolve';

export const INCLUDE_ROOT = resolve(BUILTIN_IMPORT_DIR, '..');

export interface LoadCheckOptions extends CheckOptions {
  /** `-I` directories, searched first. */
  readonly includeDirs?: readonly string[];
  /** `-D NAME[=VALUE]` (a bare NAME is defined as 1, as cpp does). */
  readonly defines?: Readonly<Record<string, string>>;
  /** Board name: fixes the architecture and replaces `{board}` in the app's import paths. */
  readonly board?: string;
  /** Only the architecture of `board` is needed; the caller (CLI, steps) reads the platform. */
  readonly boardArch?: Arch;
}

export interface AppInfo {
  readonly arch?: Arch;
  readonly importPaths: readonly string[];
  readonly boards: readonly string[];
}

/** What an `app.yaml` beside `file` says (apps/README.md); undefined when there is none. */
export function readAppYaml(file: string): AppInfo | undefined {
  const path = join(dirname(resolve(file)), 'app.yaml');
  if (!existsSync(path)) return undefined;
  const y = parseYaml(readFileSync(path, 'utf8')) as { arch?: unknown; importPaths?: unknown; boards?: unknown } | null;
  const arch = y?.arch === 'x86' || y?.arch === 'arm' ? y.arch : undefined;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { arch, importPaths: strings(y?.importPaths), boards: strings(y?.boards) };
}

export interface SearchPath {
  readonly arch?: Arch;
  readonly dirs: readonly string[];
}

/**
 * The `-I`/import list for `file`. The architecture comes from the options, else from the app's
 * `app.yaml`; the app's `{board}` import paths take the given board, else the first board the
 * app lists (so `vmconf check apps/vm_cross_connector/...` works without `--platform`).
 */
export function searchPathFor(file: string, opts: LoadCheckOptions): SearchPath {
  const app = readAppYaml(file);
  const arch = opts.boardArch ?? opts.arch ?? app?.arch;
  const board = opts.board ?? app?.boards[0];
  const appDir = dirname(resolve(file));
  const appDirs = (app?.importPaths ?? [])
    .filter((p) => board !== undefined || !p.includes('{board}'))
    .map((p) => resolve(appDir, p.replace(/\{board\}/g, board ?? '')));
  const dirs = [...(opts.includeDirs ?? []).map((d) => resolve(d)), ...appDirs];
  if (arch) dirs.push(join(INCLUDE_ROOT, arch));
  dirs.push(join(INCLUDE_ROOT, 'common'));
  return { arch, dirs };
}

export interface LoadCheckResult {
  /** Absent when the spec did not load (the diagnostics then hold the load error). */
  readonly loaded?: LoadedSpec;
  /** The resolved assembly, when the spec loaded and resolved (it may still have errors). */
  readonly assembly?: ResolvedAssembly;
  readonly diagnostics: readonly Diagnostic[];
}

/** Loads `file` and checks it. Never throws for bad input: load errors come back as diagnostics. */
export function loadAndCheck(file: string, opts: LoadCheckOptions = {}): LoadCheckResult {
  const sp = searchPathFor(file, opts);
  let loaded: LoadedSpec;
  try {
    loaded = loadCamkes(file, { includePaths: sp.dirs, importPaths: sp.dirs, defines: opts.defines });
  } catch (e) {
    if (e instanceof DiagnosticError) return { diagnostics: e.diagnostics };
    throw e;
  }
  return { loaded, ...analyseCamkes(loaded, { strict: opts.strict, arch: sp.arch }) };
}
