import type { Fault, Message } from '../api/types';
import type { KernelCore } from '../kernel/core';
import type { Queued, TcbQueue } from '../kernel/queue';
import type { Timer } from '../kernel/timers';
import type { CNode } from '../model/cspace';
import { KObject } from '../model/objects';
import type { Notification } from './notification';
import type { SchedContext } from './schedcontext';
import type { VCPU } from './vcpu';
import type { VSpace } from './vspace';

/**
 * seL4 thread states, plus the model's own waiting states for virtual time (Sleeping,
 * Computing, WaitingForBudget), for a VCPU thread idling in WFI (WaitingForInterrupt) and for a
 * body that returned (Exited). "Running" means runnable: ready or on a core.
 */
export type ThreadState =
  | 'Running'
  | 'Inactive'
  | 'BlockedOnReceive'
  | 'BlockedOnSend'
  | 'BlockedOnReply'
  | 'BlockedOnNotification'
  | 'Sleeping'
  | 'Computing'
  | 'WaitingForBudget'
  | 'WaitingForInterrupt'
  | 'Exited';

/** What a thread blocked in Send/Call (or a fault) will transfer when a receiver arrives. */
export interface PendingSend {
  readonly badge: number;
  readonly msg: Message;
  readonly isCall: boolean;
  readonly canGrant: boolean;
  readonly canGrantReply: boolean;
  readonly fault?: Fault;
}

export type ThreadBody = (sys: never) => Generator<unknown, unknown, unknown>;

export class TCB extends KObject implements Queued {
  readonly type = 'TCB';
  qNext: Queued | null = null;
  qPrev: Queued | null = null;
  queue: TcbQueue<Queued> | null = null;

  state: ThreadState = 'Inactive';
  priority = 0;
  /** The core this thread runs on (seL4_TCB_SetAffinity). */
  core = 0;
  gen: Generator<unknown, unknown, unknown> | null = null;
  /** The value the next resumption hands to the thread's pending `yield`. */
  resume: unknown = undefined;
  started = false;

  blockedOn: KObject | null = null;
  blockedOp = '';
  blockedSince = 0;
  pending: PendingSend | null = null;
  /** The caller this thread may reply to (seL4's reply cap in the TCB's caller slot). */
  replyTo: TCB | null = null;
  /** The thread holding this one's reply cap while it waits in BlockedOnReply. */
  replier: TCB | null = null;
  /** Fault handler endpoint, a CPtr in the thread's own CSpace (non-MCS lookup at fault time). */
  faultHandler: number | null = null;
  fault: Fault | null = null;
  boundNotification: Notification | null = null;
  vspace: VSpace | null = null;
  vcpu: VCPU | null = null;
  sc: SchedContext | null = null;
  timer: Timer | null = null;
  /** seL4_SetCapReceivePath: where a transferred cap lands. */
  receivePath: { cnode: CNode; index: number } | null = null;

  constructor(
    id: number,
    name: string,
    private readonly k: KernelCore,
    public cspace: CNode,
  ) {
    super(id, name);
    this.woke = 'woke ' + name;
  }

  /** "woke <name>", the trace result of waking this thread, built once. */
  readonly woke: string;
  /** `woke`'s lasting trace id, taken on first use; -1 until then. */
  wokeId = -1;

  override finalise(): void {
    this.k.suspend(this);
    if (this.boundNotification) this.boundNotification.boundTCB = null;
    this.boundNotification = null;
    if (this.vcpu) this.vcpu.tcb = null;
    this.vcpu = null;
  }
}
