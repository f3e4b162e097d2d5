import type { Node } from 'yaml';
import type { SourcePos } from '../diagnostics';
import type { Conflict, Provenance, Region } from './types';
import type { Field, Fields, Reader, Src } from './yaml-read';

/** Keys every section may carry besides its own: where its facts come from and how sure they are. */
export const PROVENANCE_KEYS = ['source', 'note', 'unconfirmed', 'conflicts'] as const;

/** An IRQ a board file names, checked against `interrupts.max_irq` once that is known. */
export interface IrqRef {
  readonly value: number;
  /** A line the VMM injects (virtio, cross-VM, free lines): bounded by the virtual controller, not the kernel. */
  readonly virtual?: boolean;
  readonly what: string;
  readonly fld: Field;
}

/** A memory region a board file names, checked for overlaps once everything is read. */
export interface NamedRegion extends Region {
  readonly what: string;
  readonly pos: SourcePos;
}

/** State shared by the section readers of one board file. */
export interface Ctx {
  readonly r: Reader;
  readonly irqs: IrqRef[];
  readonly deviceRegions: NamedRegion[];
  readonly vpciRegions: NamedRegion[];
}

export interface Section {
  readonly f: Fields;
  readonly prov: Provenance;
  readonly node: Node | null;
  readonly src: Src;
}

/** Reads a mapping section: its own keys plus the provenance keys, `source` always required. */
export function readSection(ctx: Ctx, fld: Field | undefined, what: string, required: readonly string[], optional: readonly string[]): Section | undefined {
  if (!fld) return undefined;
  const { r } = ctx;
  const node = r.resolve(fld.src, fld.value);
  const f = r.fields(fld.src, node, what, fld.keyNode);
  if (!f) return undefined;
  r.checkKeys(fld.src, node ?? fld.keyNode, f, what, [...required, 'source'], [...optional, 'note', 'unconfirmed', 'conflicts']);
  const own = [...required, ...optional];
  return { f, node, src: fld.src, prov: readProvenance(ctx, f, what, own, node ?? fld.keyNode, fld.src) };
}

export function readProvenance(ctx: Ctx, f: Fields, what: string, ownKeys: readonly string[], at: Node, src: Src): Provenance {
  const { r } = ctx;
  const source = r.str(f.get('source'), `${what}.source`) ?? '';
  const sfld = f.get('source');
  if (sfld && source && !/\S+\.md §\d/.test(source))
    r.error(sfld.src, r.node(sfld), `expected ${what}.source to name a reference section (e.g. 'platforms.md §2.6') and the upstream repo:path it gives`);
  const note = f.has('note') ? r.str(f.get('note'), `${what}.note`) : undefined;
  let unconfirmed: string[] = [];
  const ufld = f.get('unconfirmed');
  if (ufld) {
    const v = r.scalar(ufld);
    if (v === true) unconfirmed = ['*'];
    else {
      const keys = r.strList(ufld, `${what}.unconfirmed (true or a list of keys)`) ?? [];
      for (const [i, k] of keys.entries()) {
        if (!ownKeys.includes(k)) r.error(ufld.src, r.items(ufld, '')?.[i]?.value ?? ufld.keyNode, `expected each item of ${what}.unconfirmed to be a key of ${what} (one of: ${ownKeys.join(', ')})`);
      }
      unconfirmed = keys;
    }
  }
  const conflicts: Conflict[] = [];
  for (const it of r.items(f.get('conflicts'), `${what}.conflicts`) ?? []) {
    const c = readConflict(ctx, it, `${what}.conflicts`, ownKeys);
    if (c) conflicts.push(c);
  }
  return { source, note, unconfirmed, conflicts, pos: r.pos(src, at) };
}

function readConflict(ctx: Ctx, it: Field, what: string, ownKeys: readonly string[]): Conflict | undefined {
  const { r } = ctx;
  const node = r.resolve(it.src, it.value);
  const f = r.fields(it.src, node, `an entry of ${what}`, it.keyNode);
  if (!f) return undefined;
  r.checkKeys(it.src, node, f, `an entry of ${what}`, ['key', 'values'], ['note']);
  const key = r.str(f.get('key'), `${what}[].key`);
  const kf = f.get('key');
  if (key !== undefined && kf && !ownKeys.includes(key)) r.error(kf.src, r.node(kf), `expected ${what}[].key to be a key of the section (one of: ${ownKeys.join(', ')})`);
  const values: { value: unknown; source: string }[] = [];
  const vitems = r.items(f.get('values'), `${what}[].values`) ?? [];
  const vf = f.get('values');
  if (vf && vitems.length < 2) r.error(vf.src, r.node(vf), `expected ${what}[].values to list at least two values, each with its source`);
  for (const vi of vitems) {
    const vn = r.resolve(vi.src, vi.value);
    const vfs = r.fields(vi.src, vn, `a value of ${what}[]`, vi.keyNode);
    if (!vfs) continue;
    r.checkKeys(vi.src, vn, vfs, `a value of ${what}[]`, ['value', 'source'], []);
    const s = r.str(vfs.get('source'), `${what}[].values[].source`);
    const value = vfs.get('value') ? r.scalar(vfs.get('value') as Field) : undefined;
    if (s !== undefined) values.push({ value, source: s });
  }
  const note = f.has('note') ? r.str(f.get('note'), `${what}[].note`) : undefined;
  return key === undefined ? undefined : { key, values, note, pos: r.pos(it.src, node) };
}

export function irq(ctx: Ctx, fld: Field | undefined, what: string, virtual = false): number | undefined {
  const v = ctx.r.int(fld, what);
  if (v !== undefined && fld) ctx.irqs.push({ value: v, what, fld, virtual });
  return v;
}

export function irqList(ctx: Ctx, fld: Field | undefined, what: string, virtual = false): number[] | undefined {
  const its = ctx.r.items(fld, what);
  if (!its) return undefined;
  const out: number[] = [];
  for (const it of its) {
    const v = irq(ctx, it, `each item of ${what}`, virtual);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** `{base, size}`; `size` must be positive. */
export function readRegion(ctx: Ctx, fld: Field | undefined, what: string): (Region & { pos: SourcePos }) | undefined {
  if (!fld) return undefined;
  const { r } = ctx;
  const node = r.resolve(fld.src, fld.value);
  const f = r.fields(fld.src, node, what, fld.keyNode);
  if (!f) return undefined;
  r.checkKeys(fld.src, node, f, what, ['base', 'size'], []);
  const base = r.int(f.get('base'), `${what}.base`);
  const size = r.int(f.get('size'), `${what}.size`, 1);
  if (base === undefined || size === undefined) return undefined;
  return { base, size, pos: r.pos(fld.src, node) };
}

export function hex(n: number): string {
  return '0x' + n.toString(16);
}

export function fmtRange(g: Region): string {
  return `[${hex(g.base)}, ${hex(g.base + g.size)})`;
}

export function overlaps(a: Region, b: Region): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}
