import { FAULT_LABEL, MSG_MAX_LENGTH, type Fault, type Message, type Received } from '../api/types';
import { BLOCKED, RESTART, type KernelCore } from '../kernel/core';
import { TcbQueue } from '../kernel/queue';
import { Cap, insertCap } from '../model/cspace';
import { KObject } from '../model/objects';
import type { Notification } from './notification';
import type { PendingSend, TCB } from './tcb';

/**
 * seL4 endpoint (src/object/endpoint.c): one FIFO that holds either senders or receivers,
 * never both. Messages carry a label and message registers; the receiver learns the badge of
 * the sender's capability.
 */
export class Endpoint extends KObject {
  readonly type = 'Endpoint';
  readonly queue = new TcbQueue<TCB>();
  /** Which kind of thread the queue holds (seL4 EPState_Send / EPState_Recv). */
  queued: 'Send' | 'Recv' | null = null;

  constructor(
    id: number,
    name: string,
    private readonly k: KernelCore,
  ) {
    super(id, name);
  }

  get state(): 'Idle' | 'Send' | 'Recv' {
    return this.queue.length ? this.queued! : 'Idle';
  }

  /** seL4 cancelAllIPC: queued threads restart their call, which then finds no capability. */
  override finalise(): void {
    for (let t = this.queue.pop(); t; t = this.queue.pop()) this.k.wake(t, RESTART);
  }
}

const NO_MRS: readonly number[] = Object.freeze([]);

export function completeBoundSignal(badge: number): Received {
  return { badge, label: 0, mrs: NO_MRS, extraCaps: 0 };
}

export function faultMessage(f: Fault): Message {
  switch (f.type) {
    case 'seL4_Fault_VMFault':
      // seL4 VMFault message: IP, Addr, PrefetchFault, FSR. The model has no IP; the FSR-like
      // word is 1 for a write (ARM's WnR bit) and 0 for a read.
      return { label: FAULT_LABEL[f.type], mrs: [0, f.addr, 0, f.kind === 'write' ? 1 : 0] };
    case 'seL4_Fault_CapFault':
      return { label: FAULT_LABEL[f.type], mrs: [0, f.cptr, f.inReceivePhase ? 1 : 0] };
    case 'seL4_Fault_VGICMaintenance':
      return { label: FAULT_LABEL[f.type], mrs: [f.idx] };
    case 'seL4_Fault_Timeout':
      return { label: FAULT_LABEL[f.type], mrs: [f.badge] };
  }
}

function transfer(k: KernelCore, sender: TCB, receiver: TCB, p: PendingSend): Received {
  const mrs = p.msg.mrs.length > MSG_MAX_LENGTH ? p.msg.mrs.slice(0, MSG_MAX_LENGTH) : p.msg.mrs;
  let extraCaps = 0;
  const caps = p.msg.caps;
  // Caps move only with Grant on the sender's cap, one per message into the receive slot, as
  // seL4 transfers them when no endpoint unwrapping applies.
  if (caps && caps.length && p.canGrant && receiver.receivePath) {
    const src = sender.cspace.slot(caps[0]);
    const dest = receiver.receivePath.cnode.slot(receiver.receivePath.index);
    if (src && src.cap && dest && !dest.cap) {
      insertCap(dest, new Cap(src.cap.object, src.cap.rights, src.cap.badge), src);
      extraCaps = 1;
    }
  }
  return p.fault ? { badge: p.badge, label: p.msg.label, mrs, extraCaps, fault: p.fault } : { badge: p.badge, label: p.msg.label, mrs, extraCaps };
}

/** After a Call is received: the caller waits for the reply, or, without Grant/GrantReply, stops. */
function afterCallDelivered(k: KernelCore, caller: TCB, receiver: TCB, p: PendingSend, ep: Endpoint): void {
  if (p.canGrant || p.canGrantReply) {
    if (receiver.replyTo) receiver.replyTo.replier = null;
    receiver.replyTo = caller;
    caller.replier = receiver;
    k.block(caller, 'BlockedOnReply', ep, p.fault ? 'fault reply' : 'seL4_Call (reply)');
  } else {
    k.block(caller, 'Inactive', null, '');
  }
}

/**
 * seL4 sendIPC. Returns BLOCKED when the sender waits (blocking send with no receiver, or any
 * Call); a non-blocking send with no receiver is dropped.
 */
export function sendIPC(k: KernelCore, t: TCB, ep: Endpoint, p: PendingSend, blocking: boolean, op: string): 'seL4_NoError' | typeof BLOCKED {
  if (ep.queued === 'Recv' && ep.queue.head) {
    const r = ep.queue.head;
    ep.queue.remove(r);
    const got = transfer(k, t, r, p);
    k.wake(r, got);
    k.record(op, ep.name, p.badge, r.woke, r.name);
    if (p.isCall) {
      afterCallDelivered(k, t, r, p, ep);
      return BLOCKED;
    }
    return 'seL4_NoError';
  }
  if (!blocking) {
    k.record(op, ep.name, p.badge, 'dropped');
    return 'seL4_NoError';
  }
  k.block(t, 'BlockedOnSend', ep, op);
  t.pending = p;
  ep.queued = 'Send';
  ep.queue.append(t);
  k.record(op, ep.name, p.badge, 'blocked');
  return BLOCKED;
}

/** seL4 receiveIPC, including the bound notification that takes precedence when active. */
export function receiveIPC(k: KernelCore, t: TCB, ep: Endpoint, blocking: boolean, op: string): Received | typeof BLOCKED {
  const n: Notification | null = t.boundNotification;
  if (n && n.active) {
    const word = n.word;
    n.active = false;
    n.word = 0;
    k.record(op, ep.name, word, 'signal from ' + n.name);
    return completeBoundSignal(word);
  }
  if (ep.queued === 'Send' && ep.queue.head) {
    const s = ep.queue.head;
    ep.queue.remove(s);
    const p = s.pending!;
    const got = transfer(k, s, t, p);
    if (p.isCall) {
      s.pending = null;
      afterCallDelivered(k, s, t, p, ep);
    } else {
      k.wake(s, 'seL4_NoError');
    }
    k.record(op, ep.name, p.badge, 'from ' + s.name, s.name);
    return got;
  }
  if (!blocking) {
    k.record(op, ep.name, 0, 'no sender');
    return { badge: 0, label: 0, mrs: NO_MRS, extraCaps: 0 };
  }
  k.block(t, 'BlockedOnReceive', ep, op);
  ep.queued = 'Recv';
  ep.queue.append(t);
  k.record(op, ep.name, undefined, 'blocked');
  return BLOCKED;
}

/** seL4_Reply: wakes the caller this thread holds the reply cap for; without one it does nothing. */
export function doReply(k: KernelCore, t: TCB, m: Message): void {
  const caller = t.replyTo;
  if (!caller) {
    k.record('seL4_Reply', '', m.label, 'no reply cap');
    return;
  }
  t.replyTo = null;
  caller.replier = null;
  caller.fault = null;
  const mrs = m.mrs.length > MSG_MAX_LENGTH ? m.mrs.slice(0, MSG_MAX_LENGTH) : m.mrs;
  k.wake(caller, { badge: 0, label: m.label, mrs, extraCaps: 0 } satisfies Received);
  k.record('seL4_Reply', 'reply ' + caller.name, m.label, caller.woke, caller.name);
}
