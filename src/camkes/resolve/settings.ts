/**
 * Settings (stage 8, reference A.7/A.9): evaluate values, resolve `<-` attribute references, and
 * merge declared defaults with settings per instance. Struct-typed values gain the defaults of
 * fields they leave out, as upstream fills them in at freeze.
 */
import { errorAt } from '../../diagnostics';
import type { Attribute, TypeExpr } from '../ast';
import type { RawSetting } from './flatten';
import type { Scope } from './scope';
import type { ResolvedAttribute, ResolvedSetting } from './types';
import { dictGet, evalItem, lookupPath, type DictVal, type Value } from './values';

export interface Declared {
  /** Declared attributes of a target (instance or connection), by name. */
  attribute(target: string, name: string): Attribute | undefined;
}

/** Evaluates every setting and resolves `<-` references; unresolvable references are dropped (A.9). */
export function resolveSettings(raw: readonly RawSetting[], declared: Declared, scope: Scope): ResolvedSetting[] {
  const key = (t: string, a: string) => `${t}.${a}`;
  const byKey = new Map<string, RawSetting>();
  for (const s of raw) byKey.set(key(s.target, s.attribute), s);
  const memo = new Map<RawSetting, Value | null>();

  const valueOf = (s: RawSetting, chain: string[]): Value | null => {
    const k = key(s.target, s.attribute);
    if (memo.has(s)) return memo.get(s)!;
    if (s.setting.value.kind !== 'attr-ref') {
      const v = evalItem(s.setting.value);
      memo.set(s, v);
      return v;
    }
    if (chain.includes(k)) throw errorAt(s.setting.pos, `Loop detected in attribute references: ${[...chain.slice(chain.indexOf(k)), k].join('<-')}<-...`);
    const ref = s.ref!;
    const rk = key(ref.target, ref.attribute);
    const referent = byKey.get(rk);
    let v: Value | null = null;
    if (referent) v = valueOf(referent, [...chain, k]);
    else {
      const d = declared.attribute(ref.target, ref.attribute)?.default;
      if (d) v = evalItem(d);
    }
    if (v === null) {
      // Neither setting nor default on the referent: the referring attribute's own default, else drop.
      const own = declared.attribute(s.target, s.attribute)?.default;
      if (own) return evalItem(own);
      return null;
    }
    const lookup = s.setting.value.lookup.map((kx) => evalItem(kx) as Parameters<typeof lookupPath>[1][number]);
    const r = lookupPath(v, lookup, s.setting.value.pos);
    memo.set(s, r);
    return r;
  };

  const out: ResolvedSetting[] = [];
  for (const s of raw) {
    const v = valueOf(s, []);
    if (v === null) continue;
    const declaredAttr = declared.attribute(s.target, s.attribute);
    out.push({
      target: s.target,
      attribute: s.attribute,
      value: declaredAttr ? fillStruct(v, declaredAttr, scope) : v,
      reference: s.setting.value.kind === 'attr-ref',
      pos: s.setting.pos,
    });
  }
  return out;
}

/** Settings grouped by target, each group in setting order (so each target's lookup is not a scan of all). */
export function settingsByTarget(settings: readonly ResolvedSetting[]): Map<string, ResolvedSetting[]> {
  const m = new Map<string, ResolvedSetting[]>();
  for (const s of settings) {
    const g = m.get(s.target);
    if (g) g.push(s);
    else m.set(s.target, [s]);
  }
  return m;
}

/**
 * Declared defaults overlaid with `settings`, the settings whose target is this instance or
 * connection in order (last setting wins; the checker reports duplicates).
 */
export function attributesOf(decls: readonly Attribute[], settings: readonly ResolvedSetting[], scope: Scope): Map<string, ResolvedAttribute> {
  const m = new Map<string, ResolvedAttribute>();
  for (const a of decls)
    if (a.default) m.set(a.name, { name: a.name, value: fillStruct(evalItem(a.default), a, scope), source: 'default', pos: a.default.pos, declared: a });
  for (const s of settings) {
    const d = decls.find((a) => a.name === s.attribute);
    m.set(s.attribute, { name: s.attribute, value: s.value, source: s.reference ? 'reference' : 'setting', pos: s.pos, ...(d ? { declared: d } : {}) });
  }
  return m;
}

function structFields(t: TypeExpr, scope: Scope): readonly Attribute[] | undefined {
  if (t.kind === 'struct-defn') return t.fields;
  if (t.kind === 'named-type') return scope.struct(t.ref.names.join('.'))?.fields;
  return undefined;
}

/** Adds the defaults of struct fields a dict value leaves out (elementwise for arrays). */
function fillStruct(v: Value, a: Pick<Attribute, 'type' | 'array'>, scope: Scope): Value {
  const fields = structFields(a.type, scope);
  if (!fields) return v;
  if (a.array) return v.kind === 'list' ? { ...v, items: v.items.map((x) => fillStruct(x, { type: a.type, array: false }, scope)) } : v;
  if (v.kind !== 'dict') return v;
  const entries = [...v.entries];
  for (const f of fields) {
    const k: Value = { kind: 'string', value: f.name, pos: f.pos };
    const have = dictGet(v, k);
    if (have) {
      const i = entries.findIndex((e) => e.key.kind === 'string' && e.key.value === f.name);
      entries[i] = { key: entries[i].key, value: fillStruct(have, f, scope) };
    } else if (f.default) entries.push({ key: { kind: 'string', value: f.name, pos: f.pos }, value: fillStruct(evalItem(f.default), f, scope) });
  }
  return { ...v, entries } satisfies DictVal;
}
