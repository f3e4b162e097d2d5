/**
 * The to side of a CAmkES `seL4Notification` connection (camkes-tool
 * `seL4Notification-to.template.c`; reference cross-vm-connectors.md 4.5 and 7.2):
 *
 * - the interface thread `<iface>__run` loops on seL4_Wait on the connection's notification;
 *   signals that arrive while it is not waiting coalesce in the notification (kernel semantics);
 * - each wake-up goes to the registered callback (one-shot: deregistered before it is called,
 *   in the interface thread) or, with none registered, increments the "handoff" counting
 *   semaphore (up to INT_MAX; beyond that the event is dropped);
 * - `<iface>_wait()` / `_poll()` take from that semaphore; `<iface>_reg_callback()` returns -1 if
 *   a callback is registered, runs the callback at once in the caller's thread if an event is
 *   pending (consuming it), else registers it.
 *
 * The handoff semaphore is libsel4sync's `sync_sem_t`: a counter plus a notification a waiter
 * blocks on when the counter goes negative. The template's internal lock is not modelled as an
 * object: between two kernel entries a thread body runs atomically in the simulator, which gives
 * the same exclusion the lock gives.
 */
import { done, FINISHED, type Blocking, type CPtr, type Sys } from '../../sel4';

/** C's INT_MAX, the handoff semaphore's ceiling. */
export const INT_MAX = 2 ** 31 - 1;

/** A callback as C's `void (*)(void *)`; a generator when it blocks. */
export type EventCallback<C> = (ctx: C, arg: unknown) => Generator<unknown, void, unknown> | void;

export function* runCallback<C>(cb: EventCallback<C>, ctx: C, arg: unknown): Blocking<void> {
  const r = cb(ctx, arg);
  if (r && typeof (r as Generator).next === 'function') yield* r as Generator<void, void, unknown>;
}

/** libsel4sync counting semaphore over a notification. */
export class CountingSemaphore {
  /** >0: available count; <0: number of threads waiting (or about to). */
  value: number;
  constructor(
    readonly ntfn: CPtr,
    initial: number,
  ) {
    this.value = initial;
  }

  wait(sys: Sys): Blocking<void> {
    this.value--;
    return this.value < 0 ? (sys.wait(this.ntfn) as Blocking<unknown> as Blocking<void>) : FINISHED;
  }

  /** 0 on success, -1 when nothing is available (sync_sem_trywait). */
  tryWait(): number {
    if (this.value <= 0) return -1;
    this.value--;
    return 0;
  }

  post(sys: Sys): void {
    this.value++;
    if (this.value <= 0) sys.signal(this.ntfn);
  }
}

/** What an interface thread did with a wake-up: the result its trace event carries. */
export const WAKE_OUTCOMES = ['callback', 'handoff', 'dropped'] as const;
const CALLBACK = 0;
const HANDOFF = 1;
const DROPPED = 2;

export class EventState<C> {
  callback: { readonly fn: EventCallback<C>; readonly arg: unknown } | null = null;
  /** Events dropped because the handoff count was at INT_MAX. */
  dropped = 0;
  readonly handoff: CountingSemaphore;

  constructor(
    readonly ntfn: CPtr,
    handoff: CPtr,
  ) {
    this.handoff = new CountingSemaphore(handoff, 0);
  }

  /**
   * The interface thread's loop. `ctx` is the interface thread's own context; `note` records what
   * became of each wake-up, given as an index into `WAKE_OUTCOMES`.
   */
  *run(sys: Sys, ctx: C, note: (outcome: number, value?: string | number) => void): Blocking<never> {
    for (;;) {
      yield* sys.wait(this.ntfn);
      const cb = this.callback;
      if (cb) {
        this.callback = null;
        note(CALLBACK);
        // runCallback, inline: the interface thread resumes the callback with no wrapper between.
        const r = cb.fn(ctx, cb.arg);
        if (r && typeof (r as Generator).next === 'function') yield* r as Generator<void, void, unknown>;
      } else if (this.handoff.value < INT_MAX) {
        this.handoff.post(sys);
        note(HANDOFF, this.handoff.value);
      } else {
        this.dropped++;
        note(DROPPED, this.dropped);
      }
    }
  }

  wait(sys: Sys): Blocking<void> {
    return this.handoff.wait(sys);
  }

  poll(): number {
    return this.handoff.tryWait() === 0 ? 1 : 0;
  }

  /** `<iface>_reg_callback(cb, arg)`: -1 when one is registered, else 0 (reference 4.5). */
  regCallback(ctx: C, fn: EventCallback<C>, arg: unknown): Blocking<number> {
    if (this.callback) return done(-1);
    if (this.handoff.tryWait() === 0) return this.callNow(ctx, fn, arg);
    this.callback = { fn, arg };
    return done(0);
  }

  private *callNow(ctx: C, fn: EventCallback<C>, arg: unknown): Blocking<number> {
    yield* runCallback(fn, ctx, arg);
    return 0;
  }
}
