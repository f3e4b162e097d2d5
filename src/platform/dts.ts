import { errorAt, LineMap, type SourcePos } from '../diagnostics';
import { DeviceTree, type DtNode, type DtProp, type DtValue } from './dts-tree';

export { DeviceTree, type DtNode, type DtProp, type DtValue, type RegEntry, type InterruptSpec } from './dts-tree';

/** Node and property names as dtc accepts them. */
const NAME = /[A-Za-z0-9,._+*#?@-]/;
const LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;

type RawCell = number | { ref: string; pos: SourcePos };
type RawValue = { kind: 'string'; value: string } | { kind: 'cells'; cells: RawCell[] } | { kind: 'bytes'; bytes: number[] } | { kind: 'ref'; ref: string; pos: SourcePos };

interface MNode {
  name: string;
  unitAddress?: string;
  path: string;
  labels: string[];
  raw: Map<string, { name: string; values: RawValue[]; pos: SourcePos }>;
  children: MNode[];
  parent?: MNode;
  pos: SourcePos;
}

/**
 * Reads DTS source (the subset the board files use: `/dts-v1/;`, nodes with unit addresses and
 * labels, `&label { }` amendments, `&label` phandle and path references, cells with C
 * expressions, strings, string lists, byte strings, `/delete-node/`, `/delete-property/`).
 * The first syntax error stops the reader with its position.
 */
export function parseDts(text: string, file: string): DeviceTree {
  return new DtsParser(text, file).parse();
}

class DtsParser {
  private i = 0;
  private readonly lm: LineMap;
  private readonly labels = new Map<string, MNode>();

  constructor(private readonly text: string, private readonly file: string) {
    this.lm = new LineMap(file, text);
  }

  private pos(at = this.i): SourcePos {
    return this.lm.pos(at);
  }

  private fail(msg: string, at = this.i): never {
    throw errorAt(this.pos(at), msg);
  }

  private ws(): void {
    const t = this.text;
    for (;;) {
      while (this.i < t.length && /\s/.test(t[this.i])) this.i++;
      if (t.startsWith('//', this.i)) {
        const e = t.indexOf('\n', this.i);
        this.i = e < 0 ? t.length : e + 1;
      } else if (t.startsWith('/*', this.i)) {
        const e = t.indexOf('*/', this.i + 2);
        if (e < 0) this.fail('unterminated comment: expected */');
        this.i = e + 2;
      } else if (t[this.i] === '#' && (this.i === 0 || t[this.i - 1] === '\n') && /^#(include|define|if)/.test(t.slice(this.i, this.i + 8))) {
        this.fail('preprocessor directives are not supported in board device trees: expected plain DTS');
      } else return;
    }
  }

  private peek(s: string): boolean {
    this.ws();
    return this.text.startsWith(s, this.i);
  }

  private eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.i += s.length;
    return true;
  }

  private expect(s: string, what = `'${s}'`): void {
    if (!this.eat(s)) this.fail(`expected ${what}${this.i < this.text.length ? `, found '${this.text[this.i]}'` : ' before the end of the file'}`);
  }

  private name(what: string): string {
    this.ws();
    const s = this.i;
    while (this.i < this.text.length && NAME.test(this.text[this.i])) this.i++;
    if (s === this.i) this.fail(`expected ${what}`);
    return this.text.slice(s, this.i);
  }

  parse(): DeviceTree {
    this.ws();
    if (!this.eat('/dts-v1/')) this.fail("expected '/dts-v1/;' at the start of the file");
    this.expect(';');
    const root: MNode = { name: '', path: '/', labels: [], raw: new Map(), children: [], pos: this.pos() };
    this.rootNode = root;
    let sawRoot = false;
    for (;;) {
      this.ws();
      if (this.i >= this.text.length) break;
      const at = this.i;
      if (this.eat('/memreserve/')) {
        this.cellExpr();
        this.cellExpr();
        this.expect(';');
      } else if (this.eat('/include/')) {
        this.fail('/include/ is not supported in board device trees', at);
      } else if (this.eat('/delete-node/')) {
        const target = this.reference();
        this.expect(';');
        const n = this.resolveRef(target.ref, target.pos);
        if (n.parent) n.parent.children.splice(n.parent.children.indexOf(n), 1);
      } else if (this.peek('/')) {
        this.i++;
        if (!sawRoot) root.pos = this.pos(at);
        sawRoot = true;
        this.body(root);
        this.expect(';');
      } else if (this.peek('&')) {
        const target = this.reference();
        this.body(this.resolveRef(target.ref, target.pos));
        this.expect(';');
      } else this.fail("expected a root node '/ { ... };', a '&label { ... };' amendment or a directive");
    }
    if (!sawRoot) this.fail("expected a root node '/ { ... };'");
    return this.finish(root);
  }

  /** `&label` or `&{/path}`; resolved later so that references may point forward. */
  private reference(): { ref: string; pos: SourcePos } {
    this.expect('&');
    const pos = this.pos();
    if (this.eat('{')) {
      const s = this.i;
      const e = this.text.indexOf('}', s);
      if (e < 0) this.fail("expected '}' closing the path reference");
      this.i = e + 1;
      return { ref: this.text.slice(s, e).trim(), pos };
    }
    const s = this.i;
    while (this.i < this.text.length && /[A-Za-z0-9_]/.test(this.text[this.i])) this.i++;
    if (s === this.i) this.fail('expected a label after &');
    return { ref: this.text.slice(s, this.i), pos };
  }

  private resolveRef(ref: string, pos: SourcePos, root?: MNode): MNode {
    if (ref.startsWith('/')) {
      const r = root ?? this.rootOf();
      const n = ref === '/' ? r : findPath(r, ref);
      if (!n) throw errorAt(pos, `no node at path '${ref}'`);
      return n;
    }
    const n = this.labels.get(ref);
    if (!n) throw errorAt(pos, `undefined label '${ref}': expected a label defined in this file`);
    return n;
  }

  private rootNode: MNode = { name: '', path: '/', labels: [], raw: new Map(), children: [], pos: { file: '', line: 1, col: 1 } };
  private rootOf(): MNode {
    return this.rootNode;
  }

  private body(node: MNode): void {
    this.expect('{');
    for (;;) {
      if (this.eat('}')) return;
      if (this.i >= this.text.length) this.fail(`expected '}' closing node ${node.path}`);
      const at = this.i;
      if (this.eat('/delete-node/')) {
        const n = this.name('a node name after /delete-node/');
        this.expect(';');
        const k = node.children.findIndex((c) => c.name === n);
        if (k >= 0) node.children.splice(k, 1);
        continue;
      }
      if (this.eat('/delete-property/')) {
        node.raw.delete(this.name('a property name after /delete-property/'));
        this.expect(';');
        continue;
      }
      const labels: string[] = [];
      let name = this.name('a property or child node name');
      while (this.text[this.i] === ':') {
        if (!LABEL.test(name)) this.fail(`invalid label '${name}': expected letters, digits and _`, at);
        labels.push(name);
        this.i++;
        name = this.name('a node name after the label');
      }
      if (this.peek('{')) {
        this.child(node, name, labels, at);
        this.expect(';');
      } else {
        if (labels.length) this.fail('labels on properties are not supported: expected a node', at);
        if (name.includes('@')) this.fail(`expected '{' after node name '${name}'`);
        const values = this.eat('=') ? this.values() : [];
        this.expect(';', "';' after the property");
        node.raw.set(name, { name, values, pos: this.pos(at) });
      }
    }
  }

  private child(parent: MNode, name: string, labels: string[], at: number): void {
    let n = parent.children.find((c) => c.name === name);
    if (!n) {
      const k = name.indexOf('@');
      n = {
        name, unitAddress: k >= 0 ? name.slice(k + 1) : undefined,
        path: (parent.path === '/' ? '' : parent.path) + '/' + name, labels: [], raw: new Map(), children: [], parent, pos: this.pos(at),
      };
      parent.children.push(n);
    }
    for (const l of labels) {
      const prev = this.labels.get(l);
      if (prev && prev !== n) this.fail(`duplicate label '${l}' (already on ${prev.path})`, at);
      this.labels.set(l, n);
      if (!n.labels.includes(l)) n.labels.push(l);
    }
    this.body(n);
  }

  private values(): RawValue[] {
    const out: RawValue[] = [];
    do {
      this.ws();
      const c = this.text[this.i];
      if (c === '"') out.push({ kind: 'string', value: this.string() });
      else if (c === '<') out.push({ kind: 'cells', cells: this.cells() });
      else if (c === '[') out.push({ kind: 'bytes', bytes: this.bytes() });
      else if (c === '&') out.push({ kind: 'ref', ...this.reference() });
      else if (this.peek('/bits/')) this.fail('/bits/ is not supported: expected 32-bit cells <...>');
      else this.fail('expected a property value: "string", <cells>, [bytes] or &label');
    } while (this.eat(','));
    return out;
  }

  private string(): string {
    const start = this.i;
    this.i++;
    let s = '';
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '0': '\0' };
    while (this.i < this.text.length && this.text[this.i] !== '"') {
      if (this.text[this.i] === '\n') this.fail('unterminated string: expected "', start);
      if (this.text[this.i] === '\\') {
        this.i++;
        s += esc[this.text[this.i]] ?? this.text[this.i];
      } else s += this.text[this.i];
      this.i++;
    }
    if (this.i >= this.text.length) this.fail('unterminated string: expected "', start);
    this.i++;
    return s;
  }

  private cells(): RawCell[] {
    this.i++;
    const out: RawCell[] = [];
    for (;;) {
      if (this.eat('>')) return out;
      if (this.i >= this.text.length) this.fail("expected '>' closing the cell list");
      if (this.peek('&')) out.push(this.reference());
      else out.push(this.cellExpr());
    }
  }

  private bytes(): number[] {
    const start = this.i;
    this.i++;
    const out: number[] = [];
    for (;;) {
      this.ws();
      if (this.text[this.i] === ']') {
        this.i++;
        return out;
      }
      const m = /^[0-9a-fA-F]{2}/.exec(this.text.slice(this.i, this.i + 2));
      if (!m) this.fail(this.i >= this.text.length ? "expected ']' closing the byte string" : 'expected two hex digits per byte in [...]', this.i >= this.text.length ? start : this.i);
      out.push(parseInt(m[0], 16));
      this.i += 2;
    }
  }

  /** A cell: a number, a character literal or a parenthesised C expression; 32 bits. */
  private cellExpr(): number {
    const at = this.i;
    const v = this.eat('(') ? this.expr(0, true) : this.primary();
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) this.fail('expected a cell value that fits in 32 bits', at);
    return v >>> 0;
  }

  private primary(): number {
    this.ws();
    const at = this.i;
    const t = this.text;
    if (t[this.i] === '(') {
      this.i++;
      return this.expr(0, true);
    }
    if (t[this.i] === "'") {
      const ch = t[this.i + 1];
      if (t[this.i + 2] !== "'") this.fail("expected a one-character literal 'c'");
      this.i += 3;
      return ch.charCodeAt(0);
    }
    for (const op of ['-', '~', '!']) {
      if (t[this.i] === op) {
        this.i++;
        const v = this.primary();
        return op === '-' ? -v : op === '~' ? ~v >>> 0 : v ? 0 : 1;
      }
    }
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:[uU]?[lL]{0,2})/.exec(t.slice(this.i, this.i + 40));
    if (!m) this.fail('expected a number, a character literal, &label or ( expression ) in the cell list', at);
    this.i += m[0].length;
    const s = m[1];
    return s.startsWith('0x') || s.startsWith('0X') ? parseInt(s, 16) : s.length > 1 && s.startsWith('0') ? parseInt(s, 8) : parseInt(s, 10);
  }

  /** Binary operators with C precedence; `inParens` consumes the closing ')'. */
  private expr(minPrec: number, inParens = false): number {
    const PREC: [string, number][] = [['||', 1], ['&&', 2], ['|', 3], ['^', 4], ['&', 5], ['==', 6], ['!=', 6], ['<=', 7], ['>=', 7], ['<<', 8], ['>>', 8], ['<', 7], ['>', 7], ['+', 9], ['-', 9], ['*', 10], ['/', 10], ['%', 10]];
    let lhs = this.primary();
    for (;;) {
      this.ws();
      const op = PREC.find(([o]) => this.text.startsWith(o, this.i));
      if (!op || op[1] <= minPrec) break;
      const at = this.i;
      this.i += op[0].length;
      const rhs = this.expr(op[1]);
      lhs = binop(op[0], lhs, rhs, () => this.fail('division by zero in a cell expression', at));
    }
    if (inParens) this.expect(')', "')' closing the expression");
    return lhs;
  }

  private finish(root: MNode): DeviceTree {
    // Phandles: explicit `phandle` values are kept; referenced nodes without one get the next free number, in document order.
    const explicit = new Map<MNode, number>();
    const referenced = new Set<MNode>();
    const walk = (n: MNode, f: (n: MNode) => void) => {
      f(n);
      n.children.forEach((c) => walk(c, f));
    };
    walk(root, (n) => {
      const p = n.raw.get('phandle') ?? n.raw.get('linux,phandle');
      const c = p?.values[0];
      if (c?.kind === 'cells' && typeof c.cells[0] === 'number') explicit.set(n, c.cells[0]);
      for (const pr of n.raw.values()) for (const v of pr.values) {
        if (v.kind === 'cells') for (const cell of v.cells) if (typeof cell !== 'number') referenced.add(this.resolveRef(cell.ref, cell.pos, root));
        if (v.kind === 'ref') this.resolveRef(v.ref, v.pos, root);
      }
    });
    const used = new Set(explicit.values());
    const ph = new Map(explicit);
    let next = 1;
    walk(root, (n) => {
      if (!referenced.has(n) || ph.has(n)) return;
      while (used.has(next)) next++;
      ph.set(n, next);
      used.add(next);
    });
    const build = (n: MNode, parent?: DtNode): DtNode => {
      const props = new Map<string, DtProp>();
      const out: DtNode = { name: n.name, unitAddress: n.unitAddress, path: n.path, labels: n.labels, props, children: [], parent, pos: n.pos, phandle: ph.get(n) };
      for (const p of n.raw.values()) {
        const values: DtValue[] = p.values.map((v) =>
          v.kind === 'cells' ? { kind: 'cells', cells: v.cells.map((c) => (typeof c === 'number' ? c : (ph.get(this.resolveRef(c.ref, c.pos, root)) as number))) }
          : v.kind === 'ref' ? { kind: 'ref', path: this.resolveRef(v.ref, v.pos, root).path }
          : v);
        props.set(p.name, { name: p.name, values, pos: p.pos });
      }
      (out.children as DtNode[]).push(...n.children.map((c) => build(c, out)));
      return out;
    };
    return new DeviceTree(build(root), this.file);
  }
}

function findPath(root: MNode, path: string): MNode | undefined {
  let n: MNode | undefined = root;
  for (const part of path.split('/').filter(Boolean)) {
    n = n.children.find((c) => c.name === part) ?? n.children.find((c) => c.name.split('@')[0] === part && !part.includes('@'));
    if (!n) return undefined;
  }
  return n;
}

function binop(op: string, a: number, b: number, divZero: () => never): number {
  switch (op) {
    case '||': return a || b ? 1 : 0;
    case '&&': return a && b ? 1 : 0;
    case '|': return (a | b) >>> 0;
    case '^': return (a ^ b) >>> 0;
    case '&': return (a & b) >>> 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '<<': return (a << b) >>> 0;
    case '>>': return a >>> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? divZero() : Math.floor(a / b);
    default: return b === 0 ? divZero() : a % b;
  }
}
