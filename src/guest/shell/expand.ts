import { errorAt, type SourcePos } from '../../diagnostics';
import type { ParamPart, Program, Word, WordPart } from './ast';
import { evalArith } from './arith';

/** What expansion needs from the running shell; the executor supplies it. */
export interface ExpansionEnv {
  /** A variable or special parameter (`?`, `$`, `!`, `-`, `0`), or undefined when unset. */
  get(name: string): string | undefined;
  /** `$1`...`$n`, for `$#`, `"$@"` and `"$*"`. */
  readonly positional: readonly string[];
  /** For `${name:=word}`; without it such an assignment is an error. */
  set?(name: string, value: string): void;
  /** Runs `$(...)` or backquotes and returns the output; without it they are an error. */
  commandSubstitution?(program: Program, pos: SourcePos): string;
}

export const DEFAULT_IFS = ' \t\n';

/** A run of expanded text; `split` marks text from an unquoted expansion (subject to IFS). */
type Piece = { readonly text: string; readonly split: boolean; readonly quoted: boolean } | { readonly fieldBreak: true };

/** Expands a command word into fields: parameters, substitutions, arithmetic, field splitting, quote removal. No pathname expansion. */
export function expandWord(word: Word, env: ExpansionEnv): string[] {
  return splitPieces(expandParts(word.parts, env, false), env.get('IFS') ?? DEFAULT_IFS);
}

/** Expands without field splitting: assignment values, redirection targets, case subjects, here-doc bodies. */
export function expandWordToString(word: Word, env: ExpansionEnv): string {
  return expandParts(word.parts, env, true, true).map((p) => ('text' in p ? p.text : ' ')).join('');
}

/** Quote removal for a word with no expansions; undefined if the word contains any. */
export function literalWord(word: Word): string | undefined {
  let out = '';
  for (const p of word.parts) {
    if (p.kind === 'literal' || p.kind === 'single') out += p.value;
    else if (p.kind === 'double') {
      const inner = literalWord({ ...word, parts: p.parts });
      if (inner === undefined) return undefined;
      out += inner;
    } else return undefined;
  }
  return out;
}

/** IFS field splitting of one string (as for an unquoted `$var`). */
export function splitFields(text: string, ifs: string = DEFAULT_IFS): string[] {
  return splitPieces([{ text, split: true, quoted: false }], ifs);
}

function expandParts(parts: readonly WordPart[], env: ExpansionEnv, inDq: boolean, noSplit = false): Piece[] {
  const out: Piece[] = [];
  const quoted = inDq || noSplit;
  for (const p of parts) {
    switch (p.kind) {
      case 'literal':
      case 'single':
        out.push({ text: p.value, split: false, quoted: p.kind === 'single' || p.quoted });
        break;
      case 'double': {
        // "$@" with no positional parameters gives no field at all, not an empty one.
        const atOnly = env.positional.length === 0 && p.parts.some((x) => x.kind === 'param' && x.name === '@' && !x.op && !x.length);
        if (!atOnly) out.push({ text: '', split: false, quoted: true });
        out.push(...expandParts(p.parts, env, true, noSplit));
        break;
      }
      case 'param':
        out.push(...expandParam(p, env, quoted, inDq));
        break;
      case 'command': {
        if (!env.commandSubstitution) throw errorAt(p.pos, 'command substitution is not available here');
        const text = env.commandSubstitution(p.program, p.pos).replace(/\n+$/, '');
        out.push({ text, split: !quoted, quoted });
        break;
      }
      case 'arith': {
        const expr = expandWordToString(p.expr, env);
        out.push({ text: evalArith(expr, env, p.pos), split: !quoted, quoted });
        break;
      }
    }
  }
  return out;
}

function expandParam(p: ParamPart, env: ExpansionEnv, quoted: boolean, inDq: boolean): Piece[] {
  if ((p.name === '@' || p.name === '*') && !p.op && !p.length) {
    const args = env.positional;
    if (p.name === '*' && quoted) {
      const ifs = env.get('IFS') ?? DEFAULT_IFS;
      return [{ text: args.join(ifs.slice(0, 1)), split: false, quoted: true }];
    }
    const out: Piece[] = [];
    args.forEach((a, i) => {
      if (i > 0) out.push({ fieldBreak: true });
      out.push({ text: a, split: !quoted, quoted });
    });
    return out;
  }
  const value = paramValue(p.name, env);
  if (p.length) return [{ text: String([...(value ?? '')].length), split: !quoted, quoted }];
  const text = applyOp(p, value, env, inDq);
  return [{ text, split: !quoted, quoted }];
}

