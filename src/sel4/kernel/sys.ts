import { EMPTY_MESSAGE, type CPtr, type Fault, type Message, type Received } from '../api/types';
import { doReply, receiveIPC, sendIPC, type Endpoint } from '../object/endpoint';
import { receiveSignal, type Notification } from '../object/notification';
import type { TCB } from '../object/tcb';
import { SPURIOUS_IRQ, vcpuAcknowledge, vcpuEOI } from '../object/vcpu';
import type { AccessFault } from '../object/vspace';
import { BLOCKED, RESTART } from './core';
import { done, FINISHED } from './done';
import { raiseFault } from './faults';
import { Invoker } from './invoker';
import { BlockedWait } from './blocked-wait';

/** A generator helper a thread body `yield*`s into; its return value is the call's result. */
export type Blocking<T> = Generator<void, T, unknown>;

/**
 * The system-call interface a thread body receives. Blocking calls are generator helpers used
 * with `yield*` (so library code at any depth can block); the rest are plain methods inherited
 * from `Invoker`. A call that raises a fault (an empty or wrong capability in Wait/Recv/Send/Call,
 * a VSpace access that misses) sends the fault to the thread's fault handler and resumes when it
 * replies; with no handler the thread stays Inactive.
 */
export class Sys extends Invoker {
  get thread(): TCB {
    return this.self;
  }

  protected override enter(): boolean {
    this.env.k.tick();
    this.env.k.actAs(this.self);
    return this.self.state === 'Running';
  }

  /** Waits until this thread runs again after something stopped it (a fault or a Suspend). */
  private *until(): Blocking<void> {
    while (this.self.state !== 'Running') yield;
  }

  private capFault(cptr: CPtr, inReceivePhase: boolean, reason: string): void {
    raiseFault(this.env.k, this.self, { type: 'seL4_Fault_CapFault', thread: this.self.name, cptr, inReceivePhase, reason });
  }

  /**
   * seL4_Wait on a notification: the badge word. Not a generator function: a wait that completes
   * at once (the notification was active) returns a finished `Blocking` holding the badge, so the
   * common non-blocking case allocates no generator; only a wait that blocks gets one.
   */
  wait(ntfn: CPtr): Blocking<number> {
    if (!this.enter()) return this.waitAfterStop(ntfn);
    const r = this.waitAttempt(ntfn);
    return r === BLOCKED ? (this.blockedWait ??= new BlockedWait(this)).start(ntfn) : done(r);
  }

  /** The thread's one blocked seL4_Wait (a thread waits in at most one call at a time). */
  private blockedWait: BlockedWait | null = null;

  /** One kernel entry of seL4_Wait: the badge, or BLOCKED (queued on it, or a cap fault raised). */
  private waitAttempt(ntfn: CPtr): number | typeof BLOCKED {
    const c = this.env.k.lookup(this.self.cspace, ntfn);
    const n = c?.object as Notification | undefined;
    if (!c || c.object.type !== 'Notification' || !c.rights.read) this.capFault(ntfn, true, 'not a notification with Read');
    else if (n!.boundTCB && n!.boundTCB !== this.self) this.capFault(ntfn, true, 'notification bound to another thread');
    else return receiveSignal(this.env.k, this.self, n!, true);
    return BLOCKED;
  }

  private *waitAfterStop(ntfn: CPtr): Blocking<number> {
    yield* this.until();
    return yield* this.waitLoop(ntfn);
  }

  /** @internal the rest of a wait whose first attempt was interrupted (see BlockedWait). */
  *waitLoop(ntfn: CPtr): Blocking<number> {
    for (;;) {
      if (!this.enter()) {
        yield* this.until();
        continue;
      }
      const r = this.waitAttempt(ntfn);
      if (r !== BLOCKED) return r;
      const v = yield;
      if (typeof v === 'number') return v;
    }
  }

