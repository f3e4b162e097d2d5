/**
 * Arm passthrough resources (camkes-vm templates/seL4VMDTBPassthrough-to.template.c,
 * seL4VMParameters.template.c; platforms.md §1.2): what a VM's `dtb`, `untyped_mmios`, `mmios`,
 * `irqs` and `dtb_irqs` settings give the VMM, resolved against the board's device tree.
 */
import { errorAt, formatPos, type SourcePos } from '../../diagnostics';
import type { DictVal, Value } from '../../camkes/resolve';
import { passthroughIrqs, searchPath, type DeviceTree, type DtNode, type Platform } from '../../platform';
import type { ArmPassthroughConfig } from './arm-config';
import { Collector, asDict, asList, describe } from './values';
import { hex, type ArmPassthroughPlan, type Origin, type PassthroughIrqSpec, type PassthroughRegion } from './types';

const PAGE = 0x1000;
const down = (a: number) => Math.floor(a / PAGE) * PAGE;
const up = (a: number) => Math.ceil(a / PAGE) * PAGE;

/**
 * [start, end) as the fewest naturally aligned power-of-two blocks: the untyped capabilities the
 * passthrough template hands over for a `reg` entry (an untyped is always 2^n bytes, 2^n aligned).
 */
export function alignedBlocks(start: number, end: number): { paddr: number; bits: number }[] {
  const out: { paddr: number; bits: number }[] = [];
  for (let a = start; a < end; ) {
    let bits = 12;
    while (a % 2 ** (bits + 1) === 0 && a + 2 ** (bits + 1) <= end) bits++;
    out.push({ paddr: a, bits });
    a += 2 ** bits;
  }
  return out;
}

export interface ArmPlanContext {
  readonly platform: Platform;
  /** The board's device tree; required when the VM has a `dtb` query. */
  readonly tree?: DeviceTree;
}

/** The first node an entry `{"path": ...}` or `{"properties": {...}}` selects (fdtQueryEngine.py). */
function selectNode(c: Collector, tree: DeviceTree, entry: DictVal): { node?: DtNode; label: string } | undefined {
  // `{}` asks for nothing: the query engine answers it with an empty node (how a VM with no
  // devices writes its dtb, since an empty list is an error).
  if (entry.entries.length === 0) return { label: 'dtb entry {}' };
  if (entry.entries.length !== 1 || entry.entries[0].key.kind !== 'string' || !['path', 'properties'].includes(entry.entries[0].key.value)) {
    c.error(entry.pos, 'expected each dtb query entry to be {"path": "<regex>"} or {"properties": {...}}');
    return undefined;
  }
  const [{ key, value }] = entry.entries;
  if (key.value === 'path') {
    if (value.kind !== 'string') {
      c.error(value.pos, `expected "path" to be a string (a regular expression over node paths), found ${describe(value)}`);
      return undefined;
    }
    try {
      return { node: searchPath(tree, value.value, value.pos), label: `dtb path "${value.value}"` };
    } catch (e) {
      c.error(value.pos, (e as Error).message.replace(/^.*?error: /, ''));
      return undefined;
    }
  }
  const props = asDict(c, value, '"properties"');
  if (!props) return undefined;
  const query: Record<string, unknown> = {};
  for (const e of props.entries) {
    const v = e.value;
    if (e.key.kind !== 'string' || (v.kind !== 'string' && v.kind !== 'int')) {
      c.error(v.pos, 'expected each property of a dtb "properties" query to be "name" or "name[i]" with a string or integer value');
      return undefined;
    }
    query[e.key.value] = v.kind === 'int' ? Number(v.value) : v.value;
  }
  const shown = Object.entries(query).map(([k, v]) => `${k} == ${JSON.stringify(v)}`).join(', ');
  return { node: tree.matchProperties(query)[0], label: `dtb properties {${shown}}` };
}

function mmioStrings(c: Collector, v: Value | undefined, what: string, re: RegExp, form: string): { m: RegExpExecArray; pos: SourcePos; text: string }[] {
  if (!v) return [];
  const list = asList(c, v, what);
  const out: { m: RegExpExecArray; pos: SourcePos; text: string }[] = [];
  for (const it of list?.items ?? []) {
    const m = it.kind === 'string' ? re.exec(it.value.trim()) : null;
    if (!m) c.error(it.pos, `expected each item of ${what} to be a string "${form}", found ${it.kind === 'string' ? JSON.stringify(it.value) : describe(it)}`);
    else out.push({ m, pos: it.pos, text: (it as { value: string }).value });
  }
  return out;
}

