import { KernelUsageError } from '../api/errors';
import { AllRights } from '../api/types';
import type { Arch, ArchConfig } from '../machine/arch';
import { Machine } from '../machine/machine';
import { Cap, CNode, insertCap } from '../model/cspace';
import { IOPortControl } from '../object/ioport';
import { IRQControl, IRQTable } from '../object/irq';
import type { Notification } from '../object/notification';
import { TCB } from '../object/tcb';
import { Untyped } from '../object/untyped';
import type { VCPU } from '../object/vcpu';
import type { VSpace } from '../object/vspace';
import type { Trace } from '../trace';
import { KernelCore, StepLimit } from './core';
import { Invoker, configureSchedContext } from './invoker';
import { stuck, type RunResult } from './report';
import { Sys } from './sys';
import { SchedContext } from '../object/schedcontext';
import { ObjectAllocator } from '../model/allocator';

/** seL4's initial capability slots in the root task's CNode (seL4_CapInitThreadCNode etc.). */
export const InitCaps = Object.freeze({
  seL4_CapInitThreadTCB: 1,
  seL4_CapInitThreadCNode: 2,
  seL4_CapIRQControl: 4,
  seL4_CapIOPortControl: 7,
  /** First slot after the fixed ones; boot untypeds start here. */
  firstFree: 16,
});

export interface UntypedSpec {
  readonly sizeBits: number;
  readonly count: number;
  /** Physical address of the first; the rest follow contiguously. */
  readonly paddr?: number;
  readonly device?: boolean;
}

export interface KernelOptions {
  readonly arch: Arch;
  /** Seed for the choices seL4 leaves open (which core runs first at one instant). */
  readonly seed?: number;
  readonly cores?: number;
  /** Radix of the root CNode (default 12: 4096 slots). */
  readonly rootCNodeBits?: number;
  /** Boot untypeds handed to the root task; default 8 x 512 MiB of RAM from 0x4000_0000. */
  readonly untyped?: readonly UntypedSpec[];
  readonly traceLimit?: number;
}

export interface BootUntyped {
  readonly cptr: number;
  readonly sizeBits: number;
  readonly paddr: number;
  readonly device: boolean;
}

export interface SpawnOptions {
  readonly name: string;
  readonly priority: number;
  /** Root CNode of the thread's CSpace (default: the root task's CNode). */
  readonly cspace?: CNode;
  readonly vspace?: VSpace;
  readonly core?: number;
  /** CPtr of the fault handler endpoint in the thread's CSpace. */
  readonly faultHandler?: number;
  readonly boundNotification?: Notification;
  readonly vcpu?: VCPU;
  /** MCS: run on a scheduling context with this budget per period (ns). */
  readonly sched?: { readonly budget: number; readonly period: number };
  /** Run on a TCB object retyped from untyped instead of a fresh one. */
  readonly tcb?: TCB;
}

/** A thread body: a generator function (it blocks with `yield*`), or a plain function that never blocks. */
export type ThreadBody = (sys: Sys) => Generator<unknown, unknown, unknown> | void;

export interface RunOptions {
  /** Stop when this returns true (checked before every step), or at this virtual time (ns). */
  readonly until?: (() => boolean) | number;
  /** Livelock guard: at most this many steps (kernel entries and resumptions) this run. */
  readonly maxSteps?: number;
}

const DEFAULT_MAX_STEPS = 50_000_000;

/**
 * The simulated seL4 kernel: objects, capabilities, a deterministic scheduler over N cores and
 * a virtual clock. See src/sel4/README.md for the programming model.
 */
export class Kernel {
  readonly core: KernelCore;
  readonly machine: Machine;
  /** The root task's invocations (capability-addressed, non-blocking). */
  readonly root: Invoker;
  readonly rootCNode: CNode;
  readonly untyped: readonly BootUntyped[];
  private readonly irqs: IRQTable;

