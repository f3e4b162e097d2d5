import { errorAt, type SourcePos } from '../../diagnostics';
import type { Tok } from './token';

// #if arithmetic as gcc does it: intmax_t / uintmax_t (64 bits) with the usual arithmetic
// conversions, unsigned when either operand is; identifiers left after expansion are 0.

interface Val {
  readonly v: bigint;
  readonly u: boolean;
}

const norm = (v: bigint, u: boolean): Val => ({ v: u ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v), u });
const INT = (b: boolean): Val => ({ v: b ? 1n : 0n, u: false });
const MAX_DEPTH = 512;

const BINARY: Readonly<Record<string, number>> = {
  '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6, '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};
const UNARY = new Set(['+', '-', '~', '!']);

export interface ExprContext {
  posOf(t: Tok): SourcePos;
  warn(pos: SourcePos, message: string): void;
}

/** Evaluates the (already macro-expanded) tokens of an #if or #elif. */
export function evaluate(toks: readonly Tok[], dir: Tok, cx: ExprContext): boolean {
  if (toks.length === 0) throw errorAt(dir.pos, `#${dir.text} with no expression`);
  const p = new Parser(toks, cx);
  const v = p.comma(true);
  if (p.i < toks.length) {
    const t = toks[p.i];
    if (t.text === ')') throw errorAt(cx.posOf(t), "missing '(' in expression");
    if (t.text === ':') throw errorAt(cx.posOf(t), "':' without preceding '?'");
    p.checkValid(t);
    throw errorAt(cx.posOf(t), `missing binary operator before token "${t.text}"`);
  }
  return v.v !== 0n;
}

class Parser {
  i = 0;
  private depth = 0;
  constructor(private readonly toks: readonly Tok[], private readonly cx: ExprContext) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private isOp(text: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }
  private fail(t: Tok, message: string): never {
    throw errorAt(this.cx.posOf(t), message);
  }

  checkValid(t: Tok): void {
    const ok = t.kind === 'num' || t.kind === 'chr' || t.kind === 'id' || (t.kind === 'punct' && (t.text in BINARY || UNARY.has(t.text) || '()?:,'.includes(t.text)));
    if (!ok) this.fail(t, `token "${t.text}" is not valid in preprocessor expressions`);
  }

  comma(ev: boolean): Val {
    let v = this.cond(ev);
    while (this.isOp(',')) {
      this.i++;
      v = this.cond(ev);
    }
    return v;
  }

  private cond(ev: boolean): Val {
    const c = this.binary(1, ev);
    if (!this.isOp('?')) return c;
    const q = this.toks[this.i++];
    const truth = c.v !== 0n;
    const a = this.comma(ev && truth);
    if (!this.isOp(':')) this.fail(this.peek() ?? q, "'?' without following ':'");
    this.i++;
    const b = this.cond(ev && !truth);
    const u = a.u || b.u;
    return norm(truth ? a.v : b.v, u);
  }

