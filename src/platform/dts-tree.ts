import { errorAt, type SourcePos } from '../diagnostics';

/** One value of a property: `"str"`, `<cells>`, `[bytes]` or a `&label` path reference. */
export type DtValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'cells'; readonly cells: readonly number[] }
  | { readonly kind: 'bytes'; readonly bytes: readonly number[] }
  | { readonly kind: 'ref'; readonly path: string };

export interface DtProp {
  readonly name: string;
  readonly values: readonly DtValue[];
  readonly pos: SourcePos;
}

export interface DtNode {
  /** Full node name with unit address, e.g. `serial@12c20000`; `` for the root. */
  readonly name: string;
  readonly unitAddress?: string;
  readonly path: string;
  readonly labels: readonly string[];
  readonly props: ReadonlyMap<string, DtProp>;
  readonly children: readonly DtNode[];
  readonly parent?: DtNode;
  readonly pos: SourcePos;
  readonly phandle?: number;
}

export interface RegEntry {
  readonly address: number;
  readonly size: number;
}

export interface InterruptSpec {
  /** The specifier cells, `#interrupt-cells` of `parent` long. */
  readonly cells: readonly number[];
  /** The interrupt controller the specifier is for. */
  readonly parent: DtNode;
}

/** A parsed device tree with the lookups passthrough, the guest and CAmkES `dtb()` queries need. */
export class DeviceTree {
  private readonly byPath = new Map<string, DtNode>();
  private readonly labels = new Map<string, DtNode>();
  private readonly phandles = new Map<number, DtNode>();
  readonly nodes: readonly DtNode[];

  constructor(readonly root: DtNode, readonly file: string) {
    const all: DtNode[] = [];
    const walk = (n: DtNode) => {
      all.push(n);
      this.byPath.set(n.path, n);
      for (const l of n.labels) this.labels.set(l, n);
      if (n.phandle !== undefined) this.phandles.set(n.phandle, n);
      n.children.forEach(walk);
    };
    walk(root);
    this.nodes = all;
  }

  /** The node at an exact path such as `/soc/serial@12c20000`. */
  node(path: string): DtNode | undefined {
    const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
    return this.byPath.get(p);
  }

  byLabel(label: string): DtNode | undefined {
    return this.labels.get(label);
  }

  byPhandle(ph: number): DtNode | undefined {
    return this.phandles.get(ph);
  }

  /** Nodes whose `compatible` list contains `c`, in document order. */
  byCompatible(c: string): DtNode[] {
    return this.nodes.filter((n) => this.compatible(n).includes(c));
  }

  /**
   * Nodes whose properties all match: a key is a property name, or `name[i]` for the i-th
   * string or cell; a value is a string, a number, or a list compared item by item.
   */
  matchProperties(query: Readonly<Record<string, unknown>>): DtNode[] {
    return this.nodes.filter((n) => Object.entries(query).every(([k, want]) => propMatches(n, k, want)));
  }

  prop(n: DtNode, name: string): DtProp | undefined {
    return n.props.get(name);
  }

  /** All `<...>` cells of a property, concatenated; errors at the property if it holds anything else. */
  cells(p: DtProp): number[] {
    const out: number[] = [];
    for (const v of p.values) {
      if (v.kind !== 'cells') throw errorAt(p.pos, `expected property '${p.name}' to hold cells <...>`);
      out.push(...v.cells);
    }
    return out;
  }

  strings(p: DtProp): string[] {
    return p.values.filter((v) => v.kind === 'string').map((v) => (v as { value: string }).value);
  }

  compatible(n: DtNode): string[] {
    const p = n.props.get('compatible');
    return p ? this.strings(p) : [];
  }

  /** `status`, `okay` when absent (DT spec). */
  status(n: DtNode): string {
    const p = n.props.get('status');
    return (p && this.strings(p)[0]) ?? 'okay';
  }

  private cellCount(n: DtNode | undefined, prop: string, dflt: number): number {
    const p = n?.props.get(prop);
    if (!p) return dflt;
    const c = this.cells(p);
    if (c.length !== 1) throw errorAt(p.pos, `expected '${prop}' to be a single cell`);
    return c[0];
  }

  /** `reg` decoded with the parent's `#address-cells` (default 2) and `#size-cells` (default 1). */
  reg(n: DtNode): RegEntry[] {
    const p = n.props.get('reg');
    if (!p) return [];
    const ac = this.cellCount(n.parent, '#address-cells', 2);
    const sc = this.cellCount(n.parent, '#size-cells', 1);
    const c = this.cells(p);
    const stride = ac + sc;
    if (stride === 0 || c.length % stride !== 0)
      throw errorAt(p.pos, `expected 'reg' of ${n.path} to be a multiple of ${stride} cells (#address-cells ${ac} + #size-cells ${sc} of ${n.parent?.path ?? '/'}), got ${c.length}`);
    const out: RegEntry[] = [];
    for (let i = 0; i < c.length; i += stride) out.push({ address: join(c.slice(i, i + ac)), size: join(c.slice(i + ac, i + stride)) });
    return out;
  }

