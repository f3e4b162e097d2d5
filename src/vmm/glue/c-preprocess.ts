import { errorAt, type SourcePos } from '../../diagnostics';
import { TokenCursor } from './c-cursor';
import { evalInt } from './c-eval';
import { CExprParser, TypeNames } from './c-expr';
import { tokenizeC, type CToken } from './c-lexer';

export interface MacroDef {
  readonly name: string;
  /** Parameter names of a function-like macro; null for an object-like one. */
  readonly params: readonly string[] | null;
  readonly variadic: boolean;
  readonly body: readonly CToken[];
  readonly pos: SourcePos;
}

export interface IncludeDirective {
  /** `sel4/sel4.h`, `camkes.h`... as written between the delimiters. */
  readonly path: string;
  /** `<...>` rather than `"..."`. */
  readonly system: boolean;
  readonly pos: SourcePos;
}

export interface PreprocessResult {
  readonly tokens: readonly CToken[];
  readonly includes: readonly IncludeDirective[];
  /** Macros defined at the end of the file (after `#undef`s), by name. */
  readonly macros: ReadonlyMap<string, MacroDef>;
}

export interface PreprocessOptions {
  /**
   * Macros defined before the file, as a compiler's `-D` would: e.g. the board's
   * `CONFIG_PLAT_QEMU_ARM_VIRT: '1'`, which selects the ARM example's connection base address.
   */
  readonly defines?: Readonly<Record<string, string>>;
}

interface Conditional {
  /** Tokens in this branch are kept. */
  active: boolean;
  /** Some earlier branch of this #if chain was taken. */
  taken: boolean;
  sawElse: boolean;
  readonly outerActive: boolean;
  readonly pos: SourcePos;
}

/**
 * The C preprocessor for the glue subset: `#include` is recorded (headers are not read),
 * `#define`/`#undef` and macro expansion follow C's rules, and `#if`-family conditionals are
 * evaluated. Anything else is a positioned error.
 */
export function preprocess(source: readonly CToken[], file: string, opts: PreprocessOptions = {}): PreprocessResult {
  const macros = new Map<string, MacroDef>();
  for (const [name, value] of Object.entries(opts.defines ?? {})) {
    macros.set(name, { name, params: null, variadic: false, body: tokenizeC(value, '<command line>'), pos: { file: '<command line>', line: 1, col: 1 } });
  }
  const includes: IncludeDirective[] = [];
  const out: CToken[] = [];
  const conds: Conditional[] = [];
  let pending: CToken[] = [];
  const active = (): boolean => conds.length === 0 || conds[conds.length - 1].active;
  const flush = (): void => {
    if (pending.length) out.push(...expand(pending, macros, new Set()));
    pending = [];
  };

  let i = 0;
  while (i < source.length) {
    const t = source[i];
    if (!(t.bol && t.kind === 'punct' && t.text === '#')) {
      if (active()) pending.push(t);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < source.length && !source[j].bol) j++;
    const line = source.slice(i + 1, j);
    i = j;
    flush();
    const name = line[0];
    if (!name) continue; // the null directive
    const args = line.slice(1);
    const last = line[line.length - 1];
    // "Expected ..." at the end of the directive line, where the missing part would go.
    const endPos = { ...last.pos, col: last.pos.col + last.text.length };
    switch (name.text) {
      case 'ifdef':
      case 'ifndef': {
        const m = args[0];
        if (!m || m.kind !== 'ident' || args.length > 1) throw errorAt(m?.pos ?? endPos, `expected one macro name after #${name.text}`);
        const cond = macros.has(m.text) === (name.text === 'ifdef');
        conds.push({ active: active() && cond, taken: cond, sawElse: false, outerActive: active(), pos: name.pos });
        break;
      }
      case 'if': {
        const cond = active() ? evalCondition(args, macros, endPos) : false;
        conds.push({ active: active() && cond, taken: cond, sawElse: false, outerActive: active(), pos: name.pos });
        break;
      }
      case 'elif': {
        const c = conds[conds.length - 1];
        if (!c) throw errorAt(name.pos, '#elif without #if');
        if (c.sawElse) throw errorAt(name.pos, '#elif after #else');
        const cond = !c.taken && c.outerActive ? evalCondition(args, macros, endPos) : false;
        c.active = c.outerActive && cond;
        c.taken ||= cond;
        break;
      }
      case 'else': {
        const c = conds[conds.length - 1];
        if (!c) throw errorAt(name.pos, '#else without #if');
        if (c.sawElse) throw errorAt(name.pos, '#else after #else');
        c.sawElse = true;
        c.active = c.outerActive && !c.taken;
        c.taken = true;
        break;
      }
      case 'endif':
        if (!conds.pop()) throw errorAt(name.pos, '#endif without #if');
        break;
      default:
        if (!active()) break; // unknown directives in skipped groups are ignored, as in C
        if (name.text === 'include') includes.push(readInclude(args, endPos));
        else if (name.text === 'define') {
          const def = readDefine(args, endPos);
          macros.set(def.name, def);
        } else if (name.text === 'undef') {
          if (args[0]?.kind !== 'ident') throw errorAt(args[0]?.pos ?? endPos, 'expected a macro name after #undef');
          macros.delete(args[0].text);
        } else if (name.text === 'error') {
          throw errorAt(name.pos, `#error ${args.map((a) => a.text).join(' ')}`);
        } else if (name.text === 'pragma' || name.text === 'warning') {
          // #pragma once and friends change nothing the reader models
        } else throw errorAt(name.pos, `unsupported preprocessing directive #${name.text}`);
    }
  }
  if (conds.length) throw errorAt(conds[conds.length - 1].pos, 'unterminated conditional directive: expected #endif');
  flush();
  return { tokens: out, includes, macros };
}

