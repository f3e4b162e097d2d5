import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { errorAt, type SourcePos } from '../diagnostics';
import { parseYaml } from '../diagnostics/yaml';

/** An app directory's `app.yaml` (keys in apps/README.md), with positions for later errors. */
export interface AppSpec {
  readonly dir: string;
  readonly file: string;
  readonly name: string;
  readonly arch: 'x86' | 'arm' | 'any';
  readonly generation: 1 | 2 | 'none';
  /** Absolute path of the root `.camkes`. */
  readonly root: string;
  readonly rootPos: SourcePos;
  /** Board names, or ['all']. */
  readonly boards: readonly string[];
  readonly boardsPos: SourcePos;
  /** VMM glue C files, absolute. */
  readonly glue: readonly { readonly path: string; readonly pos: SourcePos }[];
  /** Guest path → app file (absolute), from `guest.overlay`. */
  readonly overlay: readonly { readonly guestPath: string; readonly file: string; readonly pos: SourcePos }[];
  readonly expectConsole?: string;
}

/** Reads `<dir>/app.yaml`; every wrong or missing key is a positioned error. */
export function readApp(dir: string): AppSpec {
  const file = join(dir, 'app.yaml');
  if (!existsSync(file)) throw errorAt({ file, line: 1, col: 1 }, `no app.yaml in ${dir}: expected an app directory (see apps/README.md)`);
  const text = readFileSync(file, 'utf8');
  const { doc, pos } = parseYaml(file, text);
  const top = doc.contents;
  if (!isMap(top)) throw errorAt(pos(top), 'expected app.yaml to be a mapping of keys (see apps/README.md)');
  const get = (m: YAMLMap, k: string) => m.items.find((p) => isScalar(p.key) && p.key.value === k)?.value as Node | null | undefined;
  const str = (m: YAMLMap, k: string, required: boolean): { value: string; pos: SourcePos } | undefined => {
    const n = get(m, k);
    if (n === undefined || n === null) {
      if (required) throw errorAt(pos(m), `expected key '${k}' in app.yaml`);
      return undefined;
    }
    if (!isScalar(n) || (typeof n.value !== 'string' && typeof n.value !== 'number')) throw errorAt(pos(n), `expected ${k} to be a string`);
    return { value: String(n.value), pos: pos(n) };
  };
  const list = (k: string): { value: string; pos: SourcePos }[] => {
    const n = get(top, k);
    if (n === undefined || n === null) return [];
    if (!isSeq(n)) throw errorAt(pos(n), `expected ${k} to be a list`);
    return n.items.map((it) => {
      if (!isScalar(it) || typeof it.value !== 'string') throw errorAt(pos(it as Node), `expected each ${k} entry to be a string`);
      return { value: it.value, pos: pos(it as Node) };
    });
  };
  const name = str(top, 'name', true)!.value;
  const archN = str(top, 'arch', true)!;
  if (!['x86', 'arm', 'any'].includes(archN.value)) throw errorAt(archN.pos, `expected arch to be x86, arm or any, found '${archN.value}'`);
  const genN = str(top, 'generation', false);
  const generation = genN === undefined || genN.value === 'none' ? 'none' : genN.value === '1' ? 1 : genN.value === '2' ? 2 : undefined;
  if (generation === undefined) throw errorAt(genN!.pos, `expected generation to be 1, 2 or none, found '${genN!.value}'`);
  const rootN = str(top, 'root', true)!;
  const root = resolve(dir, rootN.value);
  if (!existsSync(root)) throw errorAt(rootN.pos, `root '${rootN.value}' not found in ${dir}`);
  const boardsNode = get(top, 'boards');
  const boards = isScalar(boardsNode) && boardsNode.value === 'all' ? [{ value: 'all', pos: pos(boardsNode) }] : list('boards');
  if (!boards.length) throw errorAt(pos(boardsNode ?? top), 'expected boards to list the boards the app targets (or all)');
  const glue = list('glue').map((g) => {
    const p = resolve(dir, g.value);
    if (!existsSync(p)) throw errorAt(g.pos, `glue file '${g.value}' not found in ${dir}`);
    return { path: p, pos: g.pos };
  });
  const overlay: { guestPath: string; file: string; pos: SourcePos }[] = [];
  let expectConsole: string | undefined;
  const guest = get(top, 'guest');
  if (guest !== undefined && guest !== null) {
    if (!isMap(guest)) throw errorAt(pos(guest), 'expected guest to be a mapping (overlay, expectConsole)');
    const ov = get(guest, 'overlay');
    if (ov !== undefined && ov !== null) {
      if (!isMap(ov)) throw errorAt(pos(ov), 'expected guest.overlay to map guest paths to app files');
      for (const p of ov.items) {
        if (!isScalar(p.key) || !isScalar(p.value) || typeof p.value.value !== 'string') throw errorAt(pos((p.value ?? p.key) as Node), 'expected guest.overlay entries of the form `/guest/path: app/file`');
        const f = resolve(dir, p.value.value);
        if (!existsSync(f)) throw errorAt(pos(p.value as Node), `overlay file '${p.value.value}' not found in ${dir}`);
        overlay.push({ guestPath: String(p.key.value), file: f, pos: pos(p.value as Node) });
      }
    }
    expectConsole = str(guest, 'expectConsole', false)?.value;
  }
  return { dir, file, name, arch: archN.value as AppSpec['arch'], generation, root, rootPos: rootN.pos, boards: boards.map((b) => b.value), boardsPos: boards[0].pos, glue, overlay, expectConsole };
}