  /** seL4_Wait with a virtual-time timeout, for later layers: the badge, or null on timeout. */
  *waitTimeout(ntfn: CPtr, ns: number): Blocking<number | null> {
    const k = this.env.k;
    const t = this.self;
    if (this.enter()) {
      const c = k.lookup(t.cspace, ntfn);
      if (c && c.object.type === 'Notification' && c.rights.read) {
        const r = receiveSignal(k, t, c.object as Notification, true);
        if (r !== BLOCKED) return r;
        t.timer = k.at(k.time + ns, () => {
          t.timer = null;
          k.cancelBlocking(t);
          k.record('timeout', c.object.name, ns, t.woke, t.name);
          k.wake(t, null);
        });
        const v = yield;
        if (typeof v === 'number' || v === null) return v;
      }
    }
    return yield* this.wait(ntfn);
  }

  private *ipcSend(ep: CPtr, m: Message, isCall: boolean, op: string): Blocking<Received | null> {
    for (;;) {
      if (!this.enter()) {
        yield* this.until();
        continue;
      }
      const c = this.env.k.lookup(this.self.cspace, ep);
      if (!c || c.object.type !== 'Endpoint' || !c.rights.write) this.capFault(ep, false, 'not an endpoint with Write');
      else {
        const p = { badge: c.badge, msg: m, isCall, canGrant: c.rights.grant, canGrantReply: c.rights.grantReply };
        if (sendIPC(this.env.k, this.self, c.object as Endpoint, p, true, op) !== BLOCKED) return null;
      }
      const v = yield;
      if (v !== RESTART && typeof v === 'object') return v as Received;
      if (v === 'seL4_NoError') return null;
    }
  }

  /** seL4_Send: blocks until a receiver takes the message. */
  *send(ep: CPtr, m: Message = EMPTY_MESSAGE): Blocking<void> {
    yield* this.ipcSend(ep, m, false, 'seL4_Send');
  }

  /** seL4_Call: send, then wait for the reply (needs Grant or GrantReply, or the caller stops). */
  *call(ep: CPtr, m: Message = EMPTY_MESSAGE): Blocking<Received> {
    return (yield* this.ipcSend(ep, m, true, 'seL4_Call'))!;
  }

  /** seL4_Recv on an endpoint (a bound notification's signal also completes it). */
  *recv(ep: CPtr): Blocking<Received> {
    for (;;) {
      if (!this.enter()) {
        yield* this.until();
        continue;
      }
      const c = this.env.k.lookup(this.self.cspace, ep);
      if (c && c.object.type === 'Notification') return { badge: yield* this.wait(ep), label: 0, mrs: [], extraCaps: 0 };
      if (!c || c.object.type !== 'Endpoint' || !c.rights.read) this.capFault(ep, true, 'not an endpoint with Read');
      else {
        const r = receiveIPC(this.env.k, this.self, c.object as Endpoint, true, 'seL4_Recv');
        if (r !== BLOCKED) return r;
      }
      const v = yield;
      if (v !== RESTART && typeof v === 'object' && v !== null) return v as Received;
    }
  }

  /** seL4_Reply through the reply cap the last received Call left in this thread. */
  reply(m: Message = EMPTY_MESSAGE): void {
    if (this.enter()) doReply(this.env.k, this.self, m);
  }

  /** seL4_ReplyRecv. */
  *replyRecv(ep: CPtr, m: Message = EMPTY_MESSAGE): Blocking<Received> {
    this.reply(m);
    return yield* this.recv(ep);
  }

  /** seL4_Yield: to the back of this priority's queue. */
  *yield(): Blocking<void> {
    this.enter();
    this.env.k.record('seL4_Yield', '', undefined, 'seL4_NoError');
    yield;
  }

  /** Sleeps `ns` of virtual time. */
  *sleep(ns: number): Blocking<void> {
    const k = this.env.k;
    const t = this.self;
    if (!this.enter()) yield* this.until();
    k.block(t, 'Sleeping', null, 'sleep');
    t.timer = k.at(k.time + Math.max(0, ns), () => {
      t.timer = null;
      k.wake(t, undefined);
    });
    yield;
  }