function paramValue(name: string, env: ExpansionEnv): string | undefined {
  if (/^[1-9][0-9]*$/.test(name)) return env.positional[Number(name) - 1];
  if (name === '#') return env.get('#') ?? String(env.positional.length);
  if (name === '@' || name === '*') return env.positional.length ? env.positional.join(' ') : undefined;
  return env.get(name);
}

function applyOp(p: ParamPart, value: string | undefined, env: ExpansionEnv, inDq: boolean): string {
  if (!p.op) return value ?? '';
  const colon = p.op.startsWith(':');
  const missing = value === undefined || (colon && value === '');
  const arg = (): string => (p.arg ? expandWordToString(p.arg, env) : '');
  switch (p.op) {
    case '-': case ':-':
      return missing ? arg() : value!;
    case '=': case ':=': {
      if (!missing) return value!;
      if (!/^[A-Za-z_]/.test(p.name)) throw errorAt(p.pos, `${p.name}: bad variable name`);
      if (!env.set) throw errorAt(p.pos, `${p.name}: cannot assign during this expansion`);
      const v = arg();
      env.set(p.name, v);
      return v;
    }
    case '?': case ':?': {
      if (!missing) return value!;
      const msg = p.arg && p.arg.parts.length ? arg() : `parameter not set${colon ? ' or null' : ''}`;
      throw errorAt(p.pos, `${p.name}: ${msg}`);
    }
    case '+': case ':+':
      return missing ? '' : arg();
    default: {
      const v = value ?? '';
      const re = globToRegExp(p.arg?.parts ?? [], env, inDq);
      const longest = p.op === '##' || p.op === '%%';
      if (p.op === '#' || p.op === '##') {
        for (let n = longest ? v.length : 0; longest ? n >= 0 : n <= v.length; n += longest ? -1 : 1) if (re.test(v.slice(0, n))) return v.slice(n);
      } else {
        for (let n = longest ? 0 : v.length; longest ? n <= v.length : n >= 0; n += longest ? 1 : -1) if (re.test(v.slice(n))) return v.slice(0, n);
      }
      return v;
    }
  }
}

/** A `${x%pattern}` pattern as an anchored RegExp: quoted text is literal, `* ? [...]` are glob. */
function globToRegExp(parts: readonly WordPart[], env: ExpansionEnv, inDq: boolean): RegExp {
  let src = '';
  const lit = (s: string): void => { src += s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); };
  const glob = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '*') src += '[\\s\\S]*';
      else if (c === '?') src += '[\\s\\S]';
      else if (c === '[') {
        const close = s.indexOf(']', i + 2);
        if (close < 0) { lit(c); continue; }
        let body = s.slice(i + 1, close);
        const neg = body[0] === '!' || body[0] === '^';
        if (neg) body = body.slice(1);
        src += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close;
      } else lit(c);
    }
  };
  for (const p of parts) {
    if (p.kind === 'literal') (p.quoted || inDq ? lit : glob)(p.value);
    else if (p.kind === 'single' || p.kind === 'double') lit(p.kind === 'single' ? p.value : expandWordToString({ parts: p.parts, pos: p.pos, text: '' }, env));
    else {
      const text = expandParts([p], env, inDq, true).map((x) => ('text' in x ? x.text : '')).join('');
      (inDq ? lit : glob)(text);
    }
  }
  return new RegExp(`^${src}$`);
}

function splitPieces(pieces: readonly Piece[], ifs: string): string[] {
  const ws = new Set<string>([...ifs].filter((c) => c === ' ' || c === '\t' || c === '\n'));
  const other = new Set([...ifs].filter((c) => !ws.has(c)));
  const fields: string[] = [];
  let cur = '';
  let has = false;
  let afterWsDelim = false;
  const end = (): void => {
    fields.push(cur);
    cur = '';
    has = false;
  };
  for (const p of pieces) {
    if ('fieldBreak' in p) {
      if (has) end();
      continue;
    }
    if (!p.split) {
      cur += p.text;
      if (p.text || p.quoted) has = true;
      if (p.text) afterWsDelim = false;
      continue;
    }
    for (const ch of p.text) {
      if (ws.has(ch)) {
        if (has) { end(); afterWsDelim = true; }
      } else if (other.has(ch)) {
        if (!has && afterWsDelim) { afterWsDelim = false; continue; }
        end();
        afterWsDelim = false;
      } else {
        cur += ch;
        has = true;
        afterWsDelim = false;
      }
    }
  }
  if (has) end();
  return fields;
}
