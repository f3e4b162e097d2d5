import { DiagnosticError, type SourcePos } from '../../diagnostics';
import type { GuestStep } from '../kernel/kernel';
import { shellStatus, spawnProcess } from '../kernel/process';
import type { Program, Word, WordPart } from './ast';
import { ShellExit, type Shell } from './exec';
import { expandWord, expandWordToString, literalWord, type ExpansionEnv } from './expand';
import { globPaths, hasGlob } from './glob';

/** The shell's variables and special parameters as expansion sees them. */
function expansionEnv(sh: Shell, subs: Map<Program, string>): ExpansionEnv {
  return {
    get: (name) => {
      switch (name) {
        case '?': return String(sh.lastStatus);
        case '$': return String(sh.p.pid);
        case '!': return sh.lastBg === undefined ? undefined : String(sh.lastBg);
        case '-': return sh.errexit ? 'e' : '';
        case '0': return sh.cfg.arg0;
        case '#': return String(sh.cfg.positional.length);
        default: return sh.vars.get(name);
      }
    },
    positional: sh.cfg.positional,
    set: (name, value) => sh.vars.set(name, value),
    commandSubstitution: (prog) => subs.get(prog) ?? '',
  };
}

/** Runs every `$(...)` in the word first: expansion needs their output synchronously. */
function* substitutions(sh: Shell, word: Word): GuestStep<Map<Program, string>> {
  const subs = new Map<Program, string>();
  function* visit(parts: readonly WordPart[]): GuestStep<void> {
    for (const part of parts) {
      if (part.kind === 'double') yield* visit(part.parts);
      else if (part.kind === 'param' && part.arg) yield* visit(part.arg.parts);
      else if (part.kind === 'arith') yield* visit(part.expr.parts);
      else if (part.kind === 'command') subs.set(part.program, yield* captureOutput(sh, part.program));
    }
  }
  yield* visit(word.parts);
  return subs;
}

/** `$(...)`: a subshell child writing into a pipe the shell reads to EOF. */
function* captureOutput(sh: Shell, prog: Program): GuestStep<string> {
  const c = sh.c;
  const [r, w] = c.pipe();
  const fds = [...sh.p.fds];
  fds[1] = sh.p.fds[w];
  fds[r] = null;
  fds[w] = null;
  const child = spawnProcess(sh.p.sys, sh.p, sh.p.comm, fds, (cp) => sh.fork(cp).runSubshellList(prog.body), sh.env(), sh.p.cwd);
  yield* c.close(w);
  const chunks: number[] = [];
  for (;;) {
    const b = yield* c.read(r, 4096);
    if (!b || !b.length) break;
    for (const x of b) chunks.push(x);
  }
  yield* c.close(r);
  const st = yield* c.waitpid(child.pid);
  if (st) sh.lastStatus = shellStatus(st.status);
  return new TextDecoder().decode(Uint8Array.from(chunks));
}

/**
 * The fields of a word with no expansion in it (most command words), as `expandWord` would give
 * them without building an environment: quote removal leaves one field, or none when nothing
 * quoted and nothing left (only an unquoted empty word, which the lexer never makes).
 */
export function literalFields(w: Word): string[] | undefined {
  const text = literalWord(w);
  if (text === undefined) return undefined;
  if (text !== '') return [text];
  for (const p of w.parts) if (p.kind === 'single' || p.kind === 'double' || (p.kind === 'literal' && p.quoted)) return [text];
  return [];
}

/** Command words to fields, with pathname expansion of unquoted patterns (kept when nothing matches). */
export function* expandWords(sh: Shell, words: readonly Word[]): GuestStep<string[]> {
  const out: string[] = [];
  for (const w of words) {
    let fields = literalFields(w);
    if (!fields) {
      const subs = yield* substitutions(sh, w);
      fields = guard(sh, w.pos, () => expandWord(w, expansionEnv(sh, subs)));
    }
    if (hasGlob(w)) {
      for (const f of fields) {
        const matches = globPaths(sh.p.sys.vfs, f, sh.p.cwd);
        out.push(...(matches.length ? matches : [f]));
      }
    } else for (let i = 0; i < fields.length; i++) out.push(fields[i]);
  }
  return out;
}

export function* expandString(sh: Shell, w: Word): GuestStep<string> {
  const subs = yield* substitutions(sh, w);
  return guard(sh, w.pos, () => expandWordToString(w, expansionEnv(sh, subs)));
}

/** An expansion error (`x: parameter not set`) ends the command list, as in ash. */
function guard<T>(sh: Shell, pos: SourcePos, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    sh.line = pos.line;
    sh.pendingError = e.diagnostics[0].message;
    throw new ShellExit(2);
  }
}
