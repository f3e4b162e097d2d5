import { errorAt, type SourcePos } from '../../diagnostics';
import { tok, type Tok, type TokKind } from './token';

// Translation phases 1-3 of C11 5.1.1.2 as gcc does them: line splicing (gcc also accepts
// spaces between the backslash and the newline), comments become whitespace, then
// preprocessing tokens. Positions always refer to the unspliced text the user wrote.

const PUNCT3 = new Set(['...', '<<=', '>>=']);
const PUNCT2 = new Set([
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=',
  '&=', '^=', '|=', '##', '<:', ':>', '<%', '%>', '%:',
]);
const PUNCT1 = '[](){}.&*+-~!/%<>^|?:;=,#';

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0x80;
}
function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Length of the punctuator at `i` in `s` (0 if none). */
export function punctLength(s: string, i: number): number {
  if (i >= s.length || !PUNCT1.includes(s[i])) return 0;
  // Every longer punctuator continues with a character of PUNCT1: skip the slices when not.
  if (i + 1 >= s.length || !PUNCT1.includes(s[i + 1])) return 1;
  if (s.startsWith('%:%:', i)) return 4;
  if (PUNCT3.has(s.slice(i, i + 3))) return 3;
  if (PUNCT2.has(s.slice(i, i + 2))) return 2;
  return i < s.length && PUNCT1.includes(s[i]) ? 1 : 0;
}

const ID_CHARS = /^[A-Za-z0-9_$]*$/;

interface Spliced {
  text: string;
  /** Offset in the original text of each character of `text` (null when nothing was spliced). */
  orig: Int32Array | null;
}

function splice(text: string): Spliced {
  if (!/\\[ \t]*\n/.test(text)) return { text, orig: null };
  const out: string[] = [];
  const orig = new Int32Array(text.length + 1);
  let n = 0;
  const re = /\\[ \t]*\n/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let i = last; i < m.index; i++) orig[n++] = i;
    out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
  }
  for (let i = last; i <= text.length; i++) orig[n++] = i;
  out.push(text.slice(last));
  return { text: out.join(''), orig };
}

/**
 * Tokenises a whole file. The last token is 'eof'. Throws a DiagnosticError for an unterminated
 * comment, the one lexical error gcc reports regardless of conditional skipping. Lexer warnings
 * (unterminated quotes) ride on the token (Tok.warn) and are reported only if the token is used.
 */
export function lex(file: string, input: string): Tok[] {
  const normalised = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  const lineStarts = [0];
  for (let i = 0; i < normalised.length; i++) if (normalised.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const { text: src, orig } = splice(normalised);
  const posAt = (offset: number): SourcePos => {
    const o = orig ? orig[offset] : offset;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, col: o - lineStarts[lo] + 1 };
  };

  const toks: Tok[] = [];
  const n = src.length;
  let p = 0;
  let ws = false;
  let bol = true;
  // 1 after a `#` at the start of a line, 2 after `#include`: then `<...>` is a header-name.
  let dirState = 0;
  const push = (kind: TokKind, start: number, end: number, warn?: string): void => {
    const t = tok(kind, src.slice(start, end), ws, bol, posAt(start), warn ? { warn } : undefined);
    if (bol && kind === 'punct' && (t.text === '#' || t.text === '%:')) dirState = 1;
    else if (dirState === 1 && kind === 'id' && (t.text === 'include' || t.text === 'include_next' || t.text === 'import')) dirState = 2;
    else dirState = 0;
    toks.push(t);
    ws = false;
    bol = false;
  };

  while (p < n) {
    const c = src.charCodeAt(p);
    if (c === 10) {
      bol = true;
      ws = false;
      dirState = 0;
      p++;
      continue;
    }
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 13) {
      ws = true;
      p++;
      continue;
    }
    if (c === 47 /* / */ && src.charCodeAt(p + 1) === 47) {
      const e = src.indexOf('\n', p);
      p = e < 0 ? n : e;
      ws = true;
      continue;
    }
    if (c === 47 && src.charCodeAt(p + 1) === 42 /* * */) {
      const e = src.indexOf('*/', p + 2);
      if (e < 0) throw errorAt(posAt(p), 'unterminated comment');
      p = e + 2;
      ws = true;
      continue;
    }
    const start = p;
    if (dirState === 2 && c === 60 /* < */) {
      const close = src.indexOf('>', p);
      const eol = src.indexOf('\n', p);
      if (close >= 0 && (eol < 0 || close < eol)) {
        push('header', start, close + 1);
        p = close + 1;
        continue;
      }
    }
    if (isIdStart(c)) {
      p++;
      while (p < n && isIdChar(src.charCodeAt(p))) p++;
      const word = src.slice(start, p);
      const q = src[p];
      if ((q === '"' && (word === 'L' || word === 'u' || word === 'U' || word === 'u8')) || (q === "'" && (word === 'L' || word === 'u' || word === 'U'))) {
        p = lexQuoted(src, start, p, push);
        continue;
      }
      push('id', start, p);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(p + 1)))) {
      p++;
      while (p < n) {
        const d = src.charCodeAt(p);
        const nx = src.charCodeAt(p + 1);
        if ((d === 101 || d === 69 || d === 112 || d === 80) && (nx === 43 || nx === 45)) p += 2;
        else if (isIdChar(d) || d === 46) p++;
        else break;
      }
      push('num', start, p);
      continue;
    }
    if (c === 34 || c === 39) {
      p = lexQuoted(src, start, p, push);
      continue;
    }
    const len = punctLength(src, p);
    if (len > 0) {
      push('punct', start, p + len);
      p += len;
      continue;
    }
    const cp = src.codePointAt(p) ?? c;
    p += cp > 0xffff ? 2 : 1;
    push('other', start, p);
  }
  toks.push(tok('eof', '', ws, true, posAt(n)));
  return toks;
}

