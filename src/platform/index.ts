import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorAt } from '../diagnostics';
import { validateBoard, type BoardText } from './schema';
import type { Platform } from './types';
import { parseDts, type DeviceTree } from './dts';

export * from './types';
export { validateBoard, type BoardText, type ValidateOptions } from './schema';
export { defaultEntry } from './schema-apps';
export { parseDts, DeviceTree, type DtNode, type DtProp, type DtValue, type RegEntry, type InterruptSpec } from './dts';
export { passthroughIrqs, searchPath, type PassthroughIrq } from './dts-query';

export const PLATFORMS_DIR = path.resolve(__dirname, '..', '..', 'platforms');

/** Board names, from the YAML files present: adding a board is adding a file. */
export function listBoards(dir = PLATFORMS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

function display(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function readText(file: string): BoardText | undefined {
  try {
    return { text: fs.readFileSync(file, 'utf8'), file: display(file) };
  } catch {
    return undefined;
  }
}

/** Parsed boards by file, valid while the file (and its base's file) keeps its mtime. */
const cache = new Map<string, { stamp: string; platform: Platform }>();
const dtsCache = new Map<string, { stamp: string; tree: DeviceTree }>();
/** Absolute DTS paths, so a later change of working directory cannot misplace them. */
const dtsPaths = new WeakMap<Platform, string>();

function stamp(...files: string[]): string {
  return files.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 'none')).join('/');
}

export function loadPlatform(name: string, dir = PLATFORMS_DIR): Platform {
  const file = path.join(dir, `${name}.yaml`);
  if (!/^[\w.-]+$/.test(name) || !fs.existsSync(file))
    throw errorAt({ file: display(file), line: 1, col: 1 }, `no such board '${name}' (known: ${listBoards(dir).join(', ')})`);
  const text = fs.readFileSync(file, 'utf8');
  const base = /^variant_of:\s*([\w.-]+)/m.exec(text)?.[1];
  const key = path.resolve(file);
  const st = stamp(file, ...(base ? [path.join(dir, `${base}.yaml`)] : []));
  const hit = cache.get(key);
  if (hit && hit.stamp === st) return hit.platform;
  const dts = path.join(dir, `${name}.dts`);
  const platform = validateBoard(
    { text, file: display(file) },
    {
      name,
      readBoard: (b) => (/^[\w.-]+$/.test(b) ? readText(path.join(dir, `${b}.yaml`)) : undefined),
      dtsFile: fs.existsSync(dts) ? display(dts) : undefined,
    },
  );
  if (fs.existsSync(dts)) dtsPaths.set(platform, dts);
  cache.set(key, { stamp: st, platform });
  return platform;
}

/** Every board, validated; the first invalid file stops it with that file's diagnostics. */
export function loadAllPlatforms(dir = PLATFORMS_DIR): Platform[] {
  return listBoards(dir).map((b) => loadPlatform(b, dir));
}

/** The board's device tree (`platforms/<board>.dts`), or undefined for boards without one. */
export function loadDeviceTree(p: Platform): DeviceTree | undefined {
  if (!p.dtsFile) return undefined;
  const file = dtsPaths.get(p) ?? path.resolve(p.dtsFile);
  const st = stamp(file);
  const hit = dtsCache.get(file);
  if (hit && hit.stamp === st) return hit.tree;
  const tree = parseDts(fs.readFileSync(file, 'utf8'), p.dtsFile);
  dtsCache.set(file, { stamp: st, tree });
  return tree;
}
