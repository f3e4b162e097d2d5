import { KObject } from '../model/objects';

/** seL4 untyped memory: a power-of-two region and the watermark retype allocates from. */
export class Untyped extends KObject {
  readonly type = 'Untyped';
  /** Bytes from the start already handed out (seL4's freeIndex, in bytes). */
  freeIndex = 0;
  constructor(
    id: number,
    name: string,
    sizeBits: number,
    paddr: number,
    readonly device: boolean,
  ) {
    super(id, name);
    this.sizeBits = sizeBits;
    this.paddr = paddr;
  }
  get size(): number {
    return 2 ** this.sizeBits;
  }
  get available(): number {
    return this.size - this.freeIndex;
  }
}
