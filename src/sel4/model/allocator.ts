import { KernelUsageError, fail, ok, type Result, type SeL4ErrorName } from '../api/errors';
import type { CPtr } from '../api/types';
import type { ObjectType } from '../machine/arch';
import type { Invoker } from '../kernel/invoker';

/**
 * A small object allocator over untyped capabilities, as seL4's vka/simple libraries give a
 * root task: each object is retyped from the first untyped with room into the next free slot
 * of the invoker's CNode. Exhaustion surfaces as the seL4_NotEnoughMemory retype gives.
 */
export class ObjectAllocator {
  private next: number;
  constructor(
    private readonly inv: Invoker,
    private readonly untyped: readonly CPtr[],
    firstSlot: CPtr,
  ) {
    this.next = firstSlot;
  }

  /** The next slot `alloc` will fill. */
  get nextSlot(): CPtr {
    return this.next;
  }

  /** Reserves an empty slot (for copies, mints, IRQ handler caps...). */
  slot(): CPtr {
    if (this.next >= this.inv.cspace.size) throw new KernelUsageError(`CNode "${this.inv.cspace.name}" has no free slot left`);
    return this.next++;
  }

  alloc(type: ObjectType, name: string, sizeBits?: number): Result<CPtr> {
    const dest = this.next;
    let last: Exclude<SeL4ErrorName, 'seL4_NoError'> = 'seL4_NotEnoughMemory';
    for (const ut of this.untyped) {
      const r = this.inv.untypedRetype(ut, { type, sizeBits, offset: dest, name });
      if (r === 'seL4_NoError') {
        this.next++;
        return ok(dest);
      }
      last = r;
      if (last !== 'seL4_NotEnoughMemory') break;
    }
    return fail(last);
  }

  /** `alloc` for setup code that cannot continue without the object. */
  must(type: ObjectType, name: string, sizeBits?: number): CPtr {
    const r = this.alloc(type, name, sizeBits);
    if (r.error !== 'seL4_NoError') throw new KernelUsageError(`cannot create ${type} "${name}": ${r.error}`);
    return r.value;
  }
}