function readInclude(args: readonly CToken[], endPos: SourcePos): IncludeDirective {
  const first = args[0];
  if (first?.kind === 'string' && args.length === 1) return { path: first.str!, system: false, pos: first.pos };
  if (first?.text === '<') {
    const close = args.findIndex((a) => a.text === '>');
    if (close > 1 && close === args.length - 1) return { path: args.slice(1, close).map((a) => a.text).join(''), system: true, pos: first.pos };
  }
  throw errorAt(first?.pos ?? endPos, 'expected "FILENAME" or <FILENAME> after #include');
}

function readDefine(args: readonly CToken[], endPos: SourcePos): MacroDef {
  const nameTok = args[0];
  if (!nameTok || nameTok.kind !== 'ident') throw errorAt(nameTok?.pos ?? endPos, 'expected a macro name after #define');
  const second = args[1];
  // Function-like only when '(' follows the name with no space between them.
  const adjacent = second?.text === '(' && second.pos.line === nameTok.pos.line && second.pos.col === nameTok.pos.col + nameTok.text.length;
  if (!adjacent) return { name: nameTok.text, params: null, variadic: false, body: args.slice(1), pos: nameTok.pos };
  const params: string[] = [];
  let variadic = false;
  let k = 2;
  if (args[k]?.text !== ')') {
    while (true) {
      const p = args[k];
      if (p?.text === '...') { variadic = true; k++; break; }
      if (!p || p.kind !== 'ident') throw errorAt(p?.pos ?? endPos, 'expected a parameter name in macro parameter list');
      params.push(p.text);
      k++;
      if (args[k]?.text !== ',') break;
      k++;
    }
  }
  if (args[k]?.text !== ')') throw errorAt(args[k]?.pos ?? endPos, "expected ')' to close macro parameter list");
  return { name: nameTok.text, params, variadic, body: args.slice(k + 1), pos: nameTok.pos };
}

function evalCondition(args: readonly CToken[], macros: Map<string, MacroDef>, endPos: SourcePos): boolean {
  if (!args.length) throw errorAt(endPos, 'expected an expression after #if');
  const replaced: CToken[] = [];
  for (let k = 0; k < args.length; k++) {
    const t = args[k];
    if (t.kind === 'ident' && t.text === 'defined') {
      const paren = args[k + 1]?.text === '(';
      const m = args[k + (paren ? 2 : 1)];
      if (!m || m.kind !== 'ident' || (paren && args[k + 3]?.text !== ')')) throw errorAt(t.pos, "expected 'defined NAME' or 'defined(NAME)'");
      k += paren ? 3 : 1;
      replaced.push({ ...t, kind: 'number', text: macros.has(m.text) ? '1' : '0', value: macros.has(m.text) ? 1n : 0n });
    } else replaced.push(t);
  }
  const expanded = expand(replaced, macros, new Set());
  const c = new TokenCursor(expanded, endPos);
  const e = new CExprParser(c, new TypeNames()).conditional();
  if (!c.atEnd()) throw c.error('expected end of #if expression');
  // Identifiers left after expansion are 0 in #if (C11 6.10.1p4).
  return evalInt(e, { ident: () => 0n }) !== 0n;
}