  /**
   * Models `ns` of computation: the core is occupied meanwhile (not preemptible, a modelling
   * simplification) and an MCS budget is consumed; with the budget exhausted the thread waits
   * for its next replenishment.
   */
  *compute(ns: number): Blocking<void> {
    const k = this.env.k;
    const t = this.self;
    let left = ns;
    while (left > 0) {
      if (!this.enter()) {
        yield* this.until();
        continue;
      }
      const sc = t.sc;
      if (sc && sc.remaining <= 0) {
        k.block(t, 'WaitingForBudget', sc, 'budget replenishment');
        k.record('budget_exhausted', sc.name, k.time, 'blocked');
        t.timer = k.at(sc.nextRefill(k.time), () => {
          t.timer = null;
          sc.remaining = sc.budget;
          k.wake(t, undefined);
        });
        yield;
        continue;
      }
      const chunk = sc ? Math.min(left, sc.remaining) : left;
      if (sc) sc.remaining -= chunk;
      left -= chunk;
      k.block(t, 'Computing', null, 'compute');
      k.cores[t.core].busy = t;
      t.timer = k.at(k.time + chunk, () => {
        t.timer = null;
        k.cores[t.core].busy = null;
        k.wake(t, undefined);
      });
      yield;
    }
  }

  // --- Memory through the thread's VSpace ------------------------------------------------------
  // Each access loops: try it; on a miss raise the VMFault and wait for the handler's reply. The
  // reply completes the access when it carries a value (an emulated device access); an empty
  // reply restarts it, as seL4 restarts the faulting instruction. Written out per access kind
  // (no closures) because guest and component memory traffic goes through here.

  /** Raises `f` as a VMFault and waits for the reply: the Received when it carries a value, else null (restart). */
  private *faulted(f: AccessFault, size: number, value?: number): Blocking<Received | null> {
    raiseFault(this.env.k, this.self, this.vmFault(f, size, value));
    const v = yield;
    if (v !== RESTART && typeof v === 'object' && v !== null && (v as Received).mrs.length > 0) return v as Received;
    return null;
  }

  private vmFault(f: AccessFault, size: number, value?: number): Fault {
    return { type: 'seL4_Fault_VMFault', thread: this.self.name, addr: f.addr, kind: f.kind, size, value, reason: f.reason };
  }

  // A first attempt that hits its mapping returns a finished `Blocking` (no generator); a thread
  // that is not running, or an access that faults, continues in the generator loop.

  /** A 1/2/4-byte load at `vaddr`; a miss is a VMFault (a handler reply with MR0 supplies the value). */
  load(vaddr: number, size: 1 | 2 | 4 = 4): Blocking<number> {
    if (!this.enter()) return this.loadLoop(vaddr, size, null);
    const vs = this.self.vspace;
    const r = vs ? vs.load(vaddr, size) : NO_VSPACE;
    return typeof r === 'number' ? done(r) : this.loadLoop(vaddr, size, r);
  }

  /** `load`'s slow path; `first` is the fault of an attempt already made (null: none made). */
  private *loadLoop(vaddr: number, size: 1 | 2 | 4, first: AccessFault | null): Blocking<number> {
    if (first) {
      const reply = yield* this.faulted(first, size);
      if (reply) return reply.mrs[0] >>> 0;
    }
    for (;;) {
      if (!this.enter()) {
        yield* this.until();
        continue;
      }
      const vs = this.self.vspace;
      const r = vs ? vs.load(vaddr, size) : NO_VSPACE;
      if (typeof r === 'number') return r;
      const reply = yield* this.faulted(r, size);
      if (reply) return reply.mrs[0] >>> 0;
    }
  }

  store(vaddr: number, size: 1 | 2 | 4, value: number): Blocking<void> {
    if (!this.enter()) return this.storeLoop(vaddr, size, value, null);
    const vs = this.self.vspace;
    const f = vs ? vs.store(vaddr, size, value) : NO_VSPACE;
    return f ? this.storeLoop(vaddr, size, value, f) : FINISHED;
  }

