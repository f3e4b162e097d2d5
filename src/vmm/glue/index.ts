import { DiagnosticError, errorAt, LineMap, type SourcePos } from '../../diagnostics';
import { TokenCursor } from './c-cursor';
import { evalInt } from './c-eval';
import { CExprParser, exprText, TypeNames, typeText } from './c-expr';
import { tokenizeC } from './c-lexer';
import { CParser, type CExternal } from './c-parser';
import { preprocess, type IncludeDirective, type MacroDef, type PreprocessOptions } from './c-preprocess';
import { hasGen1, readGen1 } from './gen1';
import { hasGen2, readGen2 } from './gen2';
import { HEADER_CONSTANTS } from './layouts';
import { GlueScope } from './scope';
import type { GlueDefine, VmmGlue } from './types';

export type * from './types';
export type { CExpr, CInit, CTypeName } from './c-expr';
export { exprText } from './c-expr';
export type { CExternal } from './c-parser';
export type { IncludeDirective, MacroDef } from './c-preprocess';

export interface GlueSource {
  /** Path as it should appear in diagnostics, e.g. `apps/crossvm_tutorial/src/cross_vm.c`. */
  readonly path: string;
  readonly text: string;
}

export type ReadGlueOptions = PreprocessOptions;

export interface ParsedCFile {
  readonly file: string;
  readonly externals: readonly CExternal[];
  readonly includes: readonly IncludeDirective[];
  readonly macros: ReadonlyMap<string, MacroDef>;
}

/** Tokenises, preprocesses and parses one C file into its file-level declarations. */
export function parseCFile(text: string, file: string, opts: ReadGlueOptions = {}): ParsedCFile {
  try {
    const pp = preprocess(tokenizeC(text, file), file, opts);
    const end = new LineMap(file, text).pos(text.length);
    const externals = new CParser(pp.tokens, end).translationUnit();
    return { file, externals, includes: pp.includes, macros: pp.macros };
  } catch (e) {
    throw asDiagnostic(e, file);
  }
}

/**
 * Reads an app's VMM glue (one or more C files, as the app's CMake globs `src/*.c`) into the
 * model the VMM registers: generation 1 (tutorial: dataports[], emitted_events[],
 * consumed_events[] and three hooks) or generation 2 (connections[]).
 */
export function readVmmGlue(sources: GlueSource | readonly GlueSource[], opts: ReadGlueOptions = {}): VmmGlue {
  const list = Array.isArray(sources) ? (sources as readonly GlueSource[]) : [sources as GlueSource];
  if (list.length === 0) throw new DiagnosticError({ severity: 'error', pos: { file: '<glue>', line: 1, col: 1 }, message: 'no VMM glue files given' });
  const files = list.map((s) => parseCFile(s.text, s.path, opts));
  const first: SourcePos = { file: list[0].path, line: 1, col: 1 };
  try {
    const scope = new GlueScope(files.flatMap((f) => f.externals));
    const g1 = hasGen1(scope);
    const g2 = hasGen2(scope);
    if (g1 && g2) {
      throw errorAt(g2.pos, `${g2.what} is generation-2 glue, but ${g1.what} is generation 1; expected one generation`, [
        { severity: 'note', pos: g1.pos, message: `generation-1 glue is here` },
      ]);
    }
    if (!g1 && !g2) {
      throw errorAt(first, 'no cross-VM glue found: expected cross_vm_dataports_init/cross_vm_emits_events_init/cross_vm_consumes_events_init (generation 1) or a struct camkes_crossvm_connection array passed to cross_vm_connections_init (generation 2)');
    }
    const common = {
      files: list.map((s) => s.path),
      includes: files.flatMap((f) => f.includes),
      defines: files.flatMap((f) => defines(f)),
      externs: scope.externs.map((v) => ({ name: v.name, type: typeText(v.type), pos: v.pos })),
      modules: scope.invocations
        .filter((i) => i.name === 'DEFINE_MODULE')
        .map((i) => ({ name: i.args[0] ? exprText(i.args[0]) : '', functions: i.args.slice(1).filter((a) => a.kind === 'ident' && a.name !== 'NULL').map(exprText), pos: i.pos })),
    };
    if (g1) return { generation: 1, ...common, ...readGen1(scope), connections: [], asyncEventHandlers: [] };
    return { generation: 2, ...common, dataports: [], emittedEvents: [], consumedEvents: [], initFunctions: {}, ...readGen2(scope) };
  } catch (e) {
    throw asDiagnostic(e, list[0].path);
  }
}

function defines(f: ParsedCFile): GlueDefine[] {
  const out: GlueDefine[] = [];
  for (const m of f.macros.values()) {
    if (m.pos.file !== f.file) continue;
    const text = (m.params ? `(${m.params.join(', ')}) ` : '') + m.body.map((t) => t.text).join(' ');
    let value: number | undefined;
    if (!m.params && m.body.length) {
      try {
        const c = new TokenCursor(m.body, m.pos);
        const e = new CExprParser(c, new TypeNames()).conditional();
        if (c.atEnd()) {
          const v = evalInt(e, { ident: (n) => HEADER_CONSTANTS[n] });
          if (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) value = Number(v);
        }
      } catch {
        // not an integer constant: recorded by text only
      }
    }
    out.push(value === undefined ? { name: m.name, text, pos: m.pos } : { name: m.name, text, value, pos: m.pos });
  }
  return out;
}

/** Anything but a DiagnosticError escaping the reader is a bug; report it at the file, not as a trace. */
function asDiagnostic(e: unknown, file: string): DiagnosticError {
  if (e instanceof DiagnosticError) return e;
  if (e instanceof RangeError) return errorAt({ file, line: 1, col: 1 }, 'input is nested too deeply for the glue reader');
  throw e;
}
