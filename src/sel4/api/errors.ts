/**
 * seL4's invocation error codes (libsel4 `seL4_Error`), by name. Invocations return one of these
 * as a value: seL4 hands the code back in the message info, and a caller that ignores it simply
 * carries on, as C code that ignores the return value does. `seL4_NoError` is success.
 */
export const SEL4_ERRORS = [
  'seL4_NoError',
  'seL4_InvalidArgument',
  'seL4_InvalidCapability',
  'seL4_IllegalOperation',
  'seL4_RangeError',
  'seL4_AlignmentError',
  'seL4_FailedLookup',
  'seL4_TruncatedMessage',
  'seL4_DeleteFirst',
  'seL4_RevokeFirst',
  'seL4_NotEnoughMemory',
] as const;

export type SeL4ErrorName = (typeof SEL4_ERRORS)[number];

/** The numeric value libsel4 gives each error (its position in the enum). */
export function errorCode(name: SeL4ErrorName): number {
  return SEL4_ERRORS.indexOf(name);
}

/** An invocation that produces a value as well as a status. */
export type Result<T> = { readonly error: 'seL4_NoError'; readonly value: T } | { readonly error: Exclude<SeL4ErrorName, 'seL4_NoError'>; readonly value?: undefined };

export function ok<T>(value: T): Result<T> {
  return { error: 'seL4_NoError', value };
}

export function fail<T>(error: Exclude<SeL4ErrorName, 'seL4_NoError'>): Result<T> {
  return { error };
}

/**
 * Thrown only for misuse of the simulator's own API (a thread body calling a blocking helper
 * without `yield*`, spawning on a core that does not exist...), never for modelled outcomes.
 */
export class KernelUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelUsageError';
  }
}