/** Lexes a string or character literal whose quote is at `q`; returns the end offset. */
function lexQuoted(src: string, start: number, q: number, push: (k: TokKind, s: number, e: number, warn?: string) => void): number {
  const quote = src[q];
  let p = q + 1;
  for (;;) {
    if (p >= src.length || src[p] === '\n') {
      // gcc: an unterminated literal becomes CPP_OTHER running to the end of the line.
      push('other', start, p, `missing terminating ${quote} character`);
      return p;
    }
    const ch = src[p];
    if (ch === '\\' && p + 1 < src.length && src[p + 1] !== '\n') p += 2;
    else if (ch === quote) {
      push(quote === '"' ? 'str' : 'chr', start, p + 1);
      return p + 1;
    } else p++;
  }
}

/**
 * What `##` makes of two spellings: the kind of the single token they form, or null if they
 * do not form exactly one token (gcc then reports "pasting ... does not give a valid
 * preprocessing token").
 */
export function lexPasted(lhs: string, rhs: string): TokKind | null {
  // Fast path for the common case, identifier or number glued to identifier characters.
  const l0 = lhs.charCodeAt(0);
  if ((isIdStart(l0) || isDigit(l0)) && ID_CHARS.test(lhs) && ID_CHARS.test(rhs)) return isIdStart(l0) ? 'id' : 'num';
  // gcc inserts a space after a `/` lhs so that `/` ## `/` cannot open a comment.
  if (lhs === '/' && rhs !== '=') return null;
  const text = lhs + rhs;
  if (text.includes('/*') || text.includes('//')) return null;
  let toks: Tok[];
  try {
    toks = lex('<paste>', text);
  } catch {
    return null;
  }
  if (toks.length !== 2 || toks[0].ws || toks[0].text !== text) return null;
  return toks[0].kind;
}

/**
 * True when printing `b` straight after `a` would lex differently (gcc's cpp_avoid_paste),
 * so the printer must put a space between them.
 */
export function avoidPaste(a: Tok, b: Tok): boolean {
  const bk = b.kind;
  const c = b.text[0];
  switch (a.kind) {
    case 'id':
      return bk === 'id' || bk === 'num' || bk === 'chr' || bk === 'str';
    case 'num':
      return bk === 'id' || bk === 'num' || bk === 'chr' || bk === 'str' || c === '.' || c === '+' || c === '-';
    case 'punct': {
      if (bk === 'pad' || bk === 'eof' || c === undefined) return false;
      if (a.text === '.' && (c === '.' || bk === 'num')) return true;
      if (a.text.endsWith('/') && (c === '/' || c === '*')) return true;
      const joined = a.text + b.text.slice(0, 4);
      return punctLength(joined, 0) > a.text.length;
    }
    case 'other':
      return a.text === '\\' && bk === 'id';
    default:
      return false;
  }
}