  private *storeLoop(vaddr: number, size: 1 | 2 | 4, value: number, first: AccessFault | null): Blocking<void> {
    if (first && (yield* this.faulted(first, size, value))) return;
    for (;;) {
      if (!this.enter()) {
        yield* this.until();
        continue;
      }
      const vs = this.self.vspace;
      const f = vs ? vs.store(vaddr, size, value) : NO_VSPACE;
      if (!f) return;
      if (yield* this.faulted(f, size, value)) return;
    }
  }

  *readBytes(vaddr: number, len: number): Blocking<Uint8Array> {
    const out = new Uint8Array(len);
    yield* this.readInto(vaddr, out, len);
    return out;
  }

  /** `readBytes` into the first `len` bytes of `out`, a buffer the caller reuses. */
  readInto(vaddr: number, out: Uint8Array, len = out.length): Blocking<void> {
    if (!this.enter()) return this.readIntoLoop(vaddr, out, len, null);
    const vs = this.self.vspace;
    const f = vs ? vs.readInto(vaddr, out, len) : NO_VSPACE;
    return f ? this.readIntoLoop(vaddr, out, len, f) : FINISHED;
  }

  private *readIntoLoop(vaddr: number, out: Uint8Array, len: number, first: AccessFault | null): Blocking<void> {
    let f = first;
    for (;;) {
      if (f) {
        if (yield* this.faulted(f, 1)) {
          // An emulated completion supplies no bytes: the read gives zeros.
          out.fill(0, 0, len);
          return;
        }
      }
      if (!this.enter()) {
        yield* this.until();
        f = null;
        continue;
      }
      const vs = this.self.vspace;
      f = vs ? vs.readInto(vaddr, out, len) : NO_VSPACE;
      if (!f) return;
    }
  }

  writeBytes(vaddr: number, data: Uint8Array): Blocking<void> {
    if (!this.enter()) return this.writeBytesLoop(vaddr, data, null);
    const vs = this.self.vspace;
    const f = vs ? vs.writeBytes(vaddr, data) : NO_VSPACE;
    return f ? this.writeBytesLoop(vaddr, data, f) : FINISHED;
  }

  private *writeBytesLoop(vaddr: number, data: Uint8Array, first: AccessFault | null): Blocking<void> {
    if (first && (yield* this.faulted(first, 1))) return;
    for (;;) {
      if (!this.enter()) {
        yield* this.until();
        continue;
      }
      const vs = this.self.vspace;
      const f = vs ? vs.writeBytes(vaddr, data) : NO_VSPACE;
      if (!f) return;
      if (yield* this.faulted(f, 1)) return;
    }
  }

  // --- Guest side of an ARM VCPU -----------------------------------------------------------------

  /** WFI: idles until an interrupt is pending in one of the VCPU's list registers. */
  *waitForInterrupt(): Blocking<void> {
    const v = this.self.vcpu;
    if (!v) return;
    while (!v.hasPending()) {
      this.enter();
      this.env.k.block(this.self, 'WaitingForInterrupt', v, 'WFI');
      yield;
    }
  }

  /** Guest reads GICC_IAR: the virq now active, or 1023 (spurious). */
  acknowledgeInterrupt(): number {
    this.enter();
    return this.self.vcpu ? vcpuAcknowledge(this.env.k, this.self.vcpu) : SPURIOUS_IRQ;
  }

  /** Guest writes GICC_EOIR: frees the list register and raises the VGICMaintenance fault naming it. */
  *endOfInterrupt(virq: number): Blocking<void> {
    const v = this.self.vcpu;
    if (!v || !this.enter()) return;
    const idx = vcpuEOI(this.env.k, v, virq);
    if (idx < 0) return;
    raiseFault(this.env.k, this.self, { type: 'seL4_Fault_VGICMaintenance', thread: this.self.name, idx, virq });
    yield;
    yield* this.until();
  }
}

/** What an access by a thread without a VSpace raises. */
const NO_VSPACE: AccessFault = Object.freeze({ addr: 0, kind: 'read', reason: 'unmapped' });
