import type { Blocking } from './sys';

/**
 * A `Blocking<T>` that has already completed with `value`. A blocking call that finishes without
 * blocking returns one instead of a generator: `yield*` reads it in one `next()` and nothing is
 * suspended. Most calls on the hot paths complete at once, so this avoids allocating and
 * resuming a generator per call. It is its own iterator and its own result.
 */
class Done<T> {
  readonly done = true;
  constructor(readonly value: T) {}
  next(): this {
    return this;
  }
  return(): this {
    return this;
  }
  throw(e: unknown): never {
    throw e;
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/** A finished `Blocking` whose `yield*` gives `value`. */
export function done<T>(value: T): Blocking<T> {
  return new Done(value) as unknown as Blocking<T>;
}

/**
 * The value of `b` when it is a `done(...)`, i.e. completed without blocking; `NOT_DONE` otherwise.
 * A caller that would only pass the value on can then complete without a generator of its own.
 */
export function doneValue<T>(b: Blocking<T>): T | typeof NOT_DONE {
  return b instanceof Done ? (b.value as T) : NOT_DONE;
}
export const NOT_DONE: unique symbol = Symbol('not done');

/** A finished `Blocking<void>`, shared (it holds no state). */
export const FINISHED: Blocking<void> = done(undefined);
