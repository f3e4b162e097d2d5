/**
 * Dataport sizes and access rights, with the template errors upstream raises for them
 * (reference A.13 "Template-time errors", cross-vm-connectors.md 7.4, 8.1).
 */
import { errorAt, type SourcePos } from '../../diagnostics';
import { rights as capRights, type CapRights } from '../../sel4';
import { num, type ResolvedAttribute, type ResolvedConnection, type ResolvedEnd } from '../resolve';

export const PAGE = 4096;

function checkSize(n: number, what: string, pos: SourcePos): number {
  if (n < PAGE || n % PAGE !== 0) throw errorAt(pos, `Setting ${what} does not meet minimum size requirements. ${n} must be at least 4096 and 4096 aligned`);
  return n;
}

function intSetting(a: ResolvedAttribute | undefined, what: string): number | undefined {
  if (!a) return undefined;
  const n = num(a.value);
  if (n === undefined) throw errorAt(a.pos, `Setting ${what} should be an integer size`);
  return n;
}

/** seL4SharedData: `Buf(N)` gives N; other types `<conn>.size` (default 4096). */
export function sharedDataSize(c: ResolvedConnection): number {
  const end = c.ends[0];
  const i = end.interface;
  if (i.type.startsWith('Buf(')) return checkSize(i.dataportSize!, `Buf(${i.dataportSize})`, i.ast.kind === 'dataport' ? i.ast.type.pos : i.pos);
  if (i.type === 'Buf') return PAGE;
  const s = c.attributes.get('size');
  return s && s.source !== 'default' ? checkSize(intSetting(s, `${c.name}.size`)!, `${c.name}.size`, s.pos) : PAGE;
}

export interface WithCapsSize {
  /** The configured size (`get_size`): `<conn>.size`, `<to>.<iface>_size`, or 4096. */
  readonly configured: number;
  /** Bytes of frames: the larger of the configured size and the dataport type's size. */
  readonly mapped: number;
}

/**
 * seL4SharedDataWithCaps: `<conn>.size` or, with exactly one to end, `<to-inst>.<to-iface>_size`;
 * both is a TemplateError. The template's own minimum-size message formats an undefined variable
 * (reference A.13: most likely a Jinja error upstream); the model reports the message the
 * template means to print, naming the setting that gave the size.
 */
export function withCapsSize(c: ResolvedConnection): WithCapsSize {
  const connSize = c.attributes.get('size');
  const conn = connSize && connSize.source !== 'default' ? connSize : undefined;
  const to = c.to.length === 1 ? c.to[0] : undefined;
  const endSize = to?.instance.attributes.get(`${to.interface.name}_size`);
  if (conn && endSize && to)
    throw errorAt(endSize.pos.line > conn.pos.line || endSize.pos.file !== conn.pos.file ? endSize.pos : conn.pos,
      `Duplicate setting for ${c.name} dataport size: Cannot set both ${c.name}.size and ${to.instance.name}.${to.interface.name}_size`);
  let configured = PAGE;
  if (conn) configured = checkSize(intSetting(conn, `${c.name}.size`)!, `${c.name}.size`, conn.pos);
  else if (endSize && to) {
    const what = `${to.instance.name}.${to.interface.name}_size`;
    configured = checkSize(intSetting(endSize, what)!, what, endSize.pos);
  }
  const typeSize = Math.max(0, ...c.ends.map((e) => e.interface.dataportSize ?? 0));
  return { configured, mapped: Math.max(configured, Math.ceil(typeSize / PAGE) * PAGE) };
}

/** `<inst>.<iface>_id` (default 0). */
export function endId(e: ResolvedEnd): number {
  const a = e.instance.attributes.get(`${e.interface.name}_id`);
  if (!a) return 0;
  const n = num(a.value);
  if (n === undefined) throw errorAt(a.pos, `Setting ${e.instance.name}.${e.interface.name}_id should be an integer`);
  return n;
}

/** The largest frame size of the architecture that divides `size` (camkes-tool get_page_size). */
export function frameBitsFor(size: number, pageBits: readonly number[]): number {
  let best = pageBits[0];
  for (const b of pageBits) if (size % 2 ** b === 0) best = Math.max(best, b);
  return best;
}

/** `<inst>.<dp>_access` (`^R?W?X?P?$`, unset or empty = RWXP) as the mapping's rights and its letters. */
export function access(e: ResolvedEnd): { rights: CapRights; letters: string } {
  const a = e.instance.attributes.get(`${e.interface.name}_access`);
  const v = a?.value;
  const letters = v && v.kind === 'string' ? v.value : undefined;
  if (a && (letters === undefined || !/^R?W?X?P?$/.test(letters))) throw errorAt(a.pos, `invalid permissions attribute ${e.instance.name}.${e.interface.name}_access`);
  const l = letters || 'RWXP';
  return { rights: capRights((l.includes('R') ? 'R' : '') + (l.includes('W') ? 'W' : '')), letters: l };
}
