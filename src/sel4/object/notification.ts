import type { Cap } from '../model/cspace';
import { KObject } from '../model/objects';
import { BLOCKED, RESTART, type KernelCore } from '../kernel/core';
import { TcbQueue } from '../kernel/queue';
import type { TCB } from './tcb';
import { completeBoundSignal } from './endpoint';

export type NtfnState = 'Idle' | 'Waiting' | 'Active';

/**
 * seL4 notification (src/object/notification.c): a word of badge bits and a FIFO of waiters.
 * The state is derived (Active: word pending; Waiting: queue non-empty; else Idle), as in seL4
 * the two cannot hold at once.
 */
export class Notification extends KObject {
  readonly type = 'Notification';
  active = false;
  word = 0;
  readonly waiters = new TcbQueue<TCB>();
  boundTCB: TCB | null = null;

  constructor(
    id: number,
    name: string,
    private readonly k: KernelCore,
  ) {
    super(id, name);
  }

  get state(): NtfnState {
    return this.active ? 'Active' : this.waiters.length ? 'Waiting' : 'Idle';
  }

  /** seL4 cancelAllSignals: deleting the object restarts its waiters, whose calls then fault. */
  override finalise(): void {
    for (let t = this.waiters.pop(); t; t = this.waiters.pop()) this.k.wake(t, RESTART);
    if (this.boundTCB) this.boundTCB.boundNotification = null;
    this.boundTCB = null;
  }
}

/** seL4 sendSignal. `badge` is the badge of the capability used. */
export function sendSignal(k: KernelCore, n: Notification, badge: number): void {
  const w = n.waiters.head;
  if (w) {
    n.waiters.remove(w);
    k.wake(w, badge);
    k.recordIds(k.ids.signal, n, badge, k.wokeId(w), w);
    return;
  }
  if (n.active) {
    n.word = (n.word | badge) >>> 0;
    k.recordIds(k.ids.signal, n, badge, k.ids.noError, null);
    return;
  }
  const b = n.boundTCB;
  if (b && b.state === 'BlockedOnReceive') {
    // A bound TCB blocked in Recv on an endpoint takes the signal instead of the object.
    k.cancelBlocking(b);
    k.wake(b, completeBoundSignal(badge));
    k.recordIds(k.ids.signal, n, badge, k.wokeId(b), b);
    return;
  }
  n.active = true;
  n.word = badge >>> 0;
  k.recordIds(k.ids.signal, n, badge, k.ids.noError, null);
}

/**
 * seL4 receiveSignal: returns the word when Active, blocks (or for a poll returns 0) otherwise.
 */
export function receiveSignal(k: KernelCore, t: TCB, n: Notification, blocking: boolean): number | typeof BLOCKED {
  const op = blocking ? k.ids.wait : k.ids.poll;
  if (n.active) {
    const word = n.word;
    n.active = false;
    n.word = 0;
    k.recordIds(op, n, word, k.ids.noError, null);
    return word;
  }
  if (!blocking) {
    k.recordIds(op, n, 0, k.ids.noError, null);
    return 0;
  }
  k.block(t, 'BlockedOnNotification', n, 'seL4_Wait');
  n.waiters.append(t);
  k.recordIds(op, n, undefined, k.ids.blocked, null);
  return BLOCKED;
}

export function signalCap(k: KernelCore, cap: Cap): void {
  sendSignal(k, cap.object as Notification, cap.badge);
}
