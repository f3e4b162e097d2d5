import { renderRunReport, type RunResult, type TraceEvent } from '../sel4';
import type { BuiltSystem, SystemVm } from './build';

export interface CommandResult {
  readonly line: string;
  readonly status: number;
}

/** How a session at the serial console ended. */
export type RunOutcome =
  /** Every command ran to its prompt (statuses may be non-zero). */
  | { readonly kind: 'completed'; readonly commands: readonly CommandResult[] }
  /** The VMM took the vCPU offline (its fatal message is on the console). */
  | { readonly kind: 'vm-died'; readonly vm: string; readonly reason: string; readonly commands: readonly CommandResult[] }
  /** Nothing can run any more while the operator waits for the guest. */
  | { readonly kind: 'deadlock'; readonly waitingFor: string; readonly report: string; readonly commands: readonly CommandResult[] }
  /** Virtual time ran past the operator's patience (or the livelock guard tripped). */
  | { readonly kind: 'timeout'; readonly waitingFor: string; readonly commands: readonly CommandResult[] };

export interface OperatorOptions {
  readonly commands: readonly string[];
  /** Virtual time the operator waits for each prompt (ns); default 600 s. */
  readonly timeoutNs?: number;
  readonly user?: string;
  /** What to type at `Password:` (the buildroot rootfs accepts `root`, seeds 001/002). */
  readonly password?: string;
}

const DEFAULT_TIMEOUT = 600e9;

type Wait = { kind: 'event'; event: TraceEvent } | { kind: 'died'; reason: string } | { kind: 'stuck'; r: RunResult } | { kind: 'timeout' };

/**
 * Drives the first VM's serial console like a person: waits for `buildroot login: `, types the
 * user, answers `Password:`, then at each `# ` prompt types one command and waits for it to
 * finish. What the guest is doing is read from its trace events (login-prompt, password-prompt,
 * shell-prompt, command-done; src/guest README), everything in virtual time.
 */
export class Operator {
  private seen = 0;
  private readonly commands: CommandResult[] = [];
  readonly vm: SystemVm;

  constructor(
    readonly system: BuiltSystem,
    readonly o: OperatorOptions,
  ) {
    if (!system.vms.length) throw new Error(`app '${system.app.name}' has no VM to log in to`);
    this.vm = system.vms[0];
  }

  /** Boots, logs in, runs every command; stops at the first outcome other than a finished command. */
  run(): RunOutcome {
    const login = this.login();
    if (login) return login;
    for (const cmd of this.o.commands) {
      const r = this.exec(cmd);
      if (r.kind !== 'completed') return r;
    }
    return { kind: 'completed', commands: this.commands };
  }

  /** Commands run so far with their statuses. */
  get results(): readonly CommandResult[] {
    return this.commands;
  }

  private loggedIn = false;

  /** Starts the system and logs in (once); null when the shell prompt came, else how it ended. */
  login(): RunOutcome | null {
    if (this.loggedIn) return null;
    this.system.start();
    let w = this.waitFor((e) => e.op === 'login-prompt');
    if (w.kind !== 'event') return this.end(w, 'the login prompt');
    this.type(`${this.o.user ?? 'root'}\n`);
    w = this.waitFor((e) => e.op === 'password-prompt' || e.op === 'shell-prompt');
    if (w.kind !== 'event') return this.end(w, 'the password or shell prompt');
    if (w.event.op === 'password-prompt') {
      this.type(`${this.o.password ?? 'root'}\n`);
      w = this.waitFor((e) => e.op === 'shell-prompt');
      if (w.kind !== 'event') return this.end(w, 'the shell prompt');
    }
    this.loggedIn = true;
    return null;
  }