  private binary(minPrec: number, ev: boolean): Val {
    let lhs = this.unary(ev);
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'punct' || !(t.text in BINARY)) {
        if (t) this.checkValid(t);
        return lhs;
      }
      const prec = BINARY[t.text];
      if (prec < minPrec) return lhs;
      this.i++;
      if (t.text === '&&' || t.text === '||') {
        const short = t.text === '&&' ? lhs.v === 0n : lhs.v !== 0n;
        const rhs = this.binary(prec + 1, ev && !short);
        lhs = INT(t.text === '&&' ? lhs.v !== 0n && rhs.v !== 0n : lhs.v !== 0n || rhs.v !== 0n);
        continue;
      }
      const rhs = this.binary(prec + 1, ev);
      lhs = this.apply(t, lhs, rhs, ev);
    }
  }

  private apply(t: Tok, a: Val, b: Val, ev: boolean): Val {
    const op = t.text;
    if (op === '<<' || op === '>>') return shift(a, b, op === '<<');
    const u = a.u || b.u;
    const x = u ? BigInt.asUintN(64, a.v) : a.v;
    const y = u ? BigInt.asUintN(64, b.v) : b.v;
    switch (op) {
      case '*': return norm(x * y, u);
      case '/':
      case '%':
        if (y === 0n) {
          if (ev) this.fail(t, 'division by zero in #if');
          return norm(0n, u);
        }
        return norm(op === '/' ? x / y : x % y, u);
      case '+': return norm(x + y, u);
      case '-': return norm(x - y, u);
      case '<': return INT(x < y);
      case '>': return INT(x > y);
      case '<=': return INT(x <= y);
      case '>=': return INT(x >= y);
      case '==': return INT(x === y);
      case '!=': return INT(x !== y);
      case '&': return norm(x & y, u);
      case '^': return norm(x ^ y, u);
      default: return norm(x | y, u);
    }
  }

  private unary(ev: boolean): Val {
    const t = this.peek();
    if (!t) {
      const prev = this.toks[this.i - 1];
      this.fail(prev, `operator '${prev.text}' has no right operand`);
    }
    if (t.kind === 'punct' && UNARY.has(t.text)) {
      this.enter(t);
      this.i++;
      const v = this.unary(ev);
      this.depth--;
      switch (t.text) {
        case '+': return v;
        case '-': return norm(-v.v, v.u);
        case '~': return norm(~v.v, v.u);
        default: return INT(v.v === 0n);
      }
    }
    return this.primary(ev);
  }

  private enter(t: Tok): void {
    if (++this.depth > MAX_DEPTH) this.fail(t, `#if expression nested more than ${MAX_DEPTH} deep`);
  }

  private primary(ev: boolean): Val {
    const t = this.toks[this.i];
    if (t.kind === 'punct' && t.text === '(') {
      this.enter(t);
      this.i++;
      if (this.isOp(')')) this.fail(this.toks[this.i], "missing expression between '(' and ')'");
      const v = this.comma(ev);
      if (!this.isOp(')')) this.fail(this.peek() ?? t, "missing ')' in expression");
      this.i++;
      this.depth--;
      return v;
    }
    this.checkValid(t);
    if (t.kind === 'num') {
      this.i++;
      return parseNumber(t, this.cx);
    }
    if (t.kind === 'chr') {
      this.i++;
      return parseChar(t, this.cx);
    }
    if (t.kind === 'id') {
      this.i++;
      return INT(false);
    }
    if (this.i === 0) this.fail(t, `operator '${t.text}' has no left operand`);
    const prev = this.toks[this.i - 1];
    return this.fail(t, `operator '${prev.text}' has no right operand`);
  }
}

function shift(a: Val, b: Val, left: boolean): Val {
  // gcc: a negative count shifts the other way; counts past the width give 0 (or -1).
  let n = b.v;
  if (!b.u && n < 0n) {
    left = !left;
    n = -n;
  }
  if (b.u) n = BigInt.asUintN(64, n);
  if (left) return n >= 64n ? norm(0n, a.u) : norm(a.v << n, a.u);
  if (n >= 64n) return norm(!a.u && a.v < 0n ? -1n : 0n, a.u);
  return norm((a.u ? BigInt.asUintN(64, a.v) : a.v) >> n, a.u);
}

