/**
 * Configuration values after evaluation (camkes-tool stage 3 lifting, reference A.9): numbers are
 * folded, strings joined, lists and dicts frozen, queries kept as query objects for the platform
 * layer (the `dtb` engine needs a board's device tree, which this layer does not own).
 */
import { errorAt, type SourcePos } from '../../diagnostics';
import type { DictKey, Item, NumericExpr, Query } from '../ast';

export interface IntValue {
  readonly kind: 'int';
  /** Exact, as Python ints are; use `num()` for a JS number. */
  readonly value: bigint;
  readonly pos: SourcePos;
}
export interface FloatValue {
  readonly kind: 'float';
  readonly value: number;
  readonly pos: SourcePos;
}
export interface StringVal {
  readonly kind: 'string';
  readonly value: string;
  readonly pos: SourcePos;
}
export interface ListVal {
  readonly kind: 'list';
  readonly items: readonly Value[];
  readonly pos: SourcePos;
}
export interface DictVal {
  readonly kind: 'dict';
  /** In written order; a later duplicate key replaces an earlier one, as a Python dict does. */
  readonly entries: readonly { readonly key: IntValue | FloatValue | StringVal; readonly value: Value }[];
  readonly pos: SourcePos;
}
/** `dtb({...})["reg"]` etc., unevaluated: the platform layer runs the query engine. */
export interface QueryVal {
  readonly kind: 'query';
  readonly name: string;
  /** Absent for `q()`; a dict for `q({...})`; a list of dicts for `q([{...}, ...])`. */
  readonly arg?: DictVal | ListVal;
  readonly lookup: readonly (IntValue | FloatValue | StringVal)[];
  readonly pos: SourcePos;
}
export type Value = IntValue | FloatValue | StringVal | ListVal | DictVal | QueryVal;

/** A value as plain JavaScript (ints as numbers), for code that only reads settings. */
export type Plain = number | bigint | string | readonly Plain[] | { readonly [k: string]: Plain } | QueryVal;

type Num = IntValue | FloatValue;

const int = (value: bigint, pos: SourcePos): IntValue => ({ kind: 'int', value, pos });
const bool = (b: boolean, pos: SourcePos): IntValue => int(b ? 1n : 0n, pos);

function truthy(v: Num): boolean {
  return v.kind === 'int' ? v.value !== 0n : v.value !== 0;
}

function asFloat(v: Num): number {
  return v.kind === 'int' ? Number(v.value) : v.value;
}

/** Python's names for the operand kinds, used in its TypeError wording. */
const pyType = (v: Num) => (v.kind === 'int' ? 'int' : 'float');

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function pyMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

/** Evaluates a numeric expression with Python semantics (A.9: `/` floors on ints, `**` left-assoc). */
export function evalNumeric(e: NumericExpr): IntValue | FloatValue {
  switch (e.kind) {
    case 'int':
      return int(e.value, e.pos);
    case 'float':
      return { kind: 'float', value: e.value, pos: e.pos };
    case 'bool':
      return bool(e.value, e.pos);
    case 'ternary':
      return truthy(evalNumeric(e.cond)) ? evalNumeric(e.then) : evalNumeric(e.else);
    case 'unary':
      return unary(e);
    case 'binary':
      return binary(e);
  }
}

function unary(e: Extract<NumericExpr, { kind: 'unary' }>): IntValue | FloatValue {
  const v = evalNumeric(e.operand);
  switch (e.op) {
    case '+':
      return { ...v, pos: e.pos };
    case '-':
      return v.kind === 'int' ? int(-v.value, e.pos) : { kind: 'float', value: -v.value, pos: e.pos };
    case '!':
      return bool(!truthy(v), e.pos);
    case '~':
      if (v.kind !== 'int') throw errorAt(e.pos, "bad operand type for unary ~: 'float'");
      return int(-1n - v.value, e.pos);
  }
}

function binary(e: Extract<NumericExpr, { kind: 'binary' }>): IntValue | FloatValue {
  const p = e.pos;
  if (e.op === '||' || e.op === '&&') {
    const l = truthy(evalNumeric(e.left));
    if (e.op === '||' ? l : !l) return bool(l, p);
    return bool(truthy(evalNumeric(e.right)), p);
  }
  const a = evalNumeric(e.left);
  const b = evalNumeric(e.right);
  const ints = a.kind === 'int' && b.kind === 'int';
  const ai = a.value as bigint;
  const bi = b.value as bigint;
  const fl = (x: number): FloatValue => ({ kind: 'float', value: x, pos: p });
  switch (e.op) {
    case '==': return bool(ints ? ai === bi : asFloat(a) === asFloat(b), p);
    case '!=': return bool(ints ? ai !== bi : asFloat(a) !== asFloat(b), p);
    case '<': return bool(ints ? ai < bi : asFloat(a) < asFloat(b), p);
    case '<=': return bool(ints ? ai <= bi : asFloat(a) <= asFloat(b), p);
    case '>': return bool(ints ? ai > bi : asFloat(a) > asFloat(b), p);
    case '>=': return bool(ints ? ai >= bi : asFloat(a) >= asFloat(b), p);
    case '+': return ints ? int(ai + bi, p) : fl(asFloat(a) + asFloat(b));
    case '-': return ints ? int(ai - bi, p) : fl(asFloat(a) - asFloat(b));
    case '*': return ints ? int(ai * bi, p) : fl(asFloat(a) * asFloat(b));
    case '/':
      if (ints) {
        if (bi === 0n) throw errorAt(p, 'integer division or modulo by zero');
        return int(floorDiv(ai, bi), p);
      }
      if (asFloat(b) === 0) throw errorAt(p, 'float division by zero');
      return fl(asFloat(a) / asFloat(b));
    case '%':
      if (ints) {
        if (bi === 0n) throw errorAt(p, 'integer division or modulo by zero');
        return int(pyMod(ai, bi), p);
      }
      if (asFloat(b) === 0) throw errorAt(p, 'float modulo');
      return fl(((asFloat(a) % asFloat(b)) + asFloat(b)) % asFloat(b));
    case '**':
      // Python: an int to a negative int power is a float.
      return ints && bi >= 0n ? int(ai ** bi, p) : fl(asFloat(a) ** asFloat(b));
    case '<<':
    case '>>':
    case '&':
    case '|':
    case '^': {
      if (!ints) throw errorAt(p, `unsupported operand type(s) for ${e.op}: '${pyType(a)}' and '${pyType(b)}'`);
      if ((e.op === '<<' || e.op === '>>') && bi < 0n) throw errorAt(p, 'negative shift count');
      if (e.op === '<<') return int(ai << bi, p);
      if (e.op === '>>') return int(ai >> bi, p);
      if (e.op === '&') return int(ai & bi, p);
      if (e.op === '|') return int(ai | bi, p);
      return int(ai ^ bi, p);
    }
  }
  return a;
}