  /**
   * `reg` with each address translated through the parents' `ranges` to a CPU address (an empty
   * `ranges` is the identity); an address no range covers is an error at the `ranges` property.
   */
  cpuReg(n: DtNode): RegEntry[] {
    return this.reg(n).map((e) => {
      let addr = e.address;
      for (let bus = n.parent; bus && bus.parent; bus = bus.parent) {
        const r = bus.props.get('ranges');
        if (!r) break;
        const c = this.cells(r);
        if (c.length === 0) continue;
        const ca = this.cellCount(bus, '#address-cells', 2);
        const pa = this.cellCount(bus.parent, '#address-cells', 2);
        const sc = this.cellCount(bus, '#size-cells', 1);
        const stride = ca + pa + sc;
        let hit: number | undefined;
        for (let i = 0; i + stride <= c.length && hit === undefined; i += stride) {
          const child = join(c.slice(i, i + ca));
          const size = join(c.slice(i + ca + pa, i + stride));
          if (addr >= child && addr < child + size) hit = join(c.slice(i + ca, i + ca + pa)) + (addr - child);
        }
        if (hit === undefined) throw errorAt(r.pos, `expected 'ranges' of ${bus.path} to cover address 0x${addr.toString(16)} of ${n.path}`);
        addr = hit;
      }
      return { address: addr, size: e.size };
    });
  }

  /** The controller a node's interrupts go to: its own or its nearest ancestor's `interrupt-parent`. */
  interruptParent(n: DtNode): DtNode | undefined {
    for (let m: DtNode | undefined = n; m; m = m.parent) {
      const p = m.props.get('interrupt-parent');
      if (!p) continue;
      const c = this.cells(p);
      const target = c.length === 1 ? this.phandles.get(c[0]) : undefined;
      if (!target) throw errorAt(p.pos, `expected 'interrupt-parent' to be one phandle of a node in this tree`);
      return target;
    }
    return undefined;
  }

  /** `interrupts` split by the interrupt parent's `#interrupt-cells`. */
  interrupts(n: DtNode): InterruptSpec[] {
    const p = n.props.get('interrupts');
    if (!p) return [];
    const parent = this.interruptParent(n);
    if (!parent) throw errorAt(p.pos, `expected an 'interrupt-parent' for ${n.path} (on the node or an ancestor)`);
    const ic = parent.props.get('#interrupt-cells');
    if (!ic) throw errorAt(p.pos, `expected the interrupt parent ${parent.path} to have '#interrupt-cells'`);
    const k = this.cellCount(parent, '#interrupt-cells', 0);
    const c = this.cells(p);
    if (k === 0 || c.length % k !== 0) throw errorAt(p.pos, `expected 'interrupts' of ${n.path} to be a multiple of ${k} cells (#interrupt-cells of ${parent.path}), got ${c.length}`);
    const out: InterruptSpec[] = [];
    for (let i = 0; i < c.length; i += k) out.push({ cells: c.slice(i, i + k), parent });
    return out;
  }

  /** GIC INTIDs of a node's interrupts that go to a GIC (SPI n → n + 32, PPI n → n + 16). */
  gicIntids(n: DtNode): number[] {
    return this.interrupts(n).flatMap((s) => {
      if (!this.compatible(s.parent).some((c) => /gic/.test(c)) || s.cells.length < 2) return [];
      return s.cells[0] === 0 ? [s.cells[1] + 32] : s.cells[0] === 1 ? [s.cells[1] + 16] : [];
    });
  }
}

function join(cells: readonly number[]): number {
  return cells.reduce((acc, c) => acc * 0x100000000 + c, 0);
}

function propMatches(n: DtNode, key: string, want: unknown): boolean {
  const m = /^(.*)\[(\d+)\]$/.exec(key);
  const p = n.props.get(m ? m[1] : key);
  if (!p) return false;
  const flat: (string | number)[] = p.values.flatMap((v): (string | number)[] =>
    v.kind === 'string' ? [v.value] : v.kind === 'cells' ? [...v.cells] : v.kind === 'bytes' ? [...v.bytes] : [v.path],
  );
  if (m) return flat[Number(m[2])] === want;
  if (Array.isArray(want)) return want.length === flat.length && want.every((w, i) => w === flat[i]);
  return flat.length === 1 && flat[0] === want;
}