function parseNumber(t: Tok, cx: ExprContext): Val {
  const s = t.text;
  const fail = (m: string): never => {
    throw errorAt(cx.posOf(t), m);
  };
  let radix = 10;
  let body = s;
  if (/^0[xX]/.test(s)) {
    radix = 16;
    body = s.slice(2);
  } else if (/^0[bB]/.test(s)) {
    radix = 2;
    body = s.slice(2);
  } else if (s[0] === '0') radix = 8;
  const digitRe = radix === 16 ? /^[0-9a-fA-F]*/ : /^[0-9]*/;
  const digits = digitRe.exec(body)![0];
  const suffix = body.slice(digits.length);
  const isFloat = suffix[0] === '.' || (radix === 16 ? /^[pP]/.test(suffix) : radix !== 2 && /^[eE]/.test(suffix));
  if (isFloat) fail('floating constant in preprocessor expression');
  if ((radix === 16 || radix === 2) && digits.length === 0) fail(`invalid suffix "${s.slice(1)}" on integer constant`);
  if (!/^([uU]?(l|L|ll|LL)?|(l|L|ll|LL)[uU])$/.test(suffix)) {
    if (/^[ij]/i.test(suffix)) fail('imaginary number in preprocessor expression');
    fail(`invalid suffix "${suffix}" on integer constant`);
  }
  for (const d of digits) {
    const v = parseInt(d, 16);
    if (v >= radix) fail(`invalid digit "${d}" in ${radix === 8 ? 'octal' : 'binary'} constant`);
  }
  let value = 0n;
  const r = BigInt(radix);
  for (const d of digits) value = value * r + BigInt(parseInt(d, 16));
  if (value > 0xffffffffffffffffn) {
    cx.warn(cx.posOf(t), 'integer constant is too large for its type');
    value = BigInt.asUintN(64, value);
  }
  let unsigned = /[uU]/.test(suffix);
  if (!unsigned && value > 0x7fffffffffffffffn) {
    if (radix === 10) cx.warn(cx.posOf(t), 'integer constant is so large that it is unsigned');
    unsigned = true;
  }
  return norm(value, unsigned);
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, E: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
};

/** gcc cpp_interpret_charconst for the x86-64 target (signed 8-bit char, 32-bit int and wchar_t). */
function parseChar(t: Tok, cx: ExprContext): Val {
  const q = t.text.indexOf("'");
  const prefix = t.text.slice(0, q);
  const body = t.text.slice(q + 1, -1);
  const width = prefix === '' ? 8 : prefix === 'u' ? 16 : 32;
  const unsignedChar = prefix === 'u' || prefix === 'U';
  const units: number[] = [];
  for (let k = 0; k < body.length; ) {
    const c = body[k];
    if (c !== '\\') {
      const cp = body.codePointAt(k)!;
      k += cp > 0xffff ? 2 : 1;
      if (width === 8) for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) units.push(b);
      else units.push(cp);
      continue;
    }
    const e = body[k + 1];
    k += 2;
    if (e in SIMPLE_ESCAPES) units.push(SIMPLE_ESCAPES[e]);
    else if (/[0-7]/.test(e)) {
      let v = parseInt(e, 8);
      for (let n = 0; n < 2 && /[0-7]/.test(body[k] ?? ''); n++) v = v * 8 + parseInt(body[k++], 8);
      units.push(v);
    } else if (e === 'x') {
      let v = 0n;
      const start = k;
      while (k < body.length && /[0-9a-fA-F]/.test(body[k])) v = v * 16n + BigInt(parseInt(body[k++], 16));
      if (k === start) throw errorAt(cx.posOf(t), '\\x used with no following hex digits');
      units.push(Number(BigInt.asUintN(width, v)));
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      units.push(parseInt(body.slice(k, k + n), 16) || 0);
      k += n;
    } else {
      cx.warn(cx.posOf(t), `unknown escape sequence: '\\${e}'`);
      units.push(e.charCodeAt(0));
    }
  }
  if (units.length === 0) throw errorAt(cx.posOf(t), 'empty character constant');
  let value = 0n;
  const maxChars = Math.floor(32 / width);
  if (units.length > 1) {
    if (units.length > maxChars) cx.warn(cx.posOf(t), 'character constant too long for its type');
    else if (width === 8) cx.warn(cx.posOf(t), 'multi-character character constant');
  }
  for (const u of units) value = BigInt.asUintN(32, (value << BigInt(width)) | BigInt(u & (2 ** width - 1)));
  if (units.length > 1 || width === 32) return norm(unsignedChar ? value : BigInt.asIntN(32, value), false);
  return norm(unsignedChar ? value : BigInt.asIntN(width, value), false);
}
