/**
 * Reading configuration values (CAmkES settings after resolution, or board-file entries turned
 * into the same shape) with every problem collected as a positioned diagnostic.
 */
import { diagnostic, DiagnosticError, type Diagnostic, type SourcePos } from '../../diagnostics';
import type { DictVal, ListVal, ResolvedAssembly, Value } from '../../camkes/resolve';

export class Collector {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  error(pos: SourcePos, message: string): void {
    this.errors.push(diagnostic('error', pos, message));
  }
  warn(pos: SourcePos, message: string): void {
    this.warnings.push(diagnostic('warning', pos, message));
  }
  /** Throws every error found, in file order, as one DiagnosticError. */
  throwIfAny(): void {
    if (!this.errors.length) return;
    const sorted = [...this.errors].sort((a, b) => a.pos.file.localeCompare(b.pos.file) || a.pos.line - b.pos.line || a.pos.col - b.pos.col);
    throw new DiagnosticError(sorted);
  }
}

const KIND: Record<Value['kind'], string> = { int: 'an integer', float: 'a float', string: 'a string', list: 'a list', dict: 'a dictionary', query: 'a query' };

export function describe(v: Value): string {
  return KIND[v.kind];
}

export function asList(c: Collector, v: Value, what: string): ListVal | undefined {
  if (v.kind === 'list') return v;
  c.error(v.pos, `expected ${what} to be a list, found ${describe(v)}`);
  return undefined;
}

export function asDict(c: Collector, v: Value, what: string): DictVal | undefined {
  if (v.kind === 'dict') return v;
  c.error(v.pos, `expected ${what} to be a dictionary {...}, found ${describe(v)}`);
  return undefined;
}

export function field(d: DictVal, key: string): Value | undefined {
  let out: Value | undefined;
  for (const e of d.entries) if (e.key.kind === 'string' && e.key.value === key) out = e.value;
  return out;
}

/** An integer field; `required` false gives undefined when absent. Ints beyond 2^53 are refused. */
export function intField(c: Collector, d: DictVal, key: string, what: string, required = true): number | undefined {
  const v = field(d, key);
  if (!v) {
    if (required) c.error(d.pos, `expected key "${key}" (an integer) in ${what}`);
    return undefined;
  }
  if (v.kind !== 'int') {
    c.error(v.pos, `expected "${key}" of ${what} to be an integer, found ${describe(v)}`);
    return undefined;
  }
  if (v.value < 0n || v.value > BigInt(Number.MAX_SAFE_INTEGER)) {
    c.error(v.pos, `expected "${key}" of ${what} to be a non-negative integer, found ${v.value}`);
    return undefined;
  }
  return Number(v.value);
}

export function strField(c: Collector, d: DictVal, key: string, what: string): string | undefined {
  const v = field(d, key);
  if (!v) {
    c.error(d.pos, `expected key "${key}" (a string) in ${what}`);
    return undefined;
  }
  if (v.kind !== 'string') {
    c.error(v.pos, `expected "${key}" of ${what} to be a string, found ${describe(v)}`);
    return undefined;
  }
  return v.value;
}

/** The settings of one instance: the last setting of each attribute wins, as in the resolved maps. */
export interface InstanceSettings {
  readonly instance: string;
  get(attribute: string): Value | undefined;
}

export function instanceSettings(asm: ResolvedAssembly, instance: string): InstanceSettings {
  const last = new Map<string, Value>();
  for (const s of asm.settings) if (s.target === instance) last.set(s.attribute, s.value);
  return { instance, get: (a) => last.get(a) };
}

/** Builders for turning board-file entries (already typed) into values positioned at the entry. */
export const V = {
  int: (n: number, pos: SourcePos): Value => ({ kind: 'int', value: BigInt(n), pos }),
  str: (s: string, pos: SourcePos): Value => ({ kind: 'string', value: s, pos }),
  list: (items: readonly Value[], pos: SourcePos): Value => ({ kind: 'list', items, pos }),
  dict: (o: Readonly<Record<string, Value>>, pos: SourcePos): Value => ({
    kind: 'dict',
    entries: Object.entries(o).map(([k, value]) => ({ key: { kind: 'string', value: k, pos }, value })),
    pos,
  }),
};