/** Macro expansion with rescanning; `disabled` holds the macros being expanded (no recursion). */
function expand(tokens: readonly CToken[], macros: Map<string, MacroDef>, disabled: Set<string>, depth = 0): CToken[] {
  if (depth > 200) throw errorAt(tokens[0].pos, 'macro expansion nested too deeply');
  const out: CToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const m = t.kind === 'ident' && !t.noExpand ? macros.get(t.text) : undefined;
    if (!m || disabled.has(m.name)) {
      out.push(m && disabled.has(m.name) ? { ...t, noExpand: true } : t);
      continue;
    }
    let body: CToken[];
    if (m.params === null) body = m.body.slice();
    else {
      if (tokens[i + 1]?.text !== '(') { out.push(t); continue; }
      const { args, end } = collectArgs(tokens, i + 1, m);
      i = end;
      body = substitute(m, args, (a) => expand(a, macros, disabled, depth + 1));
    }
    // Expanded tokens take the use site's position, so errors point at the glue line that used the macro.
    const placed = body.map((b) => ({ ...b, pos: t.pos, bol: false, macro: t.macro ?? { name: m.name, defPos: m.pos } }));
    out.push(...expand(placed, macros, new Set([...disabled, m.name]), depth + 1));
  }
  return out;
}

function collectArgs(tokens: readonly CToken[], open: number, m: MacroDef): { args: CToken[][]; end: number } {
  const args: CToken[][] = [[]];
  let depth = 0;
  for (let k = open + 1; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.text === '(' && t.kind === 'punct') depth++;
    else if (t.text === ')' && t.kind === 'punct') {
      if (depth === 0) {
        const got = args.length === 1 && args[0].length === 0 ? 0 : args.length;
        const want = m.params!.length;
        if (m.variadic ? got < want : got !== want && !(want === 1 && got === 0)) {
          throw errorAt(tokens[open - 1].pos, `macro '${m.name}' requires ${want} argument${want === 1 ? '' : 's'}, but ${got} given`);
        }
        return { args, end: k };
      }
      depth--;
    } else if (t.text === ',' && t.kind === 'punct' && depth === 0 && !(m.variadic && args.length > m.params!.length)) {
      args.push([]);
      continue;
    }
    args[args.length - 1].push(t);
  }
  throw errorAt(tokens[open].pos, `unterminated argument list invoking macro '${m.name}'`);
}

function substitute(m: MacroDef, args: CToken[][], expandArg: (a: CToken[]) => CToken[]): CToken[] {
  const index = (name: string): number => (name === '__VA_ARGS__' && m.variadic ? m.params!.length : m.params!.indexOf(name));
  const body = m.body;
  const out: CToken[] = [];
  for (let k = 0; k < body.length; k++) {
    const b = body[k];
    if (b.text === '#' && b.kind === 'punct' && body[k + 1]?.kind === 'ident' && index(body[k + 1].text) >= 0) {
      const arg = args[index(body[k + 1].text)] ?? [];
      const text = arg.map((a) => a.text).join(' ');
      out.push({ ...b, kind: 'string', text: JSON.stringify(text), str: text });
      k++;
      continue;
    }
    const pi = b.kind === 'ident' ? index(b.text) : -1;
    const pasting = body[k + 1]?.text === '##' || body[k - 1]?.text === '##';
    if (pi >= 0) out.push(...(pasting ? (args[pi] ?? []) : expandArg(args[pi] ?? [])));
    else out.push(b);
  }
  // Token pasting: join the neighbours of each `##` and lex the result as one token.
  for (let k = 0; k < out.length; k++) {
    if (out[k].text !== '##' || out[k].kind !== 'punct') continue;
    const left = out[k - 1];
    const right = out[k + 1];
    if (!left || !right) throw errorAt(out[k].pos, "'##' cannot appear at either end of a macro expansion");
    const pasted = tokenizeC(left.text + right.text, left.pos.file);
    if (pasted.length !== 1) throw errorAt(out[k].pos, `pasting "${left.text}" and "${right.text}" does not give a valid token`);
    out.splice(k - 1, 3, { ...pasted[0], pos: left.pos, bol: false });
    k--;
  }
  return out;
}