function intList(c: Collector, v: Value | undefined, what: string): { n: number; pos: SourcePos }[] {
  if (!v) return [];
  const list = asList(c, v, what);
  const out: { n: number; pos: SourcePos }[] = [];
  for (const it of list?.items ?? []) {
    if (it.kind !== 'int' || it.value < 0n) c.error(it.pos, `expected each item of ${what} to be an IRQ number, found ${describe(it)}`);
    else out.push({ n: Number(it.value), pos: it.pos });
  }
  return out;
}

/**
 * Resolves a VM's passthrough configuration into regions and IRQs. Every problem is reported at
 * the position of the entry that caused it; all of them together as one DiagnosticError.
 */
export function planArm(cfg: ArmPassthroughConfig, ctx: ArmPlanContext): ArmPassthroughPlan {
  const c = new Collector();
  const regions: PassthroughRegion[] = [];
  const irqs: PassthroughIrqSpec[] = [];
  const unmatched: Origin[] = [];
  const selected: { node: string; origin: Origin }[] = [];
  const addIrq = (spec: PassthroughIrqSpec) => {
    if (!irqs.some((i) => i.irq === spec.irq)) irqs.push(spec);
  };

  if (cfg.dtb) {
    const q = cfg.dtb;
    if (q.kind !== 'query' || q.name !== 'dtb') c.error(q.pos, `expected ${cfg.vm}.dtb to be a dtb([...]) query, found ${describe(q)}`);
    else if (!ctx.tree) c.error(q.pos, `board ${ctx.platform.name} has no device tree to answer the dtb query`);
    else {
      const items = !q.arg ? [] : q.arg.kind === 'list' ? q.arg.items : [q.arg];
      if (items.length === 0) throw errorAt(q.pos, 'DTB query has no results.');
      for (const it of items) {
        const entry = asDict(c, it, 'a dtb query entry');
        const sel = entry && selectNode(c, ctx.tree, entry);
        if (!sel) continue;
        if (!sel.node) {
          unmatched.push({ pos: it.pos, what: sel.label });
          continue;
        }
        const node = sel.node;
        selected.push({ node: node.path, origin: { pos: it.pos, what: sel.label } });
        ctx.tree.cpuReg(node).forEach((r, i) => {
          for (const b of alignedBlocks(down(r.address), up(r.address + r.size)))
            if (!regions.some((x) => x.kind === 'untyped' && x.paddr === b.paddr && x.sizeBits === b.bits))
              regions.push({ kind: 'untyped', paddr: b.paddr, size: 2 ** b.bits, sizeBits: b.bits, pageBits: 12, role: 'device', node: node.path, origin: { pos: it.pos, what: `${sel.label} (node ${node.path}, reg[${i}])` } });
        });
        for (const irq of passthroughIrqs(ctx.tree, node)) addIrq({ ...irq, node: node.path, origin: { pos: it.pos, what: `${sel.label} (node ${node.path})` } });
      }
    }
  }

  const gicv = ctx.platform.gic?.vcpuInterface;
  const ram = cfg.ram;
  for (const { m, pos, text } of mmioStrings(c, cfg.untypedMmios, 'untyped_mmios', /^(0x[0-9a-f]+|\d+):(\d+)$/i, 'paddr:size_bits')) {
    const paddr = Number(m[1]);
    const bits = Number(m[2]);
    if (bits < 12 || bits > 47 || paddr % 2 ** bits !== 0) {
      c.error(pos, `expected untyped_mmios "${text}" to be a 2^${bits}-aligned region of 4 KiB or more`);
      continue;
    }
    const size = 2 ** bits;
    const inRam = ram !== undefined && paddr >= ram.paddr && paddr + size <= ram.paddr + ram.size;
    regions.push({ kind: 'untyped', paddr, size, pageBits: 12, sizeBits: bits, role: paddr === gicv && bits === 12 ? 'gicv' : inRam ? 'ram' : 'device', origin: { pos, what: `untyped_mmios "${text}"` } });
  }
  for (const { m, pos, text } of mmioStrings(c, cfg.mmios, 'mmios', /^(0x[0-9a-f]+|\d+):(0x[0-9a-f]+|\d+):(\d+)$/i, 'paddr:size:page_bits')) {
    const [paddr, size, pageBits] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (![12, 16, 20, 21, 24, 30].includes(pageBits) || paddr % 2 ** pageBits !== 0 || size === 0) {
      c.error(pos, `expected mmios "${text}" to be a non-empty region aligned to its page size 2^${pageBits}`);
      continue;
    }
    const sz = Math.ceil(size / 2 ** pageBits) * 2 ** pageBits;
    regions.push({ kind: 'frames', paddr, size: sz, pageBits, role: paddr === gicv && sz === PAGE ? 'gicv' : 'device', origin: { pos, what: `mmios "${text}"` } });
  }
  // Lines named without a node: seL4_IRQControl_Get on Arm leaves the GIC's default, level.
  for (const { n, pos } of intList(c, cfg.irqs, 'irqs')) addIrq({ irq: n, trigger: 'level', origin: { pos, what: `irqs entry ${n}` } });
  for (const { n, pos } of intList(c, cfg.dtbIrqs, 'dtb_irqs')) addIrq({ irq: n, trigger: 'level', origin: { pos, what: `dtb_irqs entry ${n}` } });

  checkArmConflicts(c, cfg, ctx.platform, regions, irqs);
  c.throwIfAny();
  return { family: 'arm', vm: cfg.vm, regions, irqs, selected, unmatched };
}

