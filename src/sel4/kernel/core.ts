import type { CPtr } from '../api/types';
import { archConfig, type Arch, type ArchConfig } from '../machine/arch';
import { Cap, CNode } from '../model/cspace';
import { ObjectStore } from '../model/objects';
import type { TCB, ThreadState } from '../object/tcb';
import { Trace, TRACE_ABSENT } from '../trace';
import { Prng } from './prng';
import { CoreQueues } from './scheduler';
import { TimerQueue } from './timers';
import type { KObject } from '../model/objects';

/** Handed to a blocked thread when its system call must be re-executed (seL4's Restart state). */
export const RESTART: unique symbol = Symbol('restart');
/** Returned by a kernel operation that blocked the calling thread. */
export const BLOCKED: unique symbol = Symbol('blocked');

/**
 * Kernel state shared by the object modules: the clock, the trace, the ready queues and the
 * primitives that block and wake threads. The public facade is `Kernel` (kernel.ts); object
 * modules take this core so that they never depend on the facade.
 */
export class KernelCore {
  readonly cfg: ArchConfig;
  readonly trace: Trace;
  readonly objects = new ObjectStore();
  readonly prng: Prng;
  readonly timers = new TimerQueue();
  readonly cores: CoreQueues[] = [];
  readonly threads: TCB[] = [];
  /** Lines the kernel printed on its serial console (debug kernel `printf`). */
  readonly log: string[] = [];
  time = 0;
  steps = 0;
  maxSteps = Infinity;
  current: TCB | null = null;
  /** Who the trace names as acting: the running thread, or what a timer callback was set for. */
  actor = '';
  /** `actor`'s lasting trace id when the actor is a thread (its `traceId`), else -1. */
  actorId = -1;
  /** The empty CSpace of a thread not yet given one (every lookup in it fails). */
  readonly nullCNode = new CNode(-1, 'null cnode', 0);

  constructor(arch: Arch, seed: number, numCores: number, traceLimit?: number) {
    this.cfg = archConfig(arch);
    this.prng = new Prng(seed);
    this.trace = new Trace(() => this.time, traceLimit);
    for (let c = 0; c < numCores; c++) this.cores.push(new CoreQueues(c));
    const tr = this.trace;
    this.ids = { kernel: tr.intern('kernel'), signal: tr.intern('seL4_Signal'), wait: tr.intern('seL4_Wait'), poll: tr.intern('seL4_Poll'), noError: tr.intern('seL4_NoError'), blocked: tr.intern('blocked') };
  }

  /** Lasting trace ids of the strings the notification hot path records. */
  readonly ids: { readonly kernel: number; readonly signal: number; readonly wait: number; readonly poll: number; readonly noError: number; readonly blocked: number };

  /** `record` for the hot paths: op and result are ids from `trace.intern`, `TRACE_ABSENT` for none. */
  recordIds(op: number, object: KObject, value: number | undefined, result: number, peer: TCB | null): void {
    const t = this.trace;
    const objectId = object.traceId >= 0 ? object.traceId : (object.traceId = t.intern(object.name));
    const peerId = peer === null ? TRACE_ABSENT : peer.traceId >= 0 ? peer.traceId : (peer.traceId = t.intern(peer.name));
    t.addIds(this.ids.kernel, this.actorId >= 0 ? this.actorId : this.actor, op, objectId, value, result, peerId);
  }

  /** Names thread `t` as the actor of what follows. */
  actAs(t: TCB): void {
    this.actor = t.name;
    this.actorId = t.traceId >= 0 ? t.traceId : (t.traceId = this.trace.intern(t.name));
  }

  /** Names something that is not a thread (a timer callback's owner, or nobody) as the actor. */
  actAsNamed(name: string): void {
    this.actor = name;
    this.actorId = -1;
  }

  /** The trace id of "woke <t>". */
  wokeId(t: TCB): number {
    return t.wokeId >= 0 ? t.wokeId : (t.wokeId = this.trace.intern(t.woke));
  }

  record(op: string, object: string, value?: number | string, result?: string, peer?: string): void {
    this.trace.add('kernel', this.actor, op, object, value, result, peer);
  }

  printf(line: string): void {
    this.log.push(line);
    this.trace.add('kernel', this.actor, 'printf', '', line);
  }

  /** Makes a blocked or new thread runnable; the value is what its pending `yield` returns. */
  wake(t: TCB, value: unknown): void {
    if (t.timer) {
      t.timer.cancelled = true;
      t.timer = null;
    }
    t.state = 'Running';
    t.resume = value;
    t.blockedOn = null;
    t.pending = null;
    // seL4 possibleSwitchTo/tcbSchedEnqueue: a woken thread goes to the head of its priority.
    this.cores[t.core].enqueue(t, true);
  }

  block(t: TCB, state: ThreadState, on: KObject | null, op: string): void {
    t.state = state;
    t.blockedOn = on;
    t.blockedOp = op;
    t.blockedSince = this.time;
  }

  /** Takes a thread out of whatever it waits in (seL4 cancelIPC plus the model's timers). */
  cancelBlocking(t: TCB): void {
    if (t.timer) {
      t.timer.cancelled = true;
      t.timer = null;
    }
    if (t.queue) {
      if (t.state === 'Running') this.cores[t.core].remove(t);
      else t.queue.remove(t);
    }
    if (t.replier) {
      t.replier.replyTo = null;
      t.replier = null;
    }
    if (t.state === 'Computing' && this.cores[t.core].busy === t) this.cores[t.core].busy = null;
    t.pending = null;
    t.blockedOn = null;
  }

  /** seL4_TCB_Suspend: the thread stops wherever it is; a later Resume restarts its call. */
  suspend(t: TCB): void {
    if (t.state === 'Exited' || t.state === 'Inactive') return;
    this.cancelBlocking(t);
    t.state = 'Inactive';
    t.blockedSince = this.time;
  }

  /** The capability at `cptr` in `cspace` (single-level CSpace: the CPtr is the slot index). */
  lookup(cspace: CNode, cptr: CPtr): Cap | null {
    return cspace.capAt(cptr);
  }

  at(time: number, fn: () => void) {
    return this.timers.add(Math.max(time, this.time), fn);
  }

  /** Charges one kernel entry against the livelock guard. */
  tick(): void {
    if (++this.steps > this.maxSteps) throw new StepLimit();
  }
}

/** Unwinds a thread that keeps calling the kernel without ever blocking past `maxSteps`. */
export class StepLimit extends Error {
  constructor() {
    super('step limit reached');
  }
}
