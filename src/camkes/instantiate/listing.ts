/**
 * `vmconf spec` output: a capDL-like listing of what instantiation created, so that a reviewer can
 * see every object and exactly which capabilities (rights, badges) each address space holds.
 * Sorted and free of anything run-dependent, so the same input gives the same text.
 */
import { capListing, formatRights, type KObject } from '../../sel4';
import type { InstantiatedSystem } from './index';

function size(o: KObject): string {
  if (o.type === 'CNode') return `${(o as unknown as { size: number }).size} slots`;
  const bytes = 2 ** o.sizeBits;
  return bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function renderSpec(sys: InstantiatedSystem): string {
  const names = new Set<string>();
  for (const sp of sys.spaces) names.add(sp.cnode.name);
  const all = sys.kernel.core.objects.all;
  const ours = all.filter((o) => o.id > 0 && o.type !== 'Untyped' && o.type !== 'IRQControl' && o.type !== 'IOPortControl' && o.name !== 'root cnode' && o.name !== 'rootserver');
  const out: string[] = ['objects:'];
  const rows = ours.map((o) => [o.type, o.name, size(o)]).sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
  const w0 = Math.max(...rows.map((r) => r[0].length), 4);
  const w1 = Math.max(...rows.map((r) => r[1].length), 4);
  for (const r of rows) out.push(`  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`);

  const purposes = new Map<string, Map<number, string>>();
  for (const sp of sys.spaces) purposes.set(sp.cnode.name, new Map(sp.entries.map((e) => [e.slot, e.purpose])));
  out.push('', 'capabilities:');
  let cur = '';
  for (const e of capListing(ours.filter((o) => names.has(o.name)))) {
    if (e.cnode !== cur) {
      cur = e.cnode;
      const sp = sys.spaces.find((s) => s.cnode.name === cur)!;
      const note = sp.requestedBits > sp.cnode.radix ? ` (cnode_size_bits ${sp.requestedBits}; modelled with radix ${sp.cnode.radix})` : '';
      out.push(`  ${cur}:${note}`);
    }
    const badge = e.badge ? ` badge 0x${e.badge.toString(16)}` : '';
    out.push(`    ${String(e.slot).padStart(4)}  ${e.type.padEnd(12)} ${e.rights}  ${e.object}${badge}  // ${purposes.get(cur)?.get(e.slot) ?? ''}`);
  }

  out.push('', 'mappings:');
  for (const sp of [...sys.spaces].sort((a, b) => cmp(a.name, b.name))) {
    const ms = sp.vspace.mappings();
    if (!ms.length) continue;
    out.push(`  ${sp.vspace.name}:`);
    for (const m of ms) out.push(`    0x${m.vaddr.toString(16).padStart(8, '0')}  ${m.frame.name}  ${formatRights(m.rights)}`);
  }
  const unmodelled = sys.connections.filter((c) => !c.modelled).map((c) => `${c.connection.name} (${c.connection.connector.name})`).sort(cmp);
  if (unmodelled.length) out.push('', 'connections not modelled by the CAmkES layer:', ...unmodelled.map((u) => `  ${u}`));
  return out.join('\n') + '\n';
}
