import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, LineCounter } from 'yaml';
import { errorAt } from '../diagnostics';

export type Arch = 'aarch64' | 'aarch32' | 'x86_64' | 'ia32';
export type Family = 'arm' | 'x86';

/** What the harness needs of a board; the full schema grows in `schema.ts`. */
export interface Platform {
  readonly name: string;
  readonly arch: Arch;
  readonly family: Family;
  readonly file: string;
}

export const PLATFORMS_DIR = path.resolve(__dirname, '..', '..', 'platforms');

/** Board names, from the YAML files present: adding a board is adding a file. */
export function listBoards(dir = PLATFORMS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export function loadPlatform(name: string, dir = PLATFORMS_DIR): Platform {
  const file = path.join(dir, `${name}.yaml`);
  const rel = path.relative(process.cwd(), file) || file;
  if (!fs.existsSync(file)) throw errorAt({ file: rel, line: 1, col: 1 }, `no such board '${name}' (known: ${listBoards(dir).join(', ')})`);
  const text = fs.readFileSync(file, 'utf8');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const p = lc.linePos(e.pos[0]);
    throw errorAt({ file: rel, line: p.line, col: p.col }, e.message.split('\n')[0]);
  }
  const data = doc.toJS() as { arch?: Arch };
  const arch = data.arch;
  if (arch !== 'aarch64' && arch !== 'aarch32' && arch !== 'x86_64' && arch !== 'ia32')
    throw errorAt({ file: rel, line: 1, col: 1 }, `expected 'arch' to be one of aarch64, aarch32, x86_64, ia32`);
  const family: Family = arch === 'x86_64' || arch === 'ia32' ? 'x86' : 'arm';
  return { name, arch, family, file: rel };
}
