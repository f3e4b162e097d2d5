import type { Trace } from '../../sel4';
import { ECHILD } from './errno';
import { WaitQueue, type GuestKernel, type GuestStep } from './kernel';
import { Libc } from './libc';
import type { GuestSystem } from './system';
import type { OpenFile, Vma } from './vfs';

/** Thrown inside a process to end it: `exit(code)` or death by a signal. */
export class ProcessExit {
  constructor(readonly code: number, readonly signal = 0) {}
}

/** The shell's view of a wait status: the exit code, or 128 + the signal. */
export function shellStatus(s: { code: number; signal: number }): number {
  return s.signal ? 128 + s.signal : s.code & 0xff;
}

export type ProcState = 'runnable' | 'running' | 'sleeping' | 'zombie';

export class Process {
  state: ProcState = 'runnable';
  gen: GuestStep<number> | null = null;
  resumeValue: unknown = undefined;
  fds: (OpenFile | null)[] = [];
  cwd = '/';
  env = new Map<string, string>();
  readonly children = new Set<Process>();
  /** The parent sleeps here in waitpid; a child's exit wakes it. */
  readonly childExit: WaitQueue;
  exit: { code: number; signal: number } | null = null;
  mappings: Vma[] = [];
  nextMmap: number;
  readonly libc: Libc;

  constructor(
    readonly sys: GuestSystem,
    readonly pid: number,
    public comm: string,
    public parent: Process | null,
  ) {
    this.childExit = new WaitQueue(sys.k);
    this.nextMmap = sys.k.machine.wordBits === 64 ? 0x7f0000000000 : 0xb7f00000;
    this.libc = new Libc(this);
  }

  get k(): GuestKernel {
    return this.sys.k;
  }

  private actorComm: string | null = null;
  private actorName = '';

  /** `<vm>:pid N comm`, the actor of this process's trace events (rebuilt when exec renames it). */
  traceActor(): string {
    if (this.actorComm !== this.comm) {
      this.actorComm = this.comm;
      this.actorName = `${this.k.machine.name}:pid ${this.pid} ${this.comm}`;
    }
    return this.actorName;
  }

  private actorIdName = '';
  private actorId = -1;
  private actorIdEpoch = -1;

  /** `traceActor()` as an id for `Trace.addIds`, taken again when it is renamed or the ids renumbered. */
  traceActorId(t: Trace): number {
    const a = this.traceActor();
    if (this.actorIdName !== a || this.actorIdEpoch !== t.epoch) {
      this.actorIdName = a;
      this.actorId = t.idOf(a);
      this.actorIdEpoch = t.epoch;
    }
    return this.actorId;
  }

  /** Called by the scheduler when the body returns (a wait status from `runBody`). */
  finished(_v: number): void {
    const st = this.exit ?? { code: 0, signal: 0 };
    for (let fd = 0; fd < this.fds.length; fd++) closeFile(this.fds[fd]);
    this.fds = [];
    this.mappings = [];
    this.state = 'zombie';
    this.gen = null;
    const status = shellStatus(st);
    this.k.trace?.add('guest-process', this.traceActor(), 'exit', '', status, st.signal ? `signal ${st.signal}` : undefined);
    this.sys.notify({ kind: 'exit', pid: this.pid, comm: this.comm, status });
    if (this.parent) this.parent.childExit.wakeUp();
    else this.k.processes.delete(this.pid);
  }
}

export function closeFile(f: OpenFile | null | undefined): void {
  if (!f) return;
  if (--f.refs === 0) f.ops.release?.(f);
}

let nextPid = 1;
/** PIDs 2..49 belong to kernel threads the model does not run (cosmetic, UNCONFIRMED count). */
const FIRST_USER_PID_AFTER_INIT = 50;

/** Resets pid numbering (a new guest starts from 1). */
export function resetPids(): void {
  nextPid = 1;
}

/**
 * Starts a process running `body`, with a copy of the given descriptors (fork + exec in one
 * step: the model has no address space to copy). The child is runnable at once.
 */
export function spawnProcess(sys: GuestSystem, parent: Process | null, comm: string, fds: readonly (OpenFile | null)[], body: (p: Process) => GuestStep<number>, env?: Map<string, string>, cwd?: string): Process {
  const pid = nextPid++;
  if (nextPid === 2) nextPid = FIRST_USER_PID_AFTER_INIT;
  const p = new Process(sys, pid, comm, parent);
  p.fds = fds.map((f) => {
    if (f) f.refs++;
    return f;
  });
  if (env) p.env = new Map(env);
  if (cwd) p.cwd = cwd;
  parent?.children.add(p);
  sys.k.processes.set(pid, p);
  p.gen = runBody(p, body);
  sys.k.enqueue(p);
  return p;
}

function* runBody(p: Process, body: (p: Process) => GuestStep<number>): GuestStep<number> {
  try {
    const code = yield* body(p);
    yield* p.libc.flushAll();
    p.exit = { code, signal: 0 };
  } catch (e) {
    if (!(e instanceof ProcessExit)) throw e;
    if (!e.signal) {
      try {
        yield* p.libc.flushAll();
      } catch (e2) {
        if (!(e2 instanceof ProcessExit)) throw e2;
      }
    }
    p.exit = { code: e.code, signal: e.signal };
  }
  return p.exit.signal ? p.exit.signal : p.exit.code << 8;
}

/** waitpid(pid or -1): the reaped child and its status; ECHILD when there is none. */
export function* waitChild(p: Process, pid: number): GuestStep<{ pid: number; status: { code: number; signal: number } } | number> {
  for (;;) {
    const kids = [...p.children].filter((c) => pid === -1 || c.pid === pid);
    if (!kids.length) return -ECHILD;
    const done = kids.find((c) => c.state === 'zombie');
    if (done) {
      p.children.delete(done);
      p.k.processes.delete(done.pid);
      return { pid: done.pid, status: done.exit! };
    }
    yield* p.k.sleepOn([p.childExit], null);
  }
}
