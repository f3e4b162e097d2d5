/**
 * Settings at freeze time (reference A.7, A.12): duplicates, C-keyword names, and the type check
 * that upstream runs only for settings whose instance exists and whose attribute is declared.
 * Settings for unknown instances or undeclared attributes are accepted, as upstream does.
 */
import type { Attribute, TypeExpr } from '../ast';
import type { ResolvedAssembly, ResolvedSetting } from '../resolve/types';
import { dictGet, type Value } from '../resolve/values';
import { C_KEYWORDS } from './ckeywords';
import type { Sink } from './context';
import { MSG } from './messages';

/** Keyword types that accept an integer value (A.7: `unsigned int`, `char`, ... accept nothing). */
const INT_TYPES = new Set(['int', 'integer', 'signed', 'signed int', 'signed integer', 'uint64_t', 'int64_t']);

/** The value's kind as upstream names it in the mistyped-assignment message. */
function valueKind(v: Value): string {
  return v.kind === 'query' ? 'query' : v.kind;
}

/** The value as Python's `str()` prints it (strings bare, containers with repr'd strings). */
function pyStr(v: Value, nested = false): string {
  switch (v.kind) {
    case 'int': return v.value.toString();
    case 'float': return Number.isInteger(v.value) ? v.value.toFixed(1) : String(v.value);
    case 'string': return nested ? `'${v.value}'` : v.value;
    case 'list': return `(${v.items.map((x) => pyStr(x, true)).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'dict': return `{${v.entries.map((e) => `${pyStr(e.key, true)}: ${pyStr(e.value, true)}`).join(', ')}}`;
    case 'query': return `${v.name}(...)`;
  }
}

type Lookup = (name: string) => readonly Attribute[] | undefined;

function typeText(t: TypeExpr): string {
  if (t.kind === 'keyword-type') return t.name;
  if (t.kind === 'named-type') return t.ref.names.join('.');
  if (t.kind === 'struct-type') return `struct ${t.name}`;
  return 'struct';
}

/** Checks `v` against a declared attribute; records the first mismatch and returns false. */
function checkValue(a: Attribute, v: Value, structs: Lookup, sink: Sink, asElement = false): boolean {
  const t = typeText(a.type);
  // Queries (dtb(...)) are evaluated by the platform layer; their shape is not known here.
  if (v.kind === 'query') return true;
  if (a.array && !asElement) {
    if (v.kind !== 'list') return (sink.error(v.pos, MSG.arrayGivenScalar(t, pyStr(v))), false);
    return v.items.every((x) => checkValue(a, x, structs, sink, true));
  }
  const mistyped = (): false => (sink.error(v.pos, MSG.mistyped(t, pyStr(v), valueKind(v))), false);
  if (a.type.kind === 'keyword-type') {
    if (v.kind === 'int') return INT_TYPES.has(a.type.name) || mistyped();
    if (v.kind === 'string') return a.type.name === 'string' || mistyped();
    return mistyped();
  }
  const fields = a.type.kind === 'struct-defn' ? a.type.fields : a.type.kind === 'named-type' ? structs(t) : undefined;
  if (!fields) return true; // an unknown struct was already reported by stage 4
  if (v.kind !== 'dict') return mistyped();
  const names = new Set(fields.map((f) => f.name));
  const given = new Set(v.entries.map((e) => (e.key.kind === 'string' ? e.key.value : '')));
  const missing = fields.filter((f) => !given.has(f.name) && f.default === undefined).map((f) => f.name);
  if (missing.length) return (sink.error(v.pos, MSG.structMissing(missing)), false);
  const extra = [...given].filter((g) => !names.has(g));
  // Upstream only logs extra fields and carries on (A.7), so this is a warning.
  if (extra.length) sink.warn(v.pos, `Attributes: "[${extra.map((x) => `'${x}'`).join(', ')}]" do not exist in "${t}" definition.`);
  for (const f of fields) {
    const fv = dictGet(v, { kind: 'string', value: f.name, pos: v.pos });
    if (fv && !checkValue(f, fv, structs, sink)) return false;
  }
  return true;
}

export function checkSettings(a: ResolvedAssembly, sink: Sink): void {
  const structs: Lookup = (name) => a.structs.get(name)?.fields;
  const seen = new Set<string>();
  for (const s of a.settings) {
    const key = `${s.target}.${s.attribute}`;
    if (seen.has(key)) sink.error(s.pos, MSG.duplicateSetting(s.target, s.attribute));
    seen.add(key);
    if (C_KEYWORDS.has(s.attribute)) sink.error(s.pos, MSG.cKeyword('setting', s.attribute));
    checkSetting(a, s, structs, sink);
  }
}

function checkSetting(a: ResolvedAssembly, s: ResolvedSetting, structs: Lookup, sink: Sink): void {
  const inst = a.instance(s.target);
  const decl = inst?.type.attributes.find((x) => x.name === s.attribute);
  if (decl) checkValue(decl, s.value, structs, sink);
}
