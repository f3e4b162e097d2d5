import { diagnostic, DiagnosticError, errorAt, type SourcePos } from '../../diagnostics';
import { evalInt, type EvalContext } from './c-eval';
import { exprText, typeText, type CExpr, type CInit, type CInitList } from './c-expr';
import type { CExternal } from './c-parser';
import { HEADER_CONSTANTS } from './layouts';
import type { GlueSymbol } from './types';

export type CVar = Extract<CExternal, { kind: 'var' }>;
export type CFunction = Extract<CExternal, { kind: 'function' }>;

/** The file-level names of all glue files together, as the linker would see them. */
export class GlueScope {
  readonly vars = new Map<string, CVar>();
  readonly functions = new Map<string, CFunction>();
  readonly externs: CVar[] = [];
  readonly invocations: Extract<CExternal, { kind: 'invocation' }>[] = [];
  private readonly lengths = new Map<string, number>();

  constructor(externals: readonly CExternal[]) {
    for (const x of externals) {
      if (x.kind === 'invocation') this.invocations.push(x);
      else if (x.kind === 'function') {
        if (!x.body) continue;
        const prev = this.functions.get(x.name);
        if (prev) throw redefinition(x.name, x.pos, prev.pos);
        this.functions.set(x.name, x);
      } else if (x.kind === 'var') {
        if (x.storage.extern && !x.init) { this.externs.push(x); continue; }
        const prev = this.vars.get(x.name);
        if (prev) throw redefinition(x.name, x.pos, prev.pos);
        this.vars.set(x.name, x);
      }
    }
  }

  readonly evalCtx: EvalContext = {
    ident: (name) => HEADER_CONSTANTS[name],
    arrayLength: (name) => {
      const v = this.vars.get(name);
      return v && v.arrayDims.length ? this.arrayLength(v) : undefined;
    },
  };

  int(e: CInit): number {
    const v = evalInt(e, this.evalCtx);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw errorAt(e.pos, `integer ${v} is too large for the model`);
    return Number(v);
  }

  /** Element count: the declared size, or one past the highest initialised index. */
  arrayLength(v: CVar): number {
    const cached = this.lengths.get(v.name);
    if (cached !== undefined) return cached;
    const entries = this.arrayEntries(v);
    const n = v.arrayDims[0] ? this.int(v.arrayDims[0]) : entries.reduce((m, e) => Math.max(m, e.index + 1), 0);
    this.lengths.set(v.name, n);
    return n;
  }

  /** The initialised entries of a file-level array, honouring `[k] =` designators as C does. */
  arrayEntries(v: CVar): { index: number; value: CInit; pos: SourcePos }[] {
    if (!v.init) return [];
    if (v.init.kind !== 'init-list') throw errorAt(v.init.pos, `expected '{' to initialise array '${v.name}'`);
    const out: { index: number; value: CInit; pos: SourcePos }[] = [];
    const limit = v.arrayDims[0] ? Number(evalInt(v.arrayDims[0], { ident: (n) => HEADER_CONSTANTS[n] })) : Infinity;
    let next = 0;
    for (const item of v.init.items) {
      if (item.designators.length > 1 || (item.designators[0] && item.designators[0].kind !== 'index')) {
        throw errorAt(item.pos, `expected '[index] =' or a plain element in the initialiser of array '${v.name}'`);
      }
      const d = item.designators[0];
      const index = d && d.kind === 'index' ? this.int(d.index) : next;
      if (index < 0) throw errorAt(item.pos, `array index ${index} in initialiser of '${v.name}' is negative`);
      if (index >= limit) throw errorAt(item.pos, `excess elements in array initialiser of '${v.name}' (size ${limit})`);
      if (out.some((o) => o.index === index)) throw errorAt(item.pos, `element ${index} of '${v.name}' is initialised twice`);
      out.push({ index, value: item.value, pos: item.pos });
      next = index + 1;
    }
    return out.sort((a, b) => a.index - b.index);
  }

