import type { CPtr } from '../api/types';
import type { Blocking, Sys } from './sys';

/**
 * A seL4_Wait that blocked on its first attempt, as a `Blocking` the thread's body `yield*`s: it
 * suspends once and completes with the badge the signaller delivers. Every thread blocks in a
 * wait once or more per cross-VM round trip, so this is one reusable object per thread instead
 * of a generator per wait; any other resumption (a restart after a fault or Suspend) continues
 * in `waitLoop`, as the generator did.
 */
export class BlockedWait {
  private ntfn: CPtr = 0;
  private suspended = false;
  private loop: Blocking<number> | null = null;
  /** The result objects `next` returns: read by `yield*` at once, never kept. */
  private readonly suspend: IteratorYieldResult<void> = { done: false, value: undefined };
  private readonly finished: { done: true; value: number } = { done: true, value: 0 };

  constructor(private readonly sys: Sys) {}

  start(ntfn: CPtr): Blocking<number> {
    this.ntfn = ntfn;
    this.suspended = false;
    this.loop = null;
    return this as unknown as Blocking<number>;
  }

  next(v?: unknown): IteratorResult<void, number> {
    if (this.loop) return this.loop.next(v);
    if (!this.suspended) {
      this.suspended = true;
      return this.suspend;
    }
    if (typeof v === 'number') {
      this.finished.value = v;
      return this.finished;
    }
    this.loop = this.sys.waitLoop(this.ntfn);
    return this.loop.next();
  }

  return(value: number): IteratorResult<void, number> {
    return this.loop ? this.loop.return(value) : { done: true, value };
  }

  throw(e: unknown): IteratorResult<void, number> {
    if (this.loop) return this.loop.throw(e);
    throw e;
  }

  [Symbol.iterator](): this {
    return this;
  }
}
