import { renderRunReport, type RunResult, type TraceEvent } from '../sel4';
import type { BuiltSystem, SystemVm } from './build';
import { ConsoleWatch, consoleLostCause, serialInputOf } from './console-watch';

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
  | { readonly kind: 'timeout'; readonly waitingFor: string; readonly commands: readonly CommandResult[] }
  /**
   * The guest reached a prompt (its trace says so) but the prompt never appeared on the serial
   * output: what the guest prints goes nowhere a person could see it. `cause` says why.
   */
  | { readonly kind: 'console-lost'; readonly vm: string; readonly waitingFor: string; readonly cause: string; readonly commands: readonly CommandResult[] };

export interface OperatorOptions {
  readonly commands: readonly string[];
  /** Virtual time the operator waits for each prompt (ns); default 600 s. */
  readonly timeoutNs?: number;
  readonly user?: string;
  /** What to type at `Password:` (the buildroot rootfs accepts `root`, seeds 001/002). */
  readonly password?: string;
  /** The VM whose console to drive (default the first: serial input goes to vm0 by default). */
  readonly vm?: string;
}

/**
 * What each prompt looks like on the serial output: getty's `<hostname> login: `, login's
 * `Password: `, and buildroot root's PS1 `# `.
 */
export const PROMPT_TEXT = { 'login-prompt': 'login: ', 'password-prompt': 'Password: ', 'shell-prompt': '# ' } as const;
type Prompt = keyof typeof PROMPT_TEXT;

/** Virtual time the operator waits for each prompt unless told otherwise (`vmconf run --timeout`). */
export const DEFAULT_TIMEOUT_NS = 600e9;

type Wait = { kind: 'event'; event: TraceEvent } | { kind: 'died'; reason: string } | { kind: 'stuck'; r: RunResult } | { kind: 'timeout' };
type Ended = Exclude<Wait, { kind: 'event' }>;

/**
 * Drives a VM's serial console like a person: waits for `buildroot login: `, types the user,
 * answers `Password:`, then at each `# ` prompt types one command and waits for it to finish. A
 * prompt counts only once its text is on the serial output under the guest's name (what a person
 * sees); the guest's trace events (login-prompt, password-prompt, shell-prompt, command-done;
 * src/guest README) say when the guest is waiting and give each command's exit status. A prompt
 * the trace shows but the serial output never does ends the session as `console-lost`, with the
 * wiring that lost it. Typing for a VM whose console a SerialServer multiplexes goes through the
 * server's input switch, selecting the VM with `@N` first when input goes elsewhere.
 */
export class Operator {
  private seen = 0;
  private readonly commands: CommandResult[] = [];
  readonly vm: SystemVm;
  private readonly watch: ConsoleWatch;
  /** Position in the guest's serial text after which the next prompt must appear. */
  private cursor = 0;

