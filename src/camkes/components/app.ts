/**
 * The parts of an app's `app.yaml` (apps/README.md) this layer needs: `arch`, `root`,
 * `importPaths` and `components` (native component type → source). A component whose source is
 * a TypeScript/JavaScript module is loaded here; the module default-exports a `BehaviourFactory`.
 * A C source names the upstream code the built-in TypeScript component of the same type
 * models; a C source with no built-in model gives the type no behaviour.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { errorAt, type SourcePos } from '../../diagnostics';
import type { BehaviourFactory, BehaviourRegistry } from '../runtime';
import { parseYaml } from '../../diagnostics/yaml';

export interface AppConfig {
  readonly dir: string;
  readonly file: string;
  readonly name?: string;
  readonly arch?: 'x86' | 'arm' | 'any';
  readonly root?: string;
  readonly importPaths: readonly string[];
  /** Component type → source path (relative to the app) with the position of the entry. */
  readonly components: ReadonlyMap<string, { readonly path: string; readonly pos: SourcePos }>;
}

const MODULE = /\.(ts|js|cjs|mjs)$/;

/** Reads `<dir>/app.yaml`. Wrong shapes of the keys read here are positioned errors. */
export function readAppYaml(file: string): AppConfig {
  const text = readFileSync(file, 'utf8');
  const { doc, pos } = parseYaml(file, text);
  const top = doc.contents;
  if (!isMap(top)) throw errorAt(pos(top), 'expected app.yaml to be a mapping of keys (see apps/README.md)');
  const get = (k: string) => top.items.find((p) => isScalar(p.key) && p.key.value === k)?.value as Node | null | undefined;
  const scalar = (k: string): string | undefined => {
    const n = get(k);
    if (n === undefined || n === null) return undefined;
    if (!isScalar(n) || typeof n.value !== 'string') throw errorAt(pos(n), `expected ${k} to be a string`);
    return n.value;
  };
  const arch = scalar('arch');
  if (arch !== undefined && arch !== 'x86' && arch !== 'arm' && arch !== 'any') throw errorAt(pos(get('arch')), `expected arch to be x86, arm or any, found '${arch}'`);
  const ip = get('importPaths');
  const importPaths: string[] = [];
  if (ip) {
    if (!isSeq(ip)) throw errorAt(pos(ip), 'expected importPaths to be a list of directories');
    for (const it of ip.items) {
      if (!isScalar(it) || typeof it.value !== 'string') throw errorAt(pos(it as Node), 'expected each importPaths entry to be a string');
      importPaths.push(it.value);
    }
  }
  const components = new Map<string, { path: string; pos: SourcePos }>();
  const cs = get('components');
  if (cs) {
    if (!isMap(cs)) throw errorAt(pos(cs), 'expected components to map component types to source files');
    for (const p of cs.items) {
      if (!isScalar(p.key) || !isScalar(p.value) || typeof p.value.value !== 'string') throw errorAt(pos((p.value ?? p.key) as Node), 'expected components entries of the form `Type: path`');
      components.set(String(p.key.value), { path: p.value.value, pos: pos(p.value as Node) });
    }
  }
  return { dir: dirname(file), file, name: scalar('name'), arch: arch as AppConfig['arch'], root: scalar('root'), importPaths, components };
}

/** The app.yaml governing a `.camkes` file: in its directory or the nearest parent that has one. */
export function findAppYaml(camkesFile: string): string | undefined {
  let d = dirname(resolve(camkesFile));
  for (let i = 0; i < 4; i++) {
    const f = join(d, 'app.yaml');
    if (existsSync(f)) return f;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

/** Registers the app's TypeScript components (modules that default-export a behaviour factory). */
export function registerAppComponents(app: AppConfig, registry: BehaviourRegistry): BehaviourRegistry {
  for (const [type, { path, pos }] of app.components) {
    if (!MODULE.test(path)) continue;
    const full = resolve(app.dir, path);
    if (!existsSync(full)) throw errorAt(pos, `component module '${path}' not found (looked in ${app.dir})`);
    let mod: { default?: unknown };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(full) as { default?: unknown };
    } catch (e) {
      throw errorAt(pos, `component module '${path}' failed to load: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!('default' in mod) || mod.default === undefined) {
      const named = Object.keys(mod).filter((k) => k !== 'default' && k !== '__esModule');
      const found = named.length ? `; it exports only ${named.map((n) => `'${n}'`).join(', ')} by name` : '';
      throw errorAt(pos, `component module '${path}' has no default export: expected \`export default\` of ${FACTORY}${found}`);
    }
    if (typeof mod.default !== 'function') throw errorAt(pos, `component module '${path}' default-exports ${describe(mod.default)}, not a behaviour factory: expected ${FACTORY}`);
    registry.register(type, mod.default as BehaviourFactory);
  }
  return registry;
}

const FACTORY = 'a behaviour factory (a function from the component runtime to { run, provides, threads })';

/** What a wrong default export is, in the words of the error. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v !== 'object') return `a ${typeof v}`;
  // The usual slip: exporting the Behaviour itself rather than the function that makes it.
  return typeof (v as { run?: unknown }).run === 'function' ? 'a behaviour object (the factory\'s result)' : 'an object';
}
