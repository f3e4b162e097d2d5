/**
 * Tokeniser for preprocessed CAmkES text (reference A.2, camkes-tool camkes/parser/camkes.g).
 * Offsets index the text given; `posOf` maps them back to the user's file (through cpp).
 */
import { errorAt, type SourcePos } from '../diagnostics';
import { KEYWORDS } from './ast';

export type TokenKind = 'id' | 'kw' | 'int' | 'float' | 'string' | 'angle' | 'punct' | 'eof' | 'error';

export interface Token {
  readonly kind: TokenKind;
  /** Source text; for `string` the body without quotes, for `angle` the body without `<>`. */
  readonly text: string;
  readonly offset: number;
  /** For `error` tokens: the lexer's message, thrown when the parser reaches it. */
  readonly message?: string;
}

export type PosOf = (offset: number) => SourcePos;

// Longest first, so `<-` wins over `<` and `**` over `*`.
const PUNCT2 = ['<-', '->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '**'];
const PUNCT1 = '{}()[];,.:=?<>+-*/%!~&|^';

// Python's `\w` is Unicode-aware (reference A.2: `Bär` is an identifier).
const ID_REST = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}]/u;
const ANGLE_BODY = /[^<>;,"{}]*/y;

/** ASCII letters and `_`: the identifier start set (`[a-zA-Z_]`). */
function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/**
 * Is the character at `i` (code unit `c`) part of an identifier, and how wide is it? In ASCII
 * `\w` is exactly `[A-Za-z0-9_]`, tested by code; other characters go through the Unicode class.
 */
function idRestWidth(text: string, i: number, c: number): number {
  if (c < 128) return isIdStart(c) || isDigit(c) ? 1 : 0;
  if (ID_REST.test(text[i])) return 1;
  return isSurrogateIdChar(text, i) ? 2 : 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Tokenises the whole text. A lexical error does not throw here: it ends the stream with an
 * `error` token, so a syntax error earlier in the file is still reported first (PLY lexes lazily).
 */
export function lex(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  const push = (kind: TokenKind, t: string, offset: number): void => {
    out.push({ kind, text: t, offset });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace: space, tab, CR, LF, vertical tab, form feed
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      // cpp line markers and any `#...` are comments to end of line (CPP_DIRECTIVE token)
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        out.push({ kind: 'error', text: '/', offset: i, message: `Illegal character in input: '/' (unterminated comment)` });
        return out;
      }
      i = close + 2;
      continue;
    }
    const start = i;
    if (isIdStart(c)) {
      i++;
      for (let w; i < n && (w = idRestWidth(text, i, text.charCodeAt(i))) > 0; ) i += w;
      const word = text.slice(start, i);
      push(KEYWORDS.has(word) ? 'kw' : 'id', word, start);
      continue;
    }
    if (isDigit(c)) {
      if (c === 48 && (text.charCodeAt(i + 1) === 120 /* x */) && isHex(text.charCodeAt(i + 2))) {
        i += 2;
        while (i < n && isHex(text.charCodeAt(i))) i++;
        push('int', text.slice(start, i), start);
        continue;
      }
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 46 /* . */ && isDigit(text.charCodeAt(i + 1))) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        push('float', text.slice(start, i), start);
        continue;
      }
      push('int', text.slice(start, i), start);
      continue;
    }
    if (c === 34 /* " */) {
      const close = text.indexOf('"', i + 1);
      if (close < 0) {
        out.push({ kind: 'error', text: '"', offset: i, message: `Illegal character in input: '"' (unterminated string)` });
        return out;
      }
      push('string', text.slice(i + 1, close), start);
      i = close + 1;
      continue;
    }
    if (c === 60 /* < */ && precededByImportOrInclude(out)) {
      ANGLE_BODY.lastIndex = i + 1;
      ANGLE_BODY.exec(text);
      const end = ANGLE_BODY.lastIndex;
      if (text[end] === '>') {
        push('angle', text.slice(i + 1, end), start);
        i = end + 1;
        continue;
      }
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      push('punct', two, start);
      i += 2;
      continue;
    }
    const ch = text[i];
    if (PUNCT1.includes(ch)) {
      push('punct', ch, start);
      i++;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    out.push({ kind: 'error', text: ch, offset: i, message: `Illegal character in input: ${quoteChar(cp)}` });
    return out;
  }
  out.push({ kind: 'eof', text: '', offset: n });
  return out;
}

function isSurrogateIdChar(text: string, i: number): boolean {
  const cp = text.codePointAt(i);
  return cp !== undefined && cp > 0xffff && ID_REST.test(String.fromCodePoint(cp));
}

// Angle strings only exist after `import` / `include` (reference A.2).
function precededByImportOrInclude(out: readonly Token[]): boolean {
  const last = out[out.length - 1];
  return last !== undefined && last.kind === 'kw' && (last.text === 'import' || last.text === 'include');
}

function quoteChar(cp: number): string {
  if (cp < 32 || cp === 127) return `'\\x${cp.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCodePoint(cp)}'`;
}

export interface PositionedToken extends Token {
  readonly pos: SourcePos;
}

/** Tokens with their mapped positions; throws the first lexical error as a DiagnosticError. */
export function tokenize(text: string, posOf: PosOf): PositionedToken[] {
  return lex(text).map((t) => {
    if (t.kind === 'error') lexError(t, posOf);
    return { ...t, pos: posOf(t.offset) };
  });
}

/** Throws the lexer's diagnostic for an `error` token. */
export function lexError(tok: Token, posOf: PosOf): never {
  throw errorAt(posOf(tok.offset), tok.message ?? 'Illegal character in input');
}
