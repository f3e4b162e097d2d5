/** Values on the right of `=`: numeric expressions, strings, lists, dicts, queries, `<-` refs (A.9). */
import { errorAt } from '../../diagnostics';
import type {
  AttributeReference, BinaryOp, DictEntry, DictKey, DictValue, FloatLiteral, IntLiteral, Item,
  ListValue, NumericExpr, Query, StringValue, UnaryOp,
} from '../ast';
import type { Stream } from './stream';

const EXPR_START = 'a value (number, string, list or dict)';

/**
 * Binary precedence levels, lowest first (reference A.9). All left-associative; `**` shares the
 * `*` level, so `2 ** 3 ** 2` is `(2 ** 3) ** 2`.
 */
export const BINARY_LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'],
  ['*', '/', '%', '**'],
];
const UNARY: readonly string[] = ['-', '+', '!', '~'];

export function startsNumericExpr(s: Stream): boolean {
  const t = s.peek();
  if (t.kind === 'int' || t.kind === 'float') return true;
  if (t.kind === 'kw') return t.text === 'true' || t.text === 'True' || t.text === 'false' || t.text === 'False';
  return t.kind === 'punct' && (t.text === '(' || UNARY.includes(t.text));
}

/**
 * `ternary := or ( "?" ternary ":" or )?` — the else branch cannot itself be an unparenthesised
 * ternary (`0 ? 5 : 1 ? 6 : 7` is a syntax error upstream, VERIFIED-RUN), the then branch can.
 */
export function numericExpr(s: Stream): NumericExpr {
  return s.nest(() => ternary(s));
}

function ternary(s: Stream): NumericExpr {
  const cond = binary(s, 0);
  if (!s.is('?')) return cond;
  s.next();
  const then = numericExpr(s);
  s.expect(':');
  const els = binary(s, 0);
  return { kind: 'ternary', pos: cond.pos, cond, then, else: els };
}

function binary(s: Stream, level: number): NumericExpr {
  if (level === BINARY_LEVELS.length) return unary(s);
  const ops = BINARY_LEVELS[level];
  let left = binary(s, level + 1);
  for (;;) {
    const t = s.peek();
    if (t.kind !== 'punct' || !(ops as readonly string[]).includes(t.text)) return left;
    s.next();
    const right = binary(s, level + 1);
    left = { kind: 'binary', pos: left.pos, op: t.text as BinaryOp, left, right };
  }
}

function unary(s: Stream): NumericExpr {
  const t = s.peek();
  const pos = s.pos(t);
  if (t.kind === 'punct' && UNARY.includes(t.text)) {
    s.next();
    return { kind: 'unary', pos, op: t.text as UnaryOp, operand: s.nest(() => unary(s)) };
  }
  if (t.kind === 'punct' && t.text === '(') {
    s.next();
    const e = numericExpr(s);
    s.expect(')');
    return e;
  }
  if (t.kind === 'int' || t.kind === 'float') return number(s);
  if (t.kind === 'kw' && (t.text === 'true' || t.text === 'True')) {
    s.next();
    return { kind: 'bool', pos, value: true };
  }
  if (t.kind === 'kw' && (t.text === 'false' || t.text === 'False')) {
    s.next();
    return { kind: 'bool', pos, value: false };
  }
  return s.fail('a number');
}

/** A numeric literal, converted as Python `int(text, 0)` / `float(text)` (reference A.2). */
export function number(s: Stream): IntLiteral | FloatLiteral {
  const t = s.peek();
  const pos = s.pos(t);
  if (t.kind === 'float') {
    s.next();
    return { kind: 'float', pos, text: t.text, value: Number(t.text) };
  }
  if (t.kind !== 'int') return s.fail('a number');
  s.next();
  // Python's int(x, 0) rejects decimal literals with a leading zero unless all digits are 0.
  if (/^0\d/.test(t.text) && !/^0+$/.test(t.text)) {
    throw errorAt(pos, `invalid literal for int() with base 0: '${t.text}'`);
  }
  return { kind: 'int', pos, text: t.text, value: BigInt(t.text) };
}

/** `string+`: adjacent literals are concatenated (C style). */
export function strings(s: Stream): StringValue {
  const pos = s.pos();
  if (s.peek().kind !== 'string') return s.fail('a string');
  let value = '';
  while (s.peek().kind === 'string') value += s.next().text;
  return { kind: 'string', pos, value };
}

/** `item := numeric_expr | string+ | list | dict` */
export function item(s: Stream, what = EXPR_START): Item {
  const t = s.peek();
  if (t.kind === 'string') return strings(s);
  if (s.is('[')) return s.nest(() => list(s));
  if (s.is('{')) return s.nest(() => dict(s));
  if (startsNumericExpr(s)) return numericExpr(s);
  return s.fail(what);
}

export function list(s: Stream): ListValue {
  const pos = s.pos();
  s.expect('[');
  const items: Item[] = [];
  while (!s.is(']')) {
    items.push(item(s, `a value or ']'`));
    if (!s.accept(',')) break;
  }
  s.expect(']', items.length ? `',' or ']'` : `a value or ']'`);
  return { kind: 'list', pos, items };
}

/** `key := numeric_expr | string+` — identifiers are not keys (`{a: 1}` is a syntax error). */
export function key(s: Stream, what: string): DictKey {
  if (s.peek().kind === 'string') return strings(s);
  if (startsNumericExpr(s)) return numericExpr(s);
  return s.fail(what);
}

export function dict(s: Stream): DictValue {
  const pos = s.pos();
  s.expect('{');
  const entries: DictEntry[] = [];
  while (!s.is('}')) {
    const epos = s.pos();
    const k = key(s, `a dict key (string or number) or '}'`);
    s.expect(':');
    entries.push({ kind: 'dict-entry', pos: epos, key: k, value: item(s) });
    if (!s.accept(',')) break;
  }
  s.expect('}', entries.length ? `',' or '}'` : `a dict key (string or number) or '}'`);
  return { kind: 'dict', pos, entries };
}

/** `dict_lookup := ( "[" key "]" )*` */
export function lookups(s: Stream): DictKey[] {
  const out: DictKey[] = [];
  while (s.accept('[')) {
    out.push(key(s, 'a lookup key (string or number)'));
    s.expect(']');
  }
  return out;
}

/** `query := ID "(" ( dict | "[" dict,* "]" )? ")" dict_lookup?` */
export function query(s: Stream): Query {
  const pos = s.pos();
  const name = s.id();
  s.expect('(');
  let arg: DictValue | ListValue | undefined;
  if (s.is('{')) arg = dict(s);
  else if (s.is('[')) {
    const lpos = s.pos();
    s.next();
    const items: DictValue[] = [];
    while (!s.is(']')) {
      if (!s.is('{')) s.fail(items.length ? `'{'` : `'{' or ']'`);
      items.push(dict(s));
      if (!s.accept(',')) break;
    }
    s.expect(']', items.length ? `',' or ']'` : `'{' or ']'`);
    arg = { kind: 'list', pos: lpos, items };
  }
  s.expect(')', arg ? `')'` : `'{', '[' or ')'`);
  const lookup = lookups(s);
  return arg ? { kind: 'query', pos, name, arg, lookup } : { kind: 'query', pos, name, lookup };
}

/** `attr_ref := ID ("." ID)* dict_lookup?` */
export function attributeReference(s: Stream): AttributeReference {
  const pos = s.pos();
  const names = [s.id('an attribute name')];
  while (s.accept('.')) names.push(s.id());
  return { kind: 'attr-ref', pos, names, lookup: lookups(s) };
}
