// Support for the cross-VM steps: scenario variants of shipped apps (applied to a temporary copy,
// never to the app itself) and a session at the built system's serial console.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiagnosticError } from '../../src/diagnostics';
import { buildSystem, Operator, type BuiltSystem, type RunOutcome } from '../../src/system';

export const APPS: Readonly<Record<string, string>> = {
  'print server': 'apps/crossvm_tutorial',
  'string reverse': 'apps/string_reverse_gen1',
  'minimal poke': 'apps/minimal_poke',
  'cross-VM probe': 'apps/crossvm_probe',
};

export type Edit = (files: { read(f: string): string; write(f: string, text: string): void }) => void;

/**
 * Roots of the temporary copies this process made. Only these are ever removed: the shipped
 * apps may themselves live under the temp directory (a clone in /tmp), so "is under tmpdir()"
 * must never decide what to delete.
 */
const temporaryCopies = new Set<string>();

/** An app plus the edits a scenario declares. */
export class AppVariant {
  readonly edits: Edit[] = [];
  constructor(readonly app: string) {
    if (!APPS[app]) throw new Error(`unknown app '${app}': expected one of ${Object.keys(APPS).join(', ')}`);
  }

  /** The directory to build: the shipped app, or a temporary copy with the edits applied. */
  materialise(): string {
    const src = resolve(APPS[this.app]);
    if (!this.edits.length) return src;
    const root = mkdtempSync(join(tmpdir(), 'vmconf-crossvm-'));
    temporaryCopies.add(root);
    const dir = join(root, APPS[this.app].split('/').pop()!);
    cpSync(src, dir, { recursive: true });
    const io = { read: (f: string) => readFileSync(join(dir, f), 'utf8'), write: (f: string, t: string) => writeFileSync(join(dir, f), t) };
    for (const e of this.edits) e(io);
    return dir;
  }
}

/** Replaces the line of `file` whose command (first word) is `line`'s first word. */
export function replaceCommandLine(file: string, line: string): Edit {
  const cmd = line.trim().split(/\s+/)[0];
  return (io) => {
    const lines = io.read(file).split('\n');
    const i = lines.findIndex((l) => l.trim().split(/\s+/)[0] === cmd);
    if (i < 0) throw new Error(`no '${cmd}' line in ${file}`);
    lines[i] = line;
    io.write(file, lines.join('\n'));
  };
}

export function replaceText(file: string, from: string, to: string): Edit {
  return (io) => {
    const t = io.read(file);
    if (!t.includes(from)) throw new Error(`'${from}' does not occur in ${file}`);
    io.write(file, t.split(from).join(to));
  };
}

/** Removes the C function definition `name` (a weak hook the app then does not provide). */
export function removeFunction(file: string, name: string): Edit {
  return (io) => {
    const t = io.read(file);
    const m = new RegExp(`\\bint\\s+${name}\\s*\\(`).exec(t);
    if (!m) throw new Error(`no function ${name} in ${file}`);
    let i = t.indexOf('{', m.index);
    let depth = 0;
    for (; i < t.length; i++) {
      if (t[i] === '{') depth++;
      else if (t[i] === '}' && --depth === 0) break;
    }
    io.write(file, t.slice(0, m.index) + t.slice(i + 1));
  };
}

/** A built system and the operator at its console. */
export class Session {
  readonly system: BuiltSystem;
  readonly operator: Operator;
  last: RunOutcome | null = null;

  constructor(dir: string, board: string, seed: number) {
    try {
      this.system = buildSystem(dir, { board, seed, anyBoardOfArch: true });
    } finally {
      // The build has read every file of a temporary variant; nothing needs it afterwards.
      const root = resolve(dir, '..');
      if (temporaryCopies.delete(root)) rmSync(root, { recursive: true, force: true });
    }
    this.operator = new Operator(this.system, { commands: [] });
  }

  /** Complete console lines so far. */
  get console(): string[] {
    return this.system.sys.serial.lines.map((l) => l.text);
  }
}

/**
 * Builds the variant for `board`. The build's refusal (the app does not target the board or its
 * architecture, a check error in the variant) is the scenario's NOT-SUPPORTED reason, in the
 * build's own words; any other error is a defect and propagates.
 */
export function buildSession(variant: AppVariant, board: string, seed: number): Session {
  try {
    return new Session(variant.materialise(), board, seed);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    throw new Error(`NOT-SUPPORTED: ${variant.app} is not built for ${board}: ${e.diagnostics.map((d) => d.message).join('; ')}`);
  }
}

/** `[   12.730073] text` → `text`: guest printk timestamps vary with timing, the text does not. */
export function withoutTimestamp(line: string): string {
  return line.replace(/^\[\s*\d+\.\d{6}\] /, '');
}
