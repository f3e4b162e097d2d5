import type { ObjectType } from '../machine/arch';

/** Kinds of capability that name no retypeable object: the kernel's singletons and IRQ/IO state. */
export type SpecialType = 'IRQControl' | 'IRQHandler' | 'IOPortControl' | 'IOPort' | 'ReplyCap' | 'Domain';
export type KObjectType = ObjectType | SpecialType;

/**
 * Base of every kernel object. `name` is given by whoever creates the object ("ntfn vm0.ready")
 * and is what traces, listings and deadlock reports print; `id` is creation order, used only to
 * keep listings stable.
 */
export abstract class KObject {
  abstract readonly type: KObjectType;
  /** Capabilities currently naming this object; when the last is deleted the object is finalised. */
  capCount = 0;
  /** Physical address and size, for objects carved out of untyped memory. */
  paddr = 0;
  sizeBits = 0;
  /** The name's lasting trace id (`Trace.intern`), taken on first use by a hot record; -1 until then. */
  traceId = -1;
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
  /** Called when the last capability to the object is deleted (seL4 finaliseCap). */
  finalise(): void {}
}

/** Every object the kernel has created, in creation order (the model's object store). */
export class ObjectStore {
  private nextId = 0;
  readonly all: KObject[] = [];
  newId(): number {
    return this.nextId++;
  }
  add<T extends KObject>(o: T): T {
    this.all.push(o);
    return o;
  }
}
