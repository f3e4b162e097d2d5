import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export type ReadFile = (path: string) => string | undefined;

export interface SearchPath {
  /** `-I` directories, searched in order. */
  readonly includePaths: readonly string[];
  /** Searched after the `-I` directories (the project's built-in headers). */
  readonly builtinDirs: readonly string[];
  readonly read: ReadFile;
}

export interface FoundInclude {
  /** The path as cpp composes it (directory joined with the name); used in positions. */
  readonly path: string;
  readonly text: string;
  /** Index in the -I + built-in chain where it was found; -1 for the including file's directory. */
  readonly dirIndex: number;
}

export function defaultReadFile(p: string): string | undefined {
  try {
    return statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function join(dir: string, name: string): string {
  return dir === '' || dir === '.' ? name : path.join(dir, name);
}

/**
 * gcc's search order: `"name"` looks next to the including file first, then falls through to
 * the `<name>` chain (-I directories, then built-in ones). `#include_next` resumes the chain
 * after the directory the current file was found in.
 */
export function findInclude(
  name: string,
  angled: boolean,
  includer: string,
  /** For #include_next: where in the chain to resume; null for #include. */
  next: number | null,
  search: SearchPath,
): { found?: FoundInclude; searched: string[] } {
  const searched: string[] = [];
  const tryAt = (dir: string | null, dirIndex: number): FoundInclude | undefined => {
    const p = dir === null ? name : join(dir, name);
    searched.push(dir === null ? name : dir === '' ? '.' : dir);
    const text = search.read(p);
    return text === undefined ? undefined : { path: p, text, dirIndex };
  };
  if (path.isAbsolute(name)) {
    const f = tryAt(null, -1);
    return f ? { found: f, searched } : { searched };
  }
  if (!angled && next === null) {
    const f = tryAt(path.dirname(includer), -1);
    if (f) return { found: f, searched };
  }
  const chain = [...search.includePaths, ...search.builtinDirs];
  for (let k = next ?? 0; k < chain.length; k++) {
    const f = tryAt(chain[k], k);
    if (f) return { found: f, searched };
  }
  return { searched };
}
