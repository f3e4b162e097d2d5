import type { SeL4ErrorName } from '../api/errors';
import { AllRights } from '../api/types';
import { objectSizeBits, type ObjectType } from '../machine/arch';
import type { KernelCore } from '../kernel/core';
import { Cap, CNode, insertCap, type Slot } from '../model/cspace';
import { createObject } from './factory';
import { Untyped } from './untyped-object';

export { Untyped };

/** seL4's CONFIG_RETYPE_FAN_OUT_LIMIT. */
export const RETYPE_FAN_OUT_LIMIT = 256;

export interface RetypeArgs {
  readonly type: ObjectType;
  /** CNode: radix (log2 slots); Untyped/SchedContext: log2 bytes; Frame: log2 page size; else ignored. */
  readonly sizeBits?: number;
  /** The CNode receiving the new caps, and the first slot. */
  readonly dest: CNode;
  readonly offset: number;
  readonly count?: number;
  /** One name, or one per object; a single name for several objects gets "[i]" appended. */
  readonly name: string | readonly string[];
}

/**
 * seL4_Untyped_Retype. Objects are carved from the untyped's free index, aligned to their size;
 * when the untyped has no children left its free index resets to 0 first, which is how memory
 * comes back after a revoke. Running out gives seL4_NotEnoughMemory, as `simple_untyped` pools do.
 */
export function retype(k: KernelCore, utSlot: Slot, a: RetypeArgs): SeL4ErrorName {
  const ut = utSlot.cap!.object as Untyped;
  const count = a.count ?? 1;
  const sizeArg = a.sizeBits ?? (a.type === 'Frame' ? k.cfg.pageBits[0] : 0);
  const objBits = objectSizeBits(k.cfg, a.type, sizeArg);
  if (objBits === 'invalid-type' || objBits === 'too-small') return 'seL4_InvalidArgument';
  if (objBits === 'range') return 'seL4_RangeError';
  if (!Number.isInteger(count) || count < 1 || count > RETYPE_FAN_OUT_LIMIT) return 'seL4_RangeError';
  if (!Number.isInteger(a.offset) || a.offset < 0 || a.offset + count > a.dest.size) return 'seL4_RangeError';
  for (let i = 0; i < count; i++) if (a.dest.capAt(a.offset + i)) return 'seL4_DeleteFirst';
  if (ut.device && a.type !== 'Frame' && a.type !== 'Untyped') return 'seL4_InvalidArgument';
  if (utSlot.children.length === 0) ut.freeIndex = 0;
  const objSize = 2 ** objBits;
  const start = Math.ceil(ut.freeIndex / objSize) * objSize;
  if (start + count * objSize > ut.size) return 'seL4_NotEnoughMemory';
  for (let i = 0; i < count; i++) {
    const name = typeof a.name === 'string' ? (count === 1 ? a.name : `${a.name}[${i}]`) : (a.name[i] ?? `${a.name[0]}[${i}]`);
    const o = createObject(k, a.type, name, sizeArg, ut.paddr + start + i * objSize, ut.device, objBits);
    insertCap(a.dest.slot(a.offset + i)!, new Cap(o, AllRights, 0, true), utSlot);
  }
  ut.freeIndex = start + count * objSize;
  return 'seL4_NoError';
}
