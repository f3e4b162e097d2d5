import { formatRights } from '../api/types';
import type { CNode } from './cspace';
import type { KObject } from './objects';

export interface CapListingEntry {
  readonly cnode: string;
  readonly slot: number;
  readonly type: string;
  readonly object: string;
  readonly rights: string;
  readonly badge: number;
}

/**
 * The capability distribution: per CNode, each occupied slot with its object type and name,
 * rights and badge. Sorted by CNode name (then creation order), then slot, so it is stable.
 */
export function capListing(objects: readonly KObject[]): CapListingEntry[] {
  const cnodes = objects.filter((o): o is CNode => o.type === 'CNode').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  const out: CapListingEntry[] = [];
  for (const cn of cnodes)
    for (const s of cn.used())
      if (s.cap) out.push({ cnode: cn.name, slot: s.index, type: s.cap.object.type, object: s.cap.object.name, rights: formatRights(s.cap.rights), badge: s.cap.badge });
  return out;
}

export function renderCapListing(entries: readonly CapListingEntry[]): string {
  let cur = '';
  const lines: string[] = [];
  for (const e of entries) {
    if (e.cnode !== cur) {
      cur = e.cnode;
      lines.push(`${cur}:`);
    }
    const badge = e.badge ? ` badge 0x${e.badge.toString(16)}` : '';
    lines.push(`  ${String(e.slot).padStart(5)}  ${e.type.padEnd(13)} ${e.rights}  ${e.object}${badge}`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}