  constructor(opts: KernelOptions) {
    const cores = opts.cores ?? 1;
    if (!Number.isInteger(cores) || cores < 1) throw new KernelUsageError(`cores must be a positive integer, got ${cores}`);
    const k = (this.core = new KernelCore(opts.arch, opts.seed ?? 1, cores, opts.traceLimit));
    this.irqs = new IRQTable(k);
    this.machine = new Machine(k, this.irqs);
    const cn = (this.rootCNode = k.objects.add(new CNode(k.objects.newId(), 'root cnode', opts.rootCNodeBits ?? 12)));
    const rootTcb = k.objects.add(new TCB(k.objects.newId(), 'rootserver', k, cn));
    const put = (i: number, o: CNode | TCB | IRQControl | IOPortControl | Untyped) => insertCap(cn.slot(i)!, new Cap(o, AllRights, 0, true), null);
    put(InitCaps.seL4_CapInitThreadTCB, rootTcb);
    put(InitCaps.seL4_CapInitThreadCNode, cn);
    put(InitCaps.seL4_CapIRQControl, k.objects.add(new IRQControl(k.objects.newId(), 'irq control')));
    if (k.cfg.ioPorts) put(InitCaps.seL4_CapIOPortControl, k.objects.add(new IOPortControl(k.objects.newId(), 'ioport control')));
    const uts: BootUntyped[] = [];
    let slot = InitCaps.firstFree;
    for (const spec of opts.untyped ?? [{ sizeBits: 29, count: 8, paddr: 0x4000_0000 }]) {
      let paddr = spec.paddr ?? 0x4000_0000;
      for (let i = 0; i < spec.count; i++, slot++) {
        const ut = k.objects.add(new Untyped(k.objects.newId(), `untyped ${uts.length} @0x${paddr.toString(16)}`, spec.sizeBits, paddr, spec.device ?? false));
        put(slot, ut);
        uts.push({ cptr: slot, sizeBits: spec.sizeBits, paddr, device: spec.device ?? false });
        paddr += 2 ** spec.sizeBits;
      }
    }
    this.untyped = uts;
    this.root = new Invoker({ k, irqs: this.irqs, machine: this.machine }, rootTcb);
  }

  get arch(): Arch {
    return this.core.cfg.arch;
  }
  get cfg(): ArchConfig {
    return this.core.cfg;
  }
  get trace(): Trace {
    return this.core.trace;
  }
  /** Virtual time, ns. */
  get now(): number {
    return this.core.time;
  }
  /** Lines the kernel printed (debug-kernel messages such as a fault with no handler). */
  get log(): readonly string[] {
    return this.core.log;
  }
  get threads(): readonly TCB[] {
    return this.core.threads;
  }
  /** First free slot of the root CNode after the boot untypeds. */
  get firstFreeSlot(): number {
    return InitCaps.firstFree + this.untyped.length;
  }

  /** An allocator over the boot untypeds, filling the root CNode from `firstFreeSlot`. */
  allocator(): ObjectAllocator {
    return new ObjectAllocator(this.root, this.untyped.filter((u) => !u.device).map((u) => u.cptr), this.firstFreeSlot);
  }

  thread(name: string): TCB | undefined {
    return this.core.threads.find((t) => t.name === name);
  }

  /** Creates (or takes the given) TCB, configures it and makes it runnable with `body`. */
  spawn(opts: SpawnOptions, body: ThreadBody): TCB {
    const k = this.core;
    const core = opts.core ?? 0;
    if (!Number.isInteger(core) || core < 0 || core >= k.cores.length) throw new KernelUsageError(`thread "${opts.name}": core ${core} does not exist (cores: ${k.cores.length})`);
    if (!Number.isInteger(opts.priority) || opts.priority < 0 || opts.priority > 255) throw new KernelUsageError(`thread "${opts.name}": priority ${opts.priority} is outside 0..255`);
    let t = opts.tcb;
    if (t) {
      if (t.gen) throw new KernelUsageError(`thread "${t.name}" is already running a body`);
    } else {
      t = k.objects.add(new TCB(k.objects.newId(), opts.name, k, opts.cspace ?? this.rootCNode));
      k.threads.push(t);
    }
    if (opts.cspace) t.cspace = opts.cspace;
    else if (t.cspace === k.nullCNode) t.cspace = this.rootCNode;
    t.priority = opts.priority;
    t.core = core;
    if (opts.vspace) t.vspace = opts.vspace;
    if (opts.faultHandler !== undefined) t.faultHandler = opts.faultHandler;
    if (opts.boundNotification) {
      t.boundNotification = opts.boundNotification;
      opts.boundNotification.boundTCB = t;
    }
    if (opts.vcpu) {
      t.vcpu = opts.vcpu;
      opts.vcpu.tcb = t;
    }
    if (opts.sched) configureSchedContext(k, k.objects.add(new SchedContext(k.objects.newId(), `sc ${t.name}`)), t, opts.sched.budget, opts.sched.period);
    const sys = new Sys({ k, irqs: this.irqs, machine: this.machine }, t);
    t.gen = new FirstRun(t, body, sys) as unknown as Generator<unknown, unknown, unknown>;
    t.started = true;
    k.trace.add('kernel', k.actor, 'spawn', t.name, opts.priority, 'seL4_NoError');
    // Spawned threads start in spawn order among equal priorities (appended), unlike a thread
    // woken by IPC, which seL4 puts at the head of its queue.
    t.state = 'Running';
    k.cores[core].enqueue(t, false);
    return t;
  }

