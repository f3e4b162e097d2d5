/**
 * camkes-tool stages 0-2: preprocess each file on its own, parse it, and inline `import`s
 * (reference A.0, A.1, A.4). Every node keeps the position of the file it came from.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { errorAt, LineMap, type SourcePos } from '../../diagnostics';
import type { LoadedSpec, TopItem } from '../ast';
import { parseCamkes } from './file';
import { preprocess } from '../cpp';

/** Where `import <std_connector.camkes>;` and friends are found (written by the include module). */
export const BUILTIN_IMPORT_DIR = resolve(__dirname, '..', 'include', 'common');

export interface LoadOptions {
  /** cpp `-I` directories, in order. */
  readonly includePaths?: readonly string[];
  /** cpp `-D` definitions; `CAMKES_TOOL_PROCESSING=1` is always added (camkes.cmake). */
  readonly defines?: Readonly<Record<string, string>>;
  /** Searched for `import <...>;` after the builtin dir (upstream `--import-path`, builtin first). */
  readonly importPaths?: readonly string[];
  /** Read a file; `undefined` when it does not exist. Defaults to the file system. */
  readonly readFile?: (path: string) => string | undefined;
  /** Replaces the preprocessor (tests; or running without cpp as with `CAmkESCPP=OFF`). */
  readonly preprocess?: PreprocessFn | 'none';
}

/** The documented API of `src/camkes/cpp` (another engineer's module). */
export interface PreprocessOptions {
  readonly includePaths: readonly string[];
  readonly defines: Readonly<Record<string, string>>;
  readonly readFile: (path: string) => string | undefined;
}
export interface PreprocessResult {
  readonly text: string;
  readonly map: { pos(offset: number): SourcePos };
  /** Files pulled in by `#include`, if the preprocessor reports them (upstream `cpp -MD`). */
  readonly deps?: readonly string[];
}
export type PreprocessFn = (file: string, opts: PreprocessOptions) => PreprocessResult;

function fsRead(path: string): string | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The project's C preprocessor (`src/camkes/cpp`), run on each file on its own as camkes-tool does. */
const builtinPreprocessor: PreprocessFn = (file, opts) => {
  const r = preprocess(file, { includePaths: opts.includePaths, defines: opts.defines, readFile: opts.readFile });
  return { text: r.text, map: r.map, deps: r.includes };
};

/**
 * Without a preprocessor a file is read raw, as with `CAmkESCPP=OFF`. That is only faithful when
 * the file has no cpp directives (the grammar would silently skip them as `#` comments).
 */
function rawRead(file: string, text: string): PreprocessResult {
  const m = /^[ \t]*#[ \t]*(include|define|if|ifdef|ifndef|undef|pragma|error)\b/m.exec(text);
  if (m) {
    const map = new LineMap(file, text);
    throw errorAt(map.pos(m.index + m[0].indexOf('#')),
      'this file needs the C preprocessor, which this load was told not to run');
  }
  const map = new LineMap(file, text);
  return { text, map: { pos: (o) => map.pos(o) } };
}

/**
 * Loads `path` and everything it imports. A file already read (by import or cpp `#include`) is
 * skipped, so cycles and self-imports are harmless (upstream stage 2).
 */
export function loadCamkes(path: string, opts: LoadOptions = {}): LoadedSpec {
  const read = opts.readFile ?? fsRead;
  const pp = opts.preprocess === 'none' ? undefined : (opts.preprocess ?? builtinPreprocessor);
  const ppOpts: PreprocessOptions = {
    includePaths: opts.includePaths ?? [],
    defines: { CAMKES_TOOL_PROCESSING: '1', ...(opts.defines ?? {}) },
    readFile: read,
  };
  const importDirs = [BUILTIN_IMPORT_DIR, ...(opts.importPaths ?? [])];
  const seen = new Set<string>();
  const files: string[] = [];
  const items: Exclude<TopItem, { kind: 'import' }>[] = [];

  const visit = (file: string, text: string): void => {
    seen.add(file);
    files.push(file);
    const pre = pp ? pp(file, ppOpts) : rawRead(file, text);
    for (const d of pre.deps ?? []) seen.add(resolve(d));
    const spec = parseCamkes(pre.text, (o) => pre.map.pos(o), file);
    for (const item of spec.items) {
      if (item.kind !== 'import') {
        items.push(item);
        continue;
      }
      const candidates = item.angle
        ? importDirs.map((d) => resolve(d, item.path))
        : [isAbsolute(item.path) ? item.path : resolve(dirname(file), item.path)];
      let found: { file: string; text: string } | undefined;
      for (const c of candidates) {
        const t = seen.has(c) ? '' : read(c);
        if (seen.has(c) || t !== undefined) {
          found = { file: c, text: t ?? '' };
          break;
        }
      }
      if (!found) throw errorAt(item.pos, `import '${item.path}' not found`);
      if (!seen.has(found.file)) visit(found.file, found.text);
    }
  };

  const root = resolve(path);
  const text = read(root);
  if (text === undefined) throw errorAt({ file: path, line: 1, col: 1 }, `cannot read '${path}'`);
  visit(root, text);
  return { kind: 'loaded-spec', root, files, items };
}