  constructor(
    readonly system: BuiltSystem,
    readonly o: OperatorOptions,
  ) {
    if (!system.vms.length) throw new Error(`app '${system.app.name}' has no VM to log in to`);
    const vm = o.vm === undefined ? system.vms[0] : system.vms.find((v) => v.name === o.vm);
    if (!vm) throw new Error(`app '${system.app.name}' has no VM '${o.vm}' (VMs: ${system.vms.map((v) => v.name).join(', ')})`);
    this.vm = vm;
    this.watch = ConsoleWatch.of(system.sys.serial);
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
    let w = this.prompt(['login-prompt'], 'the login prompt');
    if (w) return w;
    this.type(`${this.o.user ?? 'root'}\n`);
    w = this.prompt(['password-prompt', 'shell-prompt'], 'the password or shell prompt');
    if (w) return w;
    if (this.last === 'password-prompt') {
      this.type(`${this.o.password ?? 'root'}\n`);
      w = this.prompt(['shell-prompt'], 'the shell prompt');
      if (w) return w;
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
    const w = this.waitFor(['command-done']);
    if (w.kind !== 'event') return this.end(w, what);
    this.commands.push({ line: cmd, status: Number(w.event.value ?? 0) });
    return this.prompt(['shell-prompt'], 'the shell prompt') ?? { kind: 'completed', commands: this.commands };
  }

  /** The prompt the guest last showed. */
  private last: Prompt | null = null;

  /**
   * Waits until the guest is at one of `prompts` (its trace) and that prompt's text has reached
   * the serial output after what was there when the operator last typed; null when it has.
   */
  private prompt(prompts: readonly Prompt[], waitingFor: string): RunOutcome | null {
    const w = this.waitFor(prompts);
    if (w.kind !== 'event') return this.end(w, waitingFor);
    const p = w.event.op as Prompt;
    const source = this.vm.name;
    const shown = () => this.watch.find(source, PROMPT_TEXT[p], this.cursor);
    const t = this.runUntil(() => shown() >= 0);
    if (shown() < 0) {
      if (t.kind === 'died') return this.end(t, waitingFor);
      return { kind: 'console-lost', vm: source, waitingFor: `"${PROMPT_TEXT[p]}" (${waitingFor})`, cause: consoleLostCause(this.system, this.vm), commands: this.commands };
    }
    this.last = p;
    return null;
  }

  /**
   * Types at the serial console. A console behind a SerialServer is reached through its input
   * switch: `@N` first when input currently goes to another client (platforms.md 3.3; the
   * operator types whole lines, so the escape always comes at the start of a line).
   */
  private type(text: string): void {
    this.cursor = this.watch.written(this.vm.name);
    const mux = serialInputOf(this.system, this.vm.name);
    const select = mux && mux.model.input.active !== mux.client ? `@${String.fromCharCode(48 + mux.client)}` : '';
    this.vm.vmm.input(select + text);
  }

  private end(w: Ended, waitingFor: string): RunOutcome {
    const commands = this.commands;
    if (w.kind === 'died') return { kind: 'vm-died', vm: this.vm.name, reason: w.reason, commands };
    if (w.kind === 'stuck' && (w.r.reason === 'deadlock' || w.r.reason === 'finished')) return { kind: 'deadlock', waitingFor, report: deadlockReport(this.system, w.r, waitingFor), commands };
    return { kind: 'timeout', waitingFor, commands };
  }

  /** Runs until the guest's processes record one of `ops` (after what was seen before). */
  private waitFor(ops: readonly string[]): Wait {
    const k = this.system.sys.kernel;
    const actorPrefix = `${this.vm.name}:`;
    let found: TraceEvent | null = null;
    const guestProcess = k.trace.intern('guest-process');
    const scan = (): boolean => {
      const t = k.trace;
      const end = t.droppedCount + t.length;
      if (end === this.seen) return false;
      // Called at every kernel step: test the columns, build only the guest's own events.
      const start = Math.max(this.seen, t.droppedCount);
      this.seen = end;
      for (let s = t.nextInLayer(start, end, guestProcess); s >= 0; s = t.nextInLayer(s + 1, end, guestProcess)) {
        if (!ops.includes(t.opAt(s)) || !t.actorAt(s).startsWith(actorPrefix)) continue;
        this.seen = s + 1;
        found = t.event(s);
        return true;
      }
      return false;
    };
    // `found` stays set once scan() has consumed the event, so asking again stays true.
    const r = this.runUntil(() => found !== null || scan());
    if (found) return { kind: 'event', event: found };
    return r.kind === 'done' ? { kind: 'timeout' } : r;
  }

  /** Runs the system until `done()`, the VM dies, nothing can run, or the patience runs out. */
  private runUntil(done: () => boolean): Ended | { kind: 'done' } {
    const k = this.system.sys.kernel;
    const vm = this.vm.vmm.vm;
    const deadline = k.now + (this.o.timeoutNs ?? DEFAULT_TIMEOUT_NS);
    const died = (): Ended | null => {
      const st = vm.state;
      return st.kind === 'dead' ? { kind: 'died', reason: st.reason } : null;
    };
    for (;;) {
      if (done()) return { kind: 'done' };
      const d0 = died();
      if (d0) return d0;
      if (k.now > deadline) return { kind: 'timeout' };
      const r = k.run({ until: () => done() || !vm.alive || k.now > deadline });
      if (done()) return { kind: 'done' };
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