  /** Runs `fn` at virtual time `time` (ns) as `actor` (default "machine"); returns a cancel function. */
  at(time: number, fn: () => void, actor = 'machine'): () => void {
    const k = this.core;
    const timer = k.at(time, () => {
      const prev = k.actor;
      const prevId = k.actorId;
      k.actAsNamed(actor);
      try {
        fn();
      } finally {
        k.actor = prev;
        k.actorId = prevId;
      }
    });
    return () => {
      timer.cancelled = true;
    };
  }

  after(ns: number, fn: () => void, actor?: string): () => void {
    return this.at(this.core.time + ns, fn, actor);
  }

  /** Runs threads and timers until every thread exits, `until` holds, nothing can run, or the guard trips. */
  run(opts: RunOptions = {}): RunResult {
    const k = this.core;
    const start = k.steps;
    k.maxSteps = start + (opts.maxSteps ?? DEFAULT_MAX_STEPS);
    const untilFn = typeof opts.until === 'function' ? opts.until : null;
    const untilTime = typeof opts.until === 'number' ? opts.until : Infinity;
    const cores = k.cores;
    const single = cores.length === 1 ? cores[0] : null;
    const done = (reason: RunResult['reason'], threads = this.live()): RunResult => ({ reason, time: k.time, steps: k.steps - start, threads: threads.map(stuck) });
    try {
      for (;;) {
        if (untilFn && untilFn()) return done('until');
        const t = single ? single.pick() : this.pickMulti();
        if (t) {
          this.step(t);
          continue;
        }
        const next = k.timers.peekTime();
        if (next === undefined) {
          const live = this.live();
          return live.length ? done('deadlock', live) : done('finished', []);
        }
        if (next > untilTime) {
          k.time = Math.max(k.time, untilTime);
          return done('until');
        }
        k.time = next;
        while (k.timers.peekTime() === next) k.timers.pop()!.fire();
      }
    } catch (e) {
      if (e instanceof StepLimit) return done('maxSteps');
      throw e;
    } finally {
      k.current = null;
      k.actAsNamed('');
    }
  }

  private pickMulti(): TCB | null {
    const cores = this.core.cores;
    let n = 0;
    let first = -1;
    for (let c = 0; c < cores.length; c++)
      if (cores[c].has()) {
        if (n === 0) first = c;
        n++;
      }
    if (n === 0) return null;
    if (n === 1) return cores[first].pick();
    // Several cores could run now; the order between them is open, so the seeded PRNG picks.
    let i = this.core.prng.below(n);
    for (let c = 0; c < cores.length; c++) if (cores[c].has() && i-- === 0) return cores[c].pick();
    return null;
  }

  private step(t: TCB): void {
    const k = this.core;
    k.tick();
    k.current = t;
    k.actAs(t);
    const v = t.resume;
    t.resume = undefined;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = t.gen!.next(v);
    } catch (e) {
      if (e instanceof StepLimit) {
        // The thread was stopped mid-call; it stays runnable so the report lists it.
        if (t.state === 'Running' && !t.queue) k.cores[t.core].enqueue(t, true);
        throw e;
      }
      // A JS error in a body is a bug in the model above the kernel, not a modelled outcome.
      throw e;
    }
    if (r.done) {
      k.cancelBlocking(t);
      t.state = 'Exited';
      k.record('thread_exit', t.name, undefined, 'seL4_NoError');
    } else if (t.state === 'Running' && !t.queue) {
      k.cores[t.core].enqueue(t, false);
    }
  }

  /** Threads that have a body and have not exited. */
  private live(): TCB[] {
    return this.core.threads.filter((t) => t.gen && t.state !== 'Exited');
  }
}

/**
 * A thread's body before its first run. The body is called then, not at spawn, so a plain-function
 * body runs in scheduling order too; a generator body then becomes the thread's `gen` itself, so
 * resuming the thread later goes straight to it, with no forwarding generator in between.
 */
class FirstRun {
  constructor(
    private readonly t: TCB,
    private readonly body: ThreadBody,
    private readonly sys: Sys,
  ) {}

  next(): IteratorResult<unknown, unknown> {
    const g = this.body(this.sys);
    if (g && typeof g.next === 'function') {
      this.t.gen = g;
      return g.next();
    }
    return { done: true, value: undefined };
  }

  return(value: unknown): IteratorResult<unknown, unknown> {
    return { done: true, value };
  }

  throw(e: unknown): never {
    throw e;
  }

  [Symbol.iterator](): this {
    return this;
  }
}