function evalKey(k: DictKey): IntValue | FloatValue | StringVal {
  return k.kind === 'string' ? { kind: 'string', value: k.value, pos: k.pos } : evalNumeric(k);
}

/** Evaluates a setting's or default's item. */
export function evalItem(v: Item | Query): Value {
  switch (v.kind) {
    case 'string':
      return { kind: 'string', value: v.value, pos: v.pos };
    case 'list':
      return { kind: 'list', items: v.items.map(evalItem), pos: v.pos };
    case 'dict':
      return { kind: 'dict', entries: v.entries.map((en) => ({ key: evalKey(en.key), value: evalItem(en.value) })), pos: v.pos };
    case 'query': {
      const arg = v.arg ? (evalItem(v.arg) as DictVal | ListVal) : undefined;
      return arg ? { kind: 'query', name: v.name, arg, lookup: v.lookup.map(evalKey), pos: v.pos } : { kind: 'query', name: v.name, lookup: v.lookup.map(evalKey), pos: v.pos };
    }
    default:
      return evalNumeric(v);
  }
}

/** Keys compare as Python compares them: `1 == 1.0`, strings only with strings. */
function sameKey(a: Value, b: Value): boolean {
  if (a.kind === 'string' || b.kind === 'string') return a.kind === b.kind && (a as StringVal).value === (b as StringVal).value;
  if (a.kind === 'int' && b.kind === 'int') return a.value === b.value;
  return (a.kind === 'int' || a.kind === 'float') && (b.kind === 'int' || b.kind === 'float') && asFloat(a) === asFloat(b);
}

export function dictGet(d: DictVal, key: Value): Value | undefined {
  let found: Value | undefined;
  for (const e of d.entries) if (sameKey(e.key, key)) found = e.value;
  return found;
}

/** `v[key][key]...` for `<-` references (A.9); errors say which lookup failed, Python-style. */
export function lookupPath(v: Value, keys: readonly (IntValue | FloatValue | StringVal)[], pos: SourcePos): Value {
  let cur = v;
  for (const k of keys) {
    if (cur.kind === 'dict') {
      const got = dictGet(cur, k);
      if (!got) throw errorAt(k.pos, `KeyError: ${show(k)}`);
      cur = got;
    } else if (cur.kind === 'list') {
      if (k.kind !== 'int') throw errorAt(k.pos, `list indices must be integers, not ${k.kind === 'string' ? 'str' : 'float'}`);
      const i = Number(k.value < 0n ? k.value + BigInt(cur.items.length) : k.value);
      if (i < 0 || i >= cur.items.length) throw errorAt(k.pos, 'list index out of range');
      cur = cur.items[i];
    } else {
      throw errorAt(pos, `${show(cur)} is not subscriptable`);
    }
  }
  return cur;
}

/** Text of a value as upstream prints it in messages (`"x"` strings, Python-like lists). */
export function show(v: Value): string {
  switch (v.kind) {
    case 'int':
      return v.value.toString();
    case 'float':
      return Number.isInteger(v.value) ? v.value.toFixed(1) : String(v.value);
    case 'string':
      return `'${v.value}'`;
    case 'list':
      return `[${v.items.map(show).join(', ')}]`;
    case 'dict':
      return `{${v.entries.map((e) => `${show(e.key)}: ${show(e.value)}`).join(', ')}}`;
    case 'query':
      return `${v.name}(${v.arg ? show(v.arg) : ''})${v.lookup.map((k) => `[${show(k)}]`).join('')}`;
  }
}

/** The value as plain JavaScript: ints become numbers when exact, else stay bigint. */
export function plain(v: Value): Plain {
  switch (v.kind) {
    case 'int':
      return v.value >= BigInt(Number.MIN_SAFE_INTEGER) && v.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v.value) : v.value;
    case 'float':
    case 'string':
      return v.value;
    case 'list':
      return v.items.map(plain);
    case 'dict': {
      const o: Record<string, Plain> = {};
      for (const e of v.entries) o[String(plain(e.key))] = plain(e.value);
      return o;
    }
    case 'query':
      return v;
  }
}

/** An integer setting as a JS number, or undefined when the value is not an exact safe integer. */
export function num(v: Value | undefined): number | undefined {
  if (!v || v.kind !== 'int') return undefined;
  const n = Number(v.value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A string setting's text, or undefined. */
export function str(v: Value | undefined): string | undefined {
  return v && v.kind === 'string' ? v.value : undefined;
}
