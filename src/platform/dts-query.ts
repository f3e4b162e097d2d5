import { errorAt, type SourcePos } from '../diagnostics';
import type { DeviceTree, DtNode } from './dts-tree';

export interface PassthroughIrq {
  readonly irq: number;
  readonly trigger: 'edge' | 'level';
}

/**
 * The IRQs CAmkES routes 1:1 for a passed-through node (camkes-tool macros.py
 * `parse_dtb_node_interrupts`, platforms.md §1.2): `interrupts` is read as (type, number, flags)
 * triples whatever the interrupt parent says, type 0 (SPI) adds 32, any other type keeps the raw
 * number (so a PPI gets no +16), flags < 4 is edge. A 2-cell combiner interrupt therefore yields
 * nothing (the cell count is floor-divided by 3). Each IRQ number is kept once.
 */
export function passthroughIrqs(tree: DeviceTree, node: DtNode): PassthroughIrq[] {
  const p = node.props.get('interrupts');
  if (!p) return [];
  const c = tree.cells(p);
  const out: PassthroughIrq[] = [];
  for (let i = 0; i + 3 <= c.length; i += 3) {
    const irq = c[i] === 0 ? c[i + 1] + 32 : c[i + 1];
    if (!out.some((o) => o.irq === irq)) out.push({ irq, trigger: c[i + 2] < 4 ? 'edge' : 'level' });
  }
  return out;
}

/**
 * A CAmkES `dtb([{"path": ...}])` entry (fdtQueryEngine.py): the value is a regex applied
 * case-insensitively and unanchored to every node path in document order; the first node that
 * matches is the answer, so `/mc` may match an earlier `/thermal-zones/MCPU-therm`. No match is
 * not an error (the entry becomes an empty node); `at` positions a malformed pattern.
 */
export function searchPath(tree: DeviceTree, pattern: string, at?: SourcePos): DtNode | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'i');
  } catch {
    throw errorAt(at ?? tree.root.pos, `invalid path pattern '${pattern}': expected a regular expression over node paths`);
  }
  return tree.nodes.find((n) => re.test(n.path));
}
