import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorAt } from '../diagnostics';

const ROOT = path.resolve(__dirname, '..', '..');

/** What the runner records next to a board's messages: the messages do not carry it. */
export interface RunInfo {
  readonly seed: number | null;
  /** The user's tag expression ("" for none). */
  readonly tags: string;
  readonly simulator: string;
}

export const RUN_INFO_FILE = 'run.json';

export function suiteInfo(): { name: string; version: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

/**
 * The simulator is this repository, so its version is the package version plus the commit it was
 * built from (read from .git without running git; "+unknown" outside a checkout). Choice: there is
 * no separate simulator version upstream to follow. Uncommitted edits are not visible here.
 */
export function simulatorVersion(root = ROOT): string {
  const v = suiteInfo().version;
  try {
    const git = path.join(root, '.git');
    let head = fs.readFileSync(path.join(git, 'HEAD'), 'utf8').trim();
    if (head.startsWith('ref: ')) {
      const ref = head.slice(5);
      const loose = path.join(git, ref);
      if (fs.existsSync(loose)) head = fs.readFileSync(loose, 'utf8').trim();
      else {
        const packed = fs.readFileSync(path.join(git, 'packed-refs'), 'utf8').split('\n').find((l) => l.endsWith(` ${ref}`));
        head = packed ? packed.split(' ')[0] : '';
      }
    }
    return /^[0-9a-f]{7,}$/.test(head) ? `${v}+${head.slice(0, 12)}` : `${v}+unknown`;
  } catch {
    return `${v}+unknown`;
  }
}

export function writeRunInfo(dir: string, info: RunInfo): void {
  fs.writeFileSync(path.join(dir, RUN_INFO_FILE), JSON.stringify(info, null, 2) + '\n');
}

export function readRunInfo(dir: string): RunInfo {
  const file = path.join(dir, RUN_INFO_FILE);
  if (!fs.existsSync(file)) return { seed: null, tags: '', simulator: 'unknown' };
  const rel = path.relative(process.cwd(), file) || file;
  let v: Partial<RunInfo>;
  try {
    v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RunInfo>;
  } catch (e) {
    throw errorAt({ file: rel, line: 1, col: 1 }, `expected JSON run information: ${(e as Error).message}`);
  }
  return { seed: typeof v.seed === 'number' ? v.seed : null, tags: typeof v.tags === 'string' ? v.tags : '', simulator: typeof v.simulator === 'string' ? v.simulator : 'unknown' };
}