  /** A file-level array named by an argument, with the element type the callee needs. */
  arrayArg(e: CExpr, want: { base: string; pointers: number }, context: string): CVar {
    const name = e.kind === 'ident' ? e.name : e.kind === 'unary' && e.op === '&' && e.operand.kind === 'ident' ? e.operand.name : undefined;
    const v = name ? this.vars.get(name) : undefined;
    const wantText = typeText({ base: want.base, pointers: want.pointers, pos: e.pos });
    if (!v || !v.arrayDims.length) throw errorAt(e.pos, `expected an array of ${wantText} defined in the glue as ${context}, found "${exprText(e)}"`);
    if (v.type.base !== want.base || v.type.pointers !== want.pointers || v.arrayDims.length !== 1) {
      throw errorAt(e.pos, `expected an array of ${wantText} as ${context}, but '${v.name}' is an array of ${typeText(v.type)}`);
    }
    return v;
  }
}

function redefinition(name: string, pos: SourcePos, prev: SourcePos): DiagnosticError {
  return new DiagnosticError(diagnostic('error', pos, `redefinition of '${name}'`, [diagnostic('note', prev, `previous definition of '${name}' was here`)]));
}

export function isNullPointer(e: CInit): boolean {
  if (e.kind === 'ident') return e.name === 'NULL';
  if (e.kind === 'int') return e.value === 0n;
  if (e.kind === 'cast') return isNullPointer(e.operand);
  return false;
}

/**
 * A CAmkES-generated symbol: `[&]<iface><suffix>`. The reader does not read the generated
 * headers, so any other name is rejected rather than guessed at.
 */
export function generatedSymbol(e: CInit, suffix: string, opts: { addressOf: 'required' | 'optional'; what: string }): GlueSymbol {
  let inner: CInit = e;
  if (inner.kind === 'unary' && inner.op === '&') inner = inner.operand;
  else if (opts.addressOf === 'required') throw errorAt(e.pos, `expected &<interface>${suffix} (${opts.what}) or NULL, found "${exprText(e)}"`);
  if (inner.kind !== 'ident' || !inner.name.endsWith(suffix) || inner.name.length === suffix.length) {
    const form = opts.addressOf === 'required' ? `&<interface>${suffix}` : `<interface>${suffix}`;
    throw errorAt(e.pos, `expected ${form} (${opts.what}) or NULL, found "${exprText(e)}"`);
  }
  return { symbol: inner.name, interface: inner.name.slice(0, -suffix.length), pos: inner.pos };
}

/** Member values of a struct initialiser, by member name, following C's designator rules. */
export function structFields(list: CInit, fields: readonly string[], structName: string): Map<string, { value: CInit; pos: SourcePos }> {
  if (list.kind !== 'init-list') throw errorAt(list.pos, `expected '{' to initialise ${structName}, found "${exprText(list)}"`);
  const out = new Map<string, { value: CInit; pos: SourcePos }>();
  let next = 0;
  for (const item of (list as CInitList).items) {
    let k = next;
    if (item.designators.length) {
      const d = item.designators[0];
      if (item.designators.length > 1 || d.kind !== 'field') throw errorAt(item.pos, `expected '.member =' in initialiser of ${structName}`);
      k = fields.indexOf(d.name);
      if (k < 0) throw errorAt(d.pos, `${structName} has no member named '${d.name}' (members: ${fields.join(', ')})`);
    }
    if (k >= fields.length) throw errorAt(item.pos, `excess elements in initialiser of ${structName} (it has ${fields.length} members: ${fields.join(', ')})`);
    if (out.has(fields[k])) throw errorAt(item.pos, `member '${fields[k]}' of ${structName} is initialised twice`);
    out.set(fields[k], { value: item.value, pos: item.pos });
    next = k + 1;
  }
  return out;
}
