import { DiagnosticError } from '../../diagnostics';
import { SIGNAL_TEXT, SIGPIPE } from '../kernel/errno';
import type { GuestStep } from '../kernel/kernel';
import type { Libc } from '../kernel/libc';
import { ProcessExit, shellStatus, spawnProcess, type Process } from '../kernel/process';
import { normalise } from '../kernel/vfs';
import type { AndOr, Command, List, Pipeline, Program, Redirect, SimpleCommand, Word } from './ast';
import { BUILTINS } from './builtins';
import { globMatch } from './glob';
import { parseShell } from './parser';
import { applyRedirects, withRedirects, type SavedFds } from './redirect';
import { expandString, expandWords } from './words';

/** `break N` / `continue N`, unwinding to the enclosing loop. */
export class LoopControl {
  constructor(readonly kind: 'break' | 'continue', public levels: number) {}
}

/** Raised to leave the shell with a status (`exit`, `set -e`, a fatal expansion error). */
export class ShellExit {
  constructor(readonly status: number) {}
}

export interface ShellConfig {
  /** `$0`: `-sh` for the login shell, the script path for a script. */
  arg0: string;
  interactive: boolean;
  positional: string[];
}

/** Runs a program found on PATH or by path in the current process (exec): set by programs/. */
export type ExecHook = (p: Process, path: string, argv: string[], env: Map<string, string>) => GuestStep<number>;
let execHook: ExecHook | null = null;
export function setExecHook(h: ExecHook): void {
  execHook = h;
}
export function execInProcess(p: Process, path: string, argv: string[], env: Map<string, string>): GuestStep<number> {
  if (!execHook) throw new Error('guest shell: no exec hook installed');
  return execHook(p, path, argv, env);
}

/**
 * The busybox ash executor over the parsed syntax tree: lists, `&&`/`||`, pipelines of
 * processes joined by pipes, `&` and `wait`, compound commands, redirections, variables,
 * `$?`, `set -e`, builtins, and external commands run as child processes found on PATH.
 */
export class Shell {
  readonly vars = new Map<string, string>();
  readonly exported = new Set<string>();
  readonly functions = new Map<string, Command>();
  lastStatus = 0;
  lastBg: number | undefined;
  errexit = false;
  jobs: number[] = [];
  /** Line of the command being run, for `script: line N:` messages. */
  line = 0;

  constructor(readonly p: Process, public cfg: ShellConfig) {
    for (const [k, v] of p.env) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    if (!this.vars.has('PATH')) this.setVar('PATH', '/bin:/sbin:/usr/bin:/usr/sbin', true);
    if (!this.vars.has('IFS')) this.vars.set('IFS', ' \t\n');
  }

  get c(): Libc {
    return this.p.libc;
  }

  setVar(name: string, value: string, exportIt = false): void {
    this.vars.set(name, value);
    if (exportIt) this.exported.add(name);
  }

  /** A copy for a subshell running in process `p`. */
  fork(p: Process): Shell {
    const s = new Shell(p, { ...this.cfg, positional: [...this.cfg.positional] });
    for (const [k, v] of this.vars) s.vars.set(k, v);
    for (const k of this.exported) s.exported.add(k);
    for (const [k, v] of this.functions) s.functions.set(k, v);
    s.lastStatus = this.lastStatus;
    s.lastBg = this.lastBg;
    s.errexit = this.errexit;
    return s;
  }

