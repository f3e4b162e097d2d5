import { diagnostic, errorAt, type Diagnostic, type SourcePos } from '../../diagnostics';
import { isHash, isPaste, isPunct, type Tok } from './token';

export type BuiltinKind = '__FILE__' | '__LINE__' | '__COUNTER__' | '__INCLUDE_LEVEL__' | '__BASE_FILE__' | '__FILE_NAME__';
export const BUILTINS: readonly BuiltinKind[] = ['__FILE__', '__LINE__', '__COUNTER__', '__INCLUDE_LEVEL__', '__BASE_FILE__', '__FILE_NAME__'];

export interface Macro {
  readonly name: string;
  /** Parameter names; null for an object-like macro. The variadic one is last. */
  readonly params: readonly string[] | null;
  readonly variadic: boolean;
  /**
   * Replacement list as gcc stores it: `##` removed (the left operand carries pasteLeft), `#x`
   * folded into the parameter token (stringify), parameters marked with their index.
   */
  readonly body: readonly Tok[];
  /** Position of the macro name in its #define. */
  readonly def: SourcePos;
  readonly builtin?: BuiltinKind;
  /** gcc NODE_DISABLED: set while the macro's own expansion is being read. */
  disabled: boolean;
  /** Left padding for each parameter in the body (made on first use). */
  pads?: (Tok | null)[];
}

export type Warn = (pos: SourcePos, message: string) => void;

function found(t: Tok): string {
  return `"${t.text}"`;
}

/**
 * Parses the tokens after `#define` (gcc create_iso_definition). `dir` is the `define` token,
 * used for errors about an empty directive.
 */
export function parseDefine(line: readonly Tok[], dir: Tok, warn: Warn): Macro {
  const nameTok = line[0];
  if (!nameTok) throw errorAt(dir.pos, 'no macro name given in #define directive');
  if (nameTok.kind !== 'id') throw errorAt(nameTok.pos, 'macro names must be identifiers');
  if (nameTok.text === 'defined') throw errorAt(nameTok.pos, '"defined" cannot be used as a macro name');
  let i = 1;
  let params: string[] | null = null;
  let variadic = false;
  const last = (): SourcePos => line[line.length - 1].pos;
  if (line[1] && isPunct(line[1], '(') && !line[1].ws) {
    params = [];
    i = 2;
    if (line[i] && isPunct(line[i], ')')) i++;
    else {
      for (;;) {
        const t = line[i];
        if (!t) throw errorAt(last(), 'expected parameter name before end of line');
        if (isPunct(t, '...')) {
          variadic = true;
          params.push('__VA_ARGS__');
          i++;
        } else if (t.kind === 'id') {
          if (t.text === '__VA_ARGS__') throw errorAt(t.pos, '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro');
          if (params.includes(t.text)) throw errorAt(t.pos, `duplicate macro parameter "${t.text}"`);
          params.push(t.text);
          i++;
          if (line[i] && isPunct(line[i], '...')) {
            variadic = true; // GNU named variadic: `args...`
            i++;
          }
        } else throw errorAt(t.pos, `expected parameter name, found ${found(t)}`);
        const sep = line[i];
        if (!sep) throw errorAt(last(), "expected ')' before end of line");
        if (isPunct(sep, ')')) {
          i++;
          break;
        }
        if (variadic) throw errorAt(sep.pos, `expected ')' after "..."`);
        if (!isPunct(sep, ',')) throw errorAt(sep.pos, `expected ',' or ')', found ${found(sep)}`);
        i++;
      }
    }
  } else if (line[1] && !line[1].ws) {
    warn(line[1].pos, 'missing whitespace after the macro name');
  }

  const body: Tok[] = [];
  let followingPaste = false;
  let pasteTok: Tok | null = null;
  for (let k = i; k < line.length; k++) {
    const src = line[k];
    let t: Tok = body.length === 0 ? { ...src, ws: false, bol: false } : { ...src, bol: false };
    if (t.kind === 'id' && params) {
      const idx = params.indexOf(t.text);
      if (idx >= 0 && (t.text !== '__VA_ARGS__' || variadic)) t = { ...t, param: idx };
    }
    if (t.kind === 'id' && t.text === '__VA_ARGS__' && t.param === undefined) {
      warn(t.pos, '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro');
    }
    const prev = body[body.length - 1];
    if (params && prev && isHash(prev) && prev.param === undefined && !prev.pasteLeft) {
      if (t.param === undefined) throw errorAt(prev.pos, "'#' is not followed by a macro parameter");
      // gcc: the parameter takes the place of `#` and inherits its leading whitespace.
      body[body.length - 1] = { ...t, stringify: true, ws: prev.ws };
      followingPaste = false;
      continue;
    }
    if (isPaste(src)) {
      if (body.length === 0) throw errorAt(src.pos, "'##' cannot appear at either end of a macro expansion");
      // A second `##` straight after the first adds nothing (gcc moves it out of the way).
      if (!followingPaste) body[body.length - 1] = { ...prev, pasteLeft: true };
      followingPaste = true;
      pasteTok = src;
      continue;
    }
    followingPaste = false;
    body.push(t);
  }
  if (followingPaste && pasteTok) throw errorAt(pasteTok.pos, "'##' cannot appear at either end of a macro expansion");
  const tail = body[body.length - 1];
  if (params && tail && isHash(tail) && tail.param === undefined && !tail.pasteLeft) {
    throw errorAt(tail.pos, "'#' is not followed by a macro parameter");
  }
  return { name: nameTok.text, params, variadic, body, def: nameTok.pos, disabled: false };
}

/** gcc warn_of_redefinition: same parameters and the same replacement list, whitespace included. */
export function sameDefinition(a: Macro, b: Macro): boolean {
  if (a.builtin || b.builtin) return false;
  if ((a.params === null) !== (b.params === null) || a.variadic !== b.variadic) return false;
  if (a.params && b.params && (a.params.length !== b.params.length || a.params.some((p, k) => p !== b.params![k]))) return false;
  if (a.body.length !== b.body.length) return false;
  return a.body.every((t, k) => {
    const u = b.body[k];
    return t.text === u.text && t.kind === u.kind && (k === 0 || t.ws === u.ws) && t.param === u.param && !!t.stringify === !!u.stringify && !!t.pasteLeft === !!u.pasteLeft;
  });
}

export function redefinitionNote(previous: Macro): Diagnostic {
  return diagnostic('note', previous.def, 'this is the location of the previous definition');
}

/**
 * gcc stringify_arg: spell the argument's tokens, one space where whitespace (or padding that
 * stands for whitespace) separated them, escaping `\` and `"` inside string and char literals.
 */
export function stringifyText(arg: readonly Tok[], warn: () => void): string {
  let s = '"';
  let source: Tok | null = null;
  let first = true;
  let backslashes = 0;
  for (const t of arg) {
    if (t.kind === 'pad') {
      if (source === null || (!source.ws && !t.padSrc)) source = t.padSrc ?? null;
      continue;
    }
    if (!first) {
      if (source === null) source = t;
      if (source.ws) s += ' ';
    }
    source = null;
    first = false;
    s += t.kind === 'str' || t.kind === 'chr' ? t.text.replace(/[\\"]/g, (c) => '\\' + c) : t.text;
    backslashes = t.kind === 'other' && t.text[0] === '\\' ? backslashes + 1 : 0;
  }
  if (backslashes & 1) {
    warn();
    s = s.slice(0, -1);
  }
  return s + '"';
}
