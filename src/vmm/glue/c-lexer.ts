import { errorAt, LineMap, type SourcePos } from '../../diagnostics';

/**
 * Tokens of the C subset the glue reader understands. Positions are kept on every token because
 * a wrong id or size found much later (by the VMM) must still point at the glue line.
 */
export type CTokenKind = 'ident' | 'number' | 'string' | 'char' | 'punct';

export interface CToken {
  readonly kind: CTokenKind;
  readonly text: string;
  readonly pos: SourcePos;
  /** First token on its (logical) line: only there does `#` start a directive. */
  readonly bol: boolean;
  /** Decoded value of a number or character constant. */
  readonly value?: bigint;
  /** Decoded contents of a string literal (escapes resolved). */
  readonly str?: string;
  /** Set on tokens produced by a macro expansion: the macro's name and where it was defined. */
  readonly macro?: { readonly name: string; readonly defPos: SourcePos };
  /** A macro name that must not be expanded again (C11 6.10.3.4 "painted blue"). */
  readonly noExpand?: boolean;
}

// Longest first, so a greedy match picks `<<=` over `<<` over `<`.
const PUNCTUATORS = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
  '[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|', '?', ':', ';', '=', ',', '#',
];

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
};

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentChar(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

/** Splits C source into tokens, dropping comments and line splices. Preprocessing is separate. */
export function tokenizeC(text: string, file: string): CToken[] {
  const map = new LineMap(file, text);
  const out: CToken[] = [];
  let i = 0;
  let bol = true;
  const n = text.length;

  const push = (kind: CTokenKind, start: number, extra: { value?: bigint; str?: string } = {}): void => {
    out.push({ kind, text: text.slice(start, i), pos: map.pos(start), bol, ...extra });
    bol = false;
  };

  while (i < n) {
    const c = text[i];
    if (c === '\n') { bol = true; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3; // a line splice continues the logical line
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') {
        // A splice at the end of a // comment continues the comment, as in C.
        if (text[i] === '\\' && text[i + 1] === '\n') i++;
        i++;
      }
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw errorAt(map.pos(i), 'unterminated comment');
      i = end + 2;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (i < n && isIdentChar(text[i])) i++;
      if ((text[i] === '"' || text[i] === "'") && /^(L|u|U|u8)$/.test(text.slice(start, i))) {
        throw errorAt(map.pos(start), 'wide and Unicode character constants and strings are not supported');
      }
      push('ident', start);
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      // A C "pp-number": the sign after e/E/p/P belongs to the number, as in C (even for hex).
      while (i < n && (isIdentChar(text[i]) || text[i] === '.' || ((text[i] === '+' || text[i] === '-') && /[eEpP]/.test(text[i - 1])))) i++;
      push('number', start, { value: parseIntegerConstant(text.slice(start, i), map.pos(start)) });
      continue;
    }
    if (c === '"') {
      i++;
      const s = readQuoted(text, i, '"', map);
      i = s.end + 1;
      push('string', start, { str: s.value });
      continue;
    }
    if (c === "'") {
      i++;
      const s = readQuoted(text, i, "'", map);
      i = s.end + 1;
      if (s.value.length !== 1) throw errorAt(map.pos(start), 'expected exactly one character in character constant');
      push('char', start, { value: BigInt(s.value.charCodeAt(0)) });
      continue;
    }
    const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
    if (!p) throw errorAt(map.pos(i), `unexpected character ${JSON.stringify(c)}`);
    i += p.length;
    push('punct', start);
  }
  return out;
}

function readQuoted(text: string, i: number, quote: string, map: LineMap): { value: string; end: number } {
  let value = '';
  const start = i - 1;
  while (true) {
    const c = text[i];
    if (c === undefined || c === '\n') {
      throw errorAt(map.pos(start), quote === '"' ? 'missing terminating " character' : "missing terminating ' character");
    }
    if (c === quote) return { value, end: i };
    if (c !== '\\') { value += c; i++; continue; }
    const e = text[i + 1];
    if (e === '\n') { i += 2; continue; }
    if (e in SIMPLE_ESCAPES) { value += String.fromCharCode(SIMPLE_ESCAPES[e]); i += 2; continue; }
    if (e >= '0' && e <= '7') {
      let j = i + 1;
      let v = 0;
      while (j < i + 4 && text[j] >= '0' && text[j] <= '7') v = v * 8 + Number(text[j++]);
      value += String.fromCharCode(v & 0xff);
      i = j;
      continue;
    }
    if (e === 'x') {
      let j = i + 2;
      while (/[0-9a-fA-F]/.test(text[j] ?? '')) j++;
      if (j === i + 2) throw errorAt(map.pos(i), '\\x used with no following hex digits');
      value += String.fromCharCode(parseInt(text.slice(i + 2, j), 16) & 0xff);
      i = j;
      continue;
    }
    throw errorAt(map.pos(i), `unknown escape sequence '\\${e ?? ''}'`);
  }
}

/** Integer constants as C writes them: decimal, 0x hex, 0 octal, 0b binary, with u/l suffixes. */
export function parseIntegerConstant(text: string, pos: SourcePos): bigint {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$/.exec(text);
  if (!m) {
    if (/[.eEpP]/.test(text) && !/^0[xX]/.test(text)) throw errorAt(pos, `floating constant "${text}" is not supported here`);
    throw errorAt(pos, `invalid integer constant "${text}"`);
  }
  const digits = m[1];
  if (/^0[bB]/.test(digits)) return BigInt(digits);
  if (/^0[xX]/.test(digits)) return BigInt(digits);
  if (digits.length > 1 && digits[0] === '0') return BigInt('0o' + digits.slice(1));
  return BigInt(digits);
}
