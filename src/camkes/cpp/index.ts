import { errorAt, formatPos, type Diagnostic, type DiagnosticError } from '../../diagnostics';
import { defaultReadFile, type ReadFile } from './include';
import type { MappedPos, PositionMap } from './posmap';
import { Preprocessor } from './preprocessor';

export type { MappedPos, MacroSite, PositionMap } from './posmap';
export type { ReadFile } from './include';
export { PREDEFINED } from './preprocessor';

export interface PreprocessOptions {
  /** `-I` directories, searched in order for `<x>` and, after the includer's directory, for `"x"`. */
  readonly includePaths?: readonly string[];
  /** Directories searched after the `-I` ones (the project's built-in headers). */
  readonly builtinIncludeDirs?: readonly string[];
  /** `-D` flags: `NAME`, `NAME=VALUE`, `F(x)=x`; or a record NAME -> value (true means 1). */
  readonly defines?: readonly string[] | Readonly<Record<string, string | number | boolean>>;
  /** `-U` flags, applied after the defines. */
  readonly undefines?: readonly string[];
  /** Reads a file; undefined when it does not exist. Defaults to the file system. */
  readonly readFile?: ReadFile;
  /** Contents of the main file, if the caller already has them. */
  readonly text?: string;
}

export interface PreprocessResult {
  /** Like `cpp -P` output: same token sequence, no line markers. */
  readonly text: string;
  /** Offsets in `text` back to the user's files and macro invocations. */
  readonly map: PositionMap;
  /** Every file pulled in by #include, as found (directory + name), first inclusion order. */
  readonly includes: readonly string[];
  /** #warning, redefinitions, unterminated quotes and other gcc warnings. */
  readonly warnings: readonly Diagnostic[];
}

/**
 * Runs the C preprocessor over one file the way camkes-tool runs `cpp` on each .camkes file.
 * Throws DiagnosticError (file:line:col) for anything gcc reports as an error.
 */
export function preprocess(file: string, options: PreprocessOptions = {}): PreprocessResult {
  const read = options.readFile ?? defaultReadFile;
  const text = options.text ?? read(file);
  if (text === undefined) throw errorAt({ file, line: 1, col: 1 }, `${file}: No such file or directory`);
  const defs = options.defines ?? [];
  const defines = Array.isArray(defs)
    ? (defs as readonly string[])
    : Object.entries(defs as Record<string, string | number | boolean>).map(([k, v]) => `${k}=${v === true ? 1 : v === false ? 0 : v}`);
  const pp = new Preprocessor(file, {
    search: { includePaths: options.includePaths ?? [], builtinDirs: options.builtinIncludeDirs ?? [], read },
    defines,
    undefines: options.undefines ?? [],
  });
  const out = pp.run(text);
  return { text: out.text, map: out.map, includes: pp.includes, warnings: pp.warnings };
}

/** `" (in expansion of macro 'X' defined at f:l:c)"` for positions inside an expansion, else "". */
export function macroContext(pos: MappedPos): string {
  return pos.macro ? ` (in expansion of macro '${pos.macro.name}' defined at ${formatPos(pos.macro.defPos)})` : '';
}

/** An error at a mapped position, naming the macro expansion it came from. */
export function errorAtMapped(pos: MappedPos, message: string): DiagnosticError {
  return errorAt({ file: pos.file, line: pos.line, col: pos.col }, message + macroContext(pos));
}
