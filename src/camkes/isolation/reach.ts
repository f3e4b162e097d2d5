/**
 * What one address space can reach, computed from the capability distribution of the kernel
 * model (never from the assembly's intent):
 *
 * - every Frame cap in its CNode, and in every CNode reachable through CNode caps it holds
 *   (transitively: a CNode cap lets the holder copy or move any cap out of that CNode);
 * - every frame mapped in its own VSpace (what its threads can load and store);
 * - every frame mapped in a VSpace it holds a cap to (the holder decides that VSpace's contents:
 *   a VMM holding its guest's stage-2 / EPT);
 * - every Untyped cap: the whole physical region, since the holder can revoke what was carved
 *   from it and retype new frames over the same memory;
 * - memory the assembly declares for capDL but the model does not build (`untyped_mmios`,
 *   `mmios` settings): physical regions in the board's memory map, kept apart from the model's
 *   own objects because the model's boot untypeds do not follow the board's map.
 *
 * Not followed (stated in `ANALYSIS_COVERAGE`): capabilities that could move at run time over
 * endpoints with the Grant right, TCB caps (seL4_TCB_* changes a thread's spaces but cannot read
 * its caps out), device frames of hardware components (no objects in the model).
 */
import type { CNode, Frame, KObject, Untyped, VSpace } from '../../sel4';
import type { AddressSpace } from '../instantiate';
import { str, type Value } from '../resolve';
import type { ResolvedInstance } from '../resolve';

export interface Region {
  readonly paddr: number;
  readonly size: number;
}

/** How a frame, untyped or region is reached: e.g. `cnode vm0[12]`, `mapped at 0x10000000`. */
export type Via = string;

export interface DeclaredRegion extends Region {
  /** `untyped_mmios "0x40000000:27"`. */
  readonly via: Via;
  readonly kind: 'untyped_mmios' | 'mmios';
}

export interface SpaceReach {
  readonly space: string;
  readonly frames: ReadonlyMap<Frame, Via>;
  readonly untypeds: ReadonlyMap<Untyped, Via>;
  /** VSpaces other than its own that it holds caps to (e.g. a VMM's guest-physical space). */
  readonly vspaces: ReadonlyMap<VSpace, Via>;
  /** CNodes other than its own reached through CNode caps. */
  readonly cnodes: ReadonlyMap<CNode, Via>;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Reach of one address space through its CNode (and CNodes reachable from it) and its VSpace. */
export function reachOf(space: AddressSpace): SpaceReach {
  const frames = new Map<Frame, Via>();
  const untypeds = new Map<Untyped, Via>();
  const vspaces = new Map<VSpace, Via>();
  const cnodes = new Map<CNode, Via>();
  const add = <T extends KObject>(m: Map<T, Via>, o: T, via: Via) => {
    if (!m.has(o)) m.set(o, via);
  };
  const queue: CNode[] = [space.cnode];
  const seen = new Set<CNode>([space.cnode]);
  while (queue.length) {
    const cn = queue.shift()!;
    for (const s of cn.used()) {
      const cap = s.cap;
      if (!cap) continue;
      const via = `${cn.name}[${s.index}]`;
      const o = cap.object;
      if (o.type === 'Frame') add(frames, o as Frame, via);
      else if (o.type === 'Untyped') add(untypeds, o as Untyped, via);
      else if (o.type === 'CNode' && !seen.has(o as CNode)) {
        seen.add(o as CNode);
        cnodes.set(o as CNode, via);
        queue.push(o as CNode);
      } else if (o.type === 'VSpace' && o !== space.vspace) add(vspaces, o as VSpace, via);
    }
  }
  for (const m of space.vspace.mappings()) add(frames, m.frame, `mapped at ${hex(m.vaddr)} in ${space.vspace.name}`);
  for (const [vs, via] of vspaces) for (const m of vs.mappings()) add(frames, m.frame, `mapped at ${hex(m.vaddr)} in ${vs.name} (cap ${via})`);
  return { space: space.name, frames, untypeds, vspaces, cnodes };
}

function listOf(v: Value | undefined): string[] {
  if (!v || v.kind !== 'list') return [];
  return v.items.map((x) => str(x)).filter((x): x is string => x !== undefined);
}

function parseNum(s: string): number | undefined {
  const t = s.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) return undefined;
  return Number(t);
}

/**
 * The regions an instance's settings declare for capDL to hand over (A.17, platforms.md 1.2):
 * `untyped_mmios` entries `"paddr:size_bits"`, `mmios` entries `"paddr:size:page_bits"`.
 * An entry of the wrong shape is skipped here; the checker reports it.
 */
export function declaredRegions(i: ResolvedInstance): DeclaredRegion[] {
  const out: DeclaredRegion[] = [];
  for (const e of listOf(i.attributes.get('untyped_mmios')?.value)) {
    const [p, b] = e.split(':').map(parseNum);
    if (p !== undefined && b !== undefined && b < 53) out.push({ paddr: p, size: 2 ** b, via: `untyped_mmios "${e}"`, kind: 'untyped_mmios' });
  }
  for (const e of listOf(i.attributes.get('mmios')?.value)) {
    const [p, s] = e.split(':').map(parseNum);
    if (p !== undefined && s !== undefined) out.push({ paddr: p, size: s, via: `mmios "${e}"`, kind: 'mmios' });
  }
  return out;
}

export function overlaps(a: Region, b: Region): boolean {
  return a.paddr < b.paddr + b.size && b.paddr < a.paddr + a.size;
}

export function regionOf(o: Frame | Untyped): Region {
  return { paddr: o.paddr, size: 2 ** o.sizeBits };
}
