import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { diagnostic, type Diagnostic, type SourcePos } from '../diagnostics';

/** A parsed YAML file: positions of its nodes come from its own line counter. */
export interface Src {
  readonly file: string;
  readonly lc: LineCounter;
  readonly doc: Document.Parsed;
}

/** A key of a mapping with its value; `value` is null for `key:` with nothing after it. */
export interface Field {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node | null;
  readonly src: Src;
}

export type Fields = Map<string, Field>;

/**
 * Reads YAML nodes into typed values, collecting every problem instead of stopping at the first,
 * so that a user fixing a board file sees all of its errors at once.
 */
export class Reader {
  readonly errors: Diagnostic[] = [];

  pos(src: Src, node: Node | null | undefined): SourcePos {
    const off = node && node.range ? node.range[0] : 0;
    const p = src.lc.linePos(off);
    return { file: src.file, line: p.line, col: p.col };
  }

  error(src: Src, node: Node | null | undefined, message: string): undefined {
    this.errors.push(diagnostic('error', this.pos(src, node), message));
    return undefined;
  }

  /** Follows `*alias` references so that anchors can share long lists between apps. */
  resolve(src: Src, node: Node | null): Node | null {
    let n: unknown = node;
    for (let i = 0; i < 16 && isAlias(n); i++) n = n.resolve(src.doc) ?? null;
    return (n as Node | null) ?? null;
  }

  /** The keys of a mapping node, or undefined (with an error) when `node` is not a mapping. */
  fields(src: Src, node: Node | null, what: string, at?: Node | null): Fields | undefined {
    const n = this.resolve(src, node);
    if (!isMap(n)) return this.error(src, n ?? at, `expected a mapping for ${what}`);
    const out: Fields = new Map();
    for (const pair of n.items) {
      const k = pair.key as Node | null;
      const key = isScalar(k) ? String(k.value) : undefined;
      if (key === undefined) {
        this.error(src, k ?? n, `expected a plain key in ${what}`);
        continue;
      }
      out.set(key, { key, keyNode: k as Node, value: (pair.value as Node | null) ?? null, src });
    }
    return out;
  }

  /** Reports unknown keys (at the key) and missing required keys (at the mapping). */
  checkKeys(src: Src, mapNode: Node | null, f: Fields, what: string, required: readonly string[], optional: readonly string[]): void {
    const known = new Set([...required, ...optional]);
    for (const [k, fld] of f) {
      if (!known.has(k)) this.error(fld.src, fld.keyNode, `unknown key '${k}' in ${what} (expected one of: ${[...known].join(', ')})`);
    }
    for (const k of required) if (!f.has(k)) this.error(src, mapNode, `missing required key '${k}' in ${what}`);
  }

  scalar(fld: Field): unknown {
    const n = this.resolve(fld.src, fld.value);
    if (n === null) return null;
    return isScalar(n) ? n.value : n;
  }

  node(fld: Field): Node | null {
    return this.resolve(fld.src, fld.value) ?? fld.keyNode;
  }

  str(fld: Field | undefined, what: string): string | undefined {
    if (!fld) return undefined;
    const v = this.scalar(fld);
    if (typeof v === 'string' && v.trim() !== '') return v;
    return this.error(fld.src, this.node(fld), `expected ${what} to be a non-empty string`);
  }

  bool(fld: Field | undefined, what: string): boolean | undefined {
    if (!fld) return undefined;
    const v = this.scalar(fld);
    if (typeof v === 'boolean') return v;
    return this.error(fld.src, this.node(fld), `expected ${what} to be true or false`);
  }

  int(fld: Field | undefined, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (!fld) return undefined;
    const v = this.scalar(fld);
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    return this.error(fld.src, this.node(fld), `expected ${what} to be ${range}`);
  }

  /** An integer, or null written explicitly (`irq: null`: "no such line on this board"). */
  intOrNull(fld: Field | undefined, what: string, min = 0): number | null | undefined {
    if (!fld) return undefined;
    if (this.scalar(fld) === null) return null;
    return this.int(fld, what, min);
  }

  oneOf<T extends string | number>(fld: Field | undefined, what: string, choices: readonly T[]): T | undefined {
    if (!fld) return undefined;
    const v = this.scalar(fld);
    if ((choices as readonly unknown[]).includes(v)) return v as T;
    return this.error(fld.src, this.node(fld), `expected ${what} to be one of: ${choices.join(', ')}`);
  }

  /** The items of a sequence, each as a Field so item errors point at the item. */
  items(fld: Field | undefined, what: string): Field[] | undefined {
    if (!fld) return undefined;
    const n = this.resolve(fld.src, fld.value);
    if (!isSeq(n)) return this.error(fld.src, n ?? fld.keyNode, `expected ${what} to be a list`);
    return n.items.map((it, i) => ({ key: `${fld.key}[${i}]`, keyNode: (it as Node) ?? n, value: (it as Node | null) ?? null, src: fld.src }));
  }

  intList(fld: Field | undefined, what: string, min = 0): number[] | undefined {
    const its = this.items(fld, what);
    if (!its) return undefined;
    const out: number[] = [];
    for (const it of its) {
      const v = this.int(it, `each item of ${what}`, min);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  strList(fld: Field | undefined, what: string): string[] | undefined {
    const its = this.items(fld, what);
    if (!its) return undefined;
    const out: string[] = [];
    for (const it of its) {
      const v = this.str(it, `each item of ${what}`);
      if (v !== undefined) out.push(v);
    }
    return out;
  }
}