const overlap = (a: number, as: number, b: number, bs: number) => a < b + bs && b < a + as;

function checkArmConflicts(c: Collector, cfg: ArmPassthroughConfig, p: Platform, regions: readonly PassthroughRegion[], irqs: readonly PassthroughIrqSpec[]): void {
  const g = p.gic;
  const frames: [string, number | undefined][] = g
    ? [['GIC distributor', g.distributor], ['GIC CPU interface', g.cpuInterface], ['GIC vCPU control (GICH)', g.vcpuControl], ['GIC virtual CPU interface (GICV)', g.vcpuInterface], ['GIC redistributor', g.redistributor]]
    : [];
  for (const r of regions) {
    const end = r.paddr + r.size;
    if (cfg.ram && r.role !== 'ram') {
      const { base, paddr, size } = cfg.ram;
      const hit = overlap(r.paddr, r.size, paddr, size) ? paddr : overlap(r.paddr, r.size, base, size) ? base : undefined;
      if (hit !== undefined)
        c.error(r.origin.pos, `${r.origin.what}: region ${hex(r.paddr)}-${hex(end - 1)} overlaps guest RAM ${hex(hit)}-${hex(hit + size - 1)} of ${cfg.vm}`);
    }
    if (r.role === 'gicv') continue;
    for (const [name, at] of frames)
      if (at !== undefined && overlap(r.paddr, r.size, at, PAGE))
        c.error(r.origin.pos, `${r.origin.what}: region ${hex(r.paddr)}-${hex(end - 1)} overlaps the ${name} frame at ${hex(at)}, which the VMM owns`);
  }
  for (const i of irqs)
    if (i.irq > p.maxIrq) c.error(i.origin.pos, `${i.origin.what}: IRQ ${i.irq} is above the board's MAX_IRQ ${p.maxIrq} (${p.name})`);
}

/**
 * Across the VMs of one system, each hardware IRQ may be routed to one VM only (one IRQHandler
 * cap per line): a second claim is an error at its position, naming the first.
 */
export function checkIrqClaims(plans: readonly ArmPassthroughPlan[]): void {
  const c = new Collector();
  const first = new Map<number, { vm: string; origin: Origin }>();
  for (const p of plans)
    for (const i of p.irqs) {
      const prev = first.get(i.irq);
      if (!prev) first.set(i.irq, { vm: p.vm, origin: i.origin });
      else if (prev.vm !== p.vm)
        c.error(i.origin.pos, `${i.origin.what}: IRQ ${i.irq} of ${p.vm} is already passed through to ${prev.vm} (${prev.origin.what} at ${formatPos(prev.origin.pos)})`);
    }
  c.throwIfAny();
}