  /** Types one command at the prompt and waits for it and the next prompt (logs in first if needed). */
  exec(cmd: string): RunOutcome {
    const login = this.login();
    if (login) return login;
    this.type(`${cmd}\n`);
    const what = `\`${cmd}\` to finish`;
    let w = this.waitFor((e) => e.op === 'command-done');
    if (w.kind !== 'event') return this.end(w, what);
    this.commands.push({ line: cmd, status: Number(w.event.value ?? 0) });
    w = this.waitFor((e) => e.op === 'shell-prompt');
    if (w.kind !== 'event') return this.end(w, 'the shell prompt');
    return { kind: 'completed', commands: this.commands };
  }

  private type(text: string): void {
    this.vm.vmm.input(text);
  }

  private end(w: Exclude<Wait, { kind: 'event' }>, waitingFor: string): RunOutcome {
    const commands = this.commands;
    if (w.kind === 'died') return { kind: 'vm-died', vm: this.vm.name, reason: w.reason, commands };
    if (w.kind === 'stuck' && (w.r.reason === 'deadlock' || w.r.reason === 'finished')) return { kind: 'deadlock', waitingFor, report: deadlockReport(this.system, w.r, waitingFor), commands };
    return { kind: 'timeout', waitingFor, commands };
  }

  private waitFor(pred: (e: TraceEvent) => boolean): Wait {
    const k = this.system.sys.kernel;
    const vm = this.vm.vmm.vm;
    const actorPrefix = `${this.vm.name}:`;
    const deadline = k.now + (this.o.timeoutNs ?? DEFAULT_TIMEOUT);
    let found: TraceEvent | null = null;
    const scan = (): boolean => {
      const t = k.trace;
      const end = t.droppedCount + t.length;
      if (end === this.seen) return false;
      // Called at every kernel step: test the columns, build only the guest's own events.
      const start = Math.max(this.seen, t.droppedCount);
      this.seen = end;
      for (let s = start; s < end; s++) {
        if (t.layerAt(s) !== 'guest-process' || !t.actorAt(s).startsWith(actorPrefix)) continue;
        const e = t.event(s);
        if (pred(e)) {
          this.seen = s + 1;
          found = e;
          return true;
        }
      }
      return false;
    };
    const died = (): Wait | null => {
      const st = vm.state;
      return st.kind === 'dead' ? { kind: 'died', reason: st.reason } : null;
    };
    for (;;) {
      if (scan()) return { kind: 'event', event: found! };
      const d0 = died();
      if (d0) return d0;
      if (k.now > deadline) return { kind: 'timeout' };
      const r = k.run({ until: () => scan() || !vm.alive || k.now > deadline });
      if (found) return { kind: 'event', event: found };
      const d1 = died();
      if (d1) return d1;
      if (r.reason === 'deadlock' || r.reason === 'finished') return { kind: 'stuck', r };
      if (r.reason === 'maxSteps') return { kind: 'timeout' };
    }
  }
}

/**
 * The kernel's report (every thread and what it waits on: components, interface threads, VMM
 * threads) plus the guest processes still alive inside the VM (started, not exited).
 */
export function deadlockReport(s: BuiltSystem, r: RunResult, waitingFor: string): string {
  // Keyed by `vm0:pid N`: an exec keeps the pid and changes the name (getty → login → sh).
  const live = new Map<string, { actor: string; what: string; pid: number }>();
  for (const e of s.sys.kernel.trace.all()) {
    if (e.layer !== 'guest-process') continue;
    const m = /^(.*:pid (\d+))/.exec(e.actor);
    if (!m) continue;
    if (e.op === 'exec') live.set(m[1], { actor: e.actor, pid: Number(m[2]), what: `${e.object}${e.value !== undefined ? ` (${e.value})` : ''}` });
    else if (e.op === 'exit') live.delete(m[1]);
  }
  const guest = [...live.values()].sort((a, b) => a.pid - b.pid).map((p) => `  guest process "${p.actor}" has not exited: ${p.what}`);
  return `while waiting for ${waitingFor}:\n` + renderRunReport(r) + (guest.length ? guest.join('\n') + '\n' : '');
}