  env(): Map<string, string> {
    const m = new Map<string, string>();
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) m.set(k, v);
    }
    return m;
  }

  /** The message prefix ash uses: `-sh: ` interactively, `script: line N: ` in a script. */
  prefix(): string {
    return this.cfg.interactive ? `${this.cfg.arg0}: ` : `${this.cfg.arg0}: line ${this.line}: `;
  }

  *error(msg: string): GuestStep<void> {
    yield* this.c.eprintf(`${this.prefix()}${msg}\n`);
  }

  // ---- top level ----

  /** Runs a whole script text: ash executes each command as it parses, so a syntax error stops there. */
  *runScript(text: string, file: string): GuestStep<number> {
    let prog: Program;
    try {
      prog = parseOrThrow(text, file);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      const d = e.diagnostics[0];
      const lines = text.split('\n');
      for (let n = d.pos.line - 1; n > 0; n--) {
        try {
          const head = parseOrThrow(lines.slice(0, n).join('\n') + '\n', file);
          yield* this.runProgram(head);
          break;
        } catch (e2) {
          if (!(e2 instanceof DiagnosticError)) throw e2;
        }
      }
      this.line = d.pos.line;
      yield* this.error(d.message);
      return 2;
    }
    return yield* this.runProgram(prog);
  }

  *runProgram(prog: Program): GuestStep<number> {
    try {
      return yield* this.runList(prog.body, false);
    } catch (e) {
      if (!(e instanceof ShellExit)) throw e;
      yield* this.flushPendingError();
      this.lastStatus = e.status;
      return e.status;
    }
  }

  *flushPendingError(): GuestStep<void> {
    if (this.pendingError === null) return;
    const msg = this.pendingError;
    this.pendingError = null;
    yield* this.error(msg);
  }

  *runList(list: List, cond: boolean): GuestStep<number> {
    let status = this.lastStatus;
    for (const item of list.items) {
      this.line = item.pos.line;
      if (item.background) {
        const child = spawnProcess(this.p.sys, this.p, this.p.comm, this.p.fds, (cp) => this.fork(cp).asChild(item.command), this.env(), this.p.cwd);
        this.lastBg = child.pid;
        this.jobs.push(child.pid);
        if (this.cfg.interactive) yield* this.c.eprintf(`[${this.jobs.length}] ${child.pid}\n`);
        status = 0;
      } else status = yield* this.runAndOr(item.command, cond);
      this.lastStatus = status;
    }
    return status;
  }

  private *asChild(a: AndOr): GuestStep<number> {
    try {
      return yield* this.runAndOr(a, false);
    } catch (e) {
      if (!(e instanceof ShellExit)) throw e;
      yield* this.flushPendingError();
      return e.status;
    }
  }

  private *runAndOr(a: AndOr, cond: boolean): GuestStep<number> {
    let status = yield* this.runPipeline(a.first, cond || a.rest.length > 0);
    for (let i = 0; i < a.rest.length; i++) {
      const { op, pipeline } = a.rest[i];
      this.lastStatus = status;
      if ((op === '&&') !== (status === 0)) continue;
      status = yield* this.runPipeline(pipeline, cond || i < a.rest.length - 1);
    }
    return status;
  }

  private *runPipeline(pl: Pipeline, cond: boolean): GuestStep<number> {
    let status: number;
    if (pl.commands.length === 1) status = yield* this.runCommand(pl.commands[0], cond || pl.bang);
    else status = yield* this.runPipe(pl.commands);
    if (pl.bang) status = status === 0 ? 1 : 0;
    this.lastStatus = status;
    if (status !== 0 && this.errexit && !cond && !pl.bang) throw new ProcessExit(status);
    return status;
  }

  private *runPipe(cmds: readonly Command[]): GuestStep<number> {
    const pids: number[] = [];
    let input = -1;
    for (let i = 0; i < cmds.length; i++) {
      const last = i === cmds.length - 1;
      const [r, w] = last ? [-1, -1] : this.c.pipe();
      const fds = [...this.p.fds];
      if (input >= 0) fds[0] = this.p.fds[input];
      if (w >= 0) fds[1] = this.p.fds[w];
      // The child must not hold the read end it does not use, or the writer never sees EPIPE.
      if (r >= 0) fds[r] = null;
      if (w >= 0) fds[w] = null;
      if (input >= 0) fds[input] = null;
      const cmd = cmds[i];
      const child = spawnProcess(this.p.sys, this.p, this.p.comm, fds, (cp) => this.fork(cp).runInChild(cmd), this.env(), this.p.cwd);
      pids.push(child.pid);
      if (input >= 0) yield* this.c.close(input);
      if (w >= 0) yield* this.c.close(w);
      input = r;
    }
    let status = 0;
    for (const pid of pids) {
      const r = yield* this.c.waitpid(pid);
      if (r) status = yield* this.reportStatus(r.status);
    }
    return status;
  }

  /** A pipeline element or subshell: a simple external command replaces the child (exec). */
  *runInChild(cmd: Command): GuestStep<number> {
    try {
      return yield* this.runCommand(cmd, false, true);
    } catch (e) {
      if (!(e instanceof ShellExit)) throw e;
      yield* this.flushPendingError();
      return e.status;
    }
  }

  /** The status of a waited child; a foreground job killed by a signal is reported as ash does. */
  *reportStatus(st: { code: number; signal: number }): GuestStep<number> {
    if (st.signal && st.signal !== SIGPIPE) yield* this.c.eprintf(`${SIGNAL_TEXT[st.signal] ?? `Signal ${st.signal}`}\n`);
    return shellStatus(st);
  }

  *runCommand(cmd: Command, cond: boolean, inChild = false): GuestStep<number> {
    this.line = cmd.pos.line;
    switch (cmd.kind) {
      case 'simple':
        return yield* this.runSimple(cmd, inChild);
      case 'function':
        this.functions.set(cmd.name, cmd.body);
        return 0;
      default:
        return yield* this.withRedirects(cmd.redirects, () => this.runCompound(cmd, cond));
    }
  }

  private *runCompound(cmd: Exclude<Command, SimpleCommand | { kind: 'function' }>, cond: boolean): GuestStep<number> {
    switch (cmd.kind) {
      case 'if': {
        for (const b of cmd.branches) {
          if ((yield* this.runList(b.condition, true)) === 0) return yield* this.runList(b.body, cond);
        }
        return cmd.elseBody ? yield* this.runList(cmd.elseBody, cond) : 0;
      }
      case 'while': {
        let status = 0;
        for (;;) {
          const c = yield* this.runList(cmd.condition, true);
          if ((c === 0) === cmd.until) break;
          const r = yield* this.loopBody(cmd.body, cond);
          status = r.status;
          if (r.stop) break;
        }
        return status;
      }
      case 'for': {
        const items = cmd.items ? yield* this.expandWords(cmd.items) : this.cfg.positional;
        let status = 0;
        for (const v of items) {
          this.vars.set(cmd.variable, v);
          const r = yield* this.loopBody(cmd.body, cond);
          status = r.status;
          if (r.stop) break;
        }
        return status;
      }
      case 'case': {
        const subject = yield* this.expandString(cmd.subject);
        for (const item of cmd.items) {
          for (const pat of item.patterns) {
            if (globMatch(yield* this.expandString(pat), subject)) return item.body ? yield* this.runList(item.body, cond) : 0;
          }
        }
        return 0;
      }
      case 'brace':
        return yield* this.runList(cmd.body, cond);
      case 'subshell': {
        const child = spawnProcess(this.p.sys, this.p, this.p.comm, this.p.fds, (cp) => this.fork(cp).runSubshellList(cmd.body), this.env(), this.p.cwd);
        const r = yield* this.c.waitpid(child.pid);
        return r ? yield* this.reportStatus(r.status) : 0;
      }
    }
  }

  private *loopBody(body: List, cond: boolean): GuestStep<{ status: number; stop: boolean }> {
    try {
      return { status: yield* this.runList(body, cond), stop: false };
    } catch (e) {
      if (!(e instanceof LoopControl)) throw e;
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      return { status: 0, stop: e.kind === 'break' };
    }
  }

  *runSubshellList(list: List): GuestStep<number> {
    try {
      return yield* this.runList(list, false);
    } catch (e) {
      if (!(e instanceof ShellExit)) throw e;
      yield* this.flushPendingError();
      return e.status;
    }
  }

  // ---- simple commands ----

  private *runSimple(cmd: SimpleCommand, inChild: boolean): GuestStep<number> {
    const argv = yield* this.expandWords(cmd.words);
    const assigns: [string, string][] = [];
    for (const a of cmd.assignments) assigns.push([a.name, yield* this.expandString(a.value)]);
    if (!argv.length) {
      for (const [k, v] of assigns) this.vars.set(k, v);
      if (!cmd.redirects.length) return 0;
      return yield* this.withRedirects(cmd.redirects, () => value(0));
    }
    const name = argv[0];
    const fn = this.functions.get(name);
    if (fn) {
      const saved = this.cfg.positional;
      this.cfg.positional = argv.slice(1);
      try {
        return yield* this.withRedirects(cmd.redirects, () => this.runCommand(fn, false));
      } finally {
        this.cfg.positional = saved;
      }
    }
    const builtin = BUILTINS.get(name);
    if (builtin) {
      if (name === 'exec' && argv.length === 1) {
        // `exec` with only redirections changes the shell's own descriptors for good.
        const r = yield* this.applyRedirects(cmd.redirects);
        return r === null ? 1 : 0;
      }
      for (const [k, v] of assigns) this.vars.set(k, v);
      return yield* this.withRedirects(cmd.redirects, () => builtin(this, argv));
    }
    const path = this.findCommand(name);
    if (!path) {
      yield* this.withRedirects(cmd.redirects, () => this.notFound(name));
      return 127;
    }
    const env = this.env();
    for (const [k, v] of assigns) env.set(k, v);
    return yield* this.withRedirects(cmd.redirects, () => this.runExternal(path, argv, env, inChild));
  }

  private *notFound(name: string): GuestStep<number> {
    yield* this.error(`${name}: not found`);
    return 127;
  }

  *runExternal(path: string, argv: string[], env: Map<string, string>, inChild: boolean): GuestStep<number> {
    if (inChild) {
      const status = yield* execInProcess(this.p, path, argv, env);
      throw new ProcessExit(status);
    }
    const child = spawnProcess(this.p.sys, this.p, basename(path), this.p.fds, (cp) => execInProcess(cp, path, argv, env), env, this.p.cwd);
    const r = yield* this.c.waitpid(child.pid);
    return r ? yield* this.reportStatus(r.status) : 127;
  }

  /** PATH search as ash does it: a name with a slash is used as is. */
  findCommand(name: string): string | null {
    if (name.includes('/')) return this.c.stat(name) ? normalise(name, this.p.cwd) : null;
    for (const dir of (this.vars.get('PATH') ?? '').split(':')) {
      const cand = normalise(`${dir || '.'}/${name}`, this.p.cwd);
      const st = this.c.stat(cand);
      if (st && st.kind === 'file' && st.executable) return cand;
    }
    return null;
  }

  // ---- redirections (redirect.ts) ----

  withRedirects(redirs: readonly Redirect[], body: () => GuestStep<number>): GuestStep<number> {
    return withRedirects(this, redirs, body);
  }

  applyRedirects(redirs: readonly Redirect[]): GuestStep<SavedFds | null> {
    return applyRedirects(this, redirs);
  }

  // ---- expansion (words.ts) ----

  expandWords(words: readonly Word[]): GuestStep<string[]> {
    return expandWords(this, words);
  }

  expandString(w: Word): GuestStep<string> {
    return expandString(this, w);
  }

  pendingError: string | null = null;
}

function parseOrThrow(text: string, file: string): Program {
  return parseShell(text, file);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A step that completes at once with `v`. */
// eslint-disable-next-line require-yield
function* value(v: number): GuestStep<number> {
  return v;
}
