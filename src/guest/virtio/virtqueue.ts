import type { Blocking } from '../../sel4';
import {
  AVAIL_FLAGS, AVAIL_IDX, AVAIL_RING, USED_ELEM_SIZE, USED_FLAGS, USED_IDX, USED_RING, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE,
  VIRTQ_DESC_SIZE, VRING_AVAIL_F_NO_INTERRUPT, VRING_USED_F_NO_NOTIFY, vringLayout, type VringLayout,
} from '../../vmm/virtio/layout';
import { getLe, le } from '../../vmm/virtio/memory';

/** Guest-physical memory as the guest kernel reaches it (`GuestMachine` satisfies this). */
export interface DmaMemory {
  read(paddr: number, length: number): Blocking<Uint8Array>;
  write(paddr: number, bytes: Uint8Array): Blocking<void>;
}

/** One buffer of a request: `write` means the device writes it (receive buffers). */
export interface SgBuffer {
  readonly addr: number;
  readonly len: number;
  readonly write: boolean;
}

/**
 * The driver side of a split virtqueue (drivers/virtio/virtio_ring.c, split layout): a free
 * list of descriptors threaded through `next`, `add` writes the chain, then the available ring
 * entry, then the index (the order the device relies on); `getUsed` takes completed chains in
 * the order the device returned them. Indices are free-running u16 counters.
 */
export class DriverVirtqueue<T = unknown> {
  readonly layout: VringLayout;
  private freeHead = 0;
  private numFree: number;
  private availIdx = 0;
  private lastUsed = 0;
  private readonly tokens: (T | undefined)[];
  private readonly chainLength: number[];

  constructor(private readonly mem: DmaMemory, readonly index: number, base: number, num: number) {
    this.layout = vringLayout(base, num);
    this.numFree = num;
    this.tokens = new Array<T | undefined>(num).fill(undefined);
    this.chainLength = new Array<number>(num).fill(0);
  }

  get free(): number {
    return this.numFree;
  }

  /**
   * vring_init + zeroing: clears the ring and threads the free list. `startIndex` is where the
   * ring's indices start: 0 after a reset (what a driver does); tests start near 2^16 to reach
   * the wrap without 65536 round trips. The device takes the indices from the ring on activation.
   */
  *init(startIndex = 0): Blocking<void> {
    const { num, desc, avail, used, bytes } = this.layout;
    yield* this.mem.write(desc, new Uint8Array(bytes));
    const table = new Uint8Array(VIRTQ_DESC_SIZE * num);
    for (let i = 0; i < num - 1; i++) table.set(le(2, i + 1), VIRTQ_DESC_SIZE * i + 14);
    yield* this.mem.write(desc, table);
    this.availIdx = startIndex & 0xffff;
    this.lastUsed = this.availIdx;
    yield* this.mem.write(avail + AVAIL_IDX, le(2, this.availIdx));
    yield* this.mem.write(used + USED_IDX, le(2, this.availIdx));
  }

  /** virtqueue_add: false (and nothing written) when too few descriptors are free. */
  /**
   * Posts device-writable buffers of `size` bytes from `pool` until `posted` are outstanding (or
   * the pool or the ring runs out), each buffer its own token, as try_fill_recv does. True when
   * any was added: the caller then kicks the device.
   */
  *postReceiveBuffers(this: DriverVirtqueue<number>, pool: { alloc(size: number): number | null; free(addr: number): void }, size: number, posted: number): Blocking<boolean> {
    let added = false;
    while (this.free > 0 && this.free > this.layout.num - posted) {
      const buf = pool.alloc(size);
      if (buf === null) break;
      if (!(yield* this.add([{ addr: buf, len: size, write: true }], buf))) {
        pool.free(buf);
        break;
      }
      added = true;
    }
    return added;
  }

  *add(bufs: readonly SgBuffer[], token: T): Blocking<boolean> {
    if (!bufs.length || bufs.length > this.numFree) return false;
    const { num, desc, avail } = this.layout;
    const head = this.freeHead;
    let i = head;
    for (let n = 0; n < bufs.length; n++) {
      const raw = yield* this.mem.read(desc + VIRTQ_DESC_SIZE * i, VIRTQ_DESC_SIZE);
      const next = getLe(raw, 14, 2);
      const d = new Uint8Array(VIRTQ_DESC_SIZE);
      d.set(le(8, bufs[n].addr), 0);
      d.set(le(4, bufs[n].len), 8);
      const last = n === bufs.length - 1;
      d.set(le(2, (last ? 0 : VIRTQ_DESC_F_NEXT) | (bufs[n].write ? VIRTQ_DESC_F_WRITE : 0)), 12);
      // The last descriptor keeps its free-list link so `detach` can splice the chain back.
      d.set(le(2, next), 14);
      yield* this.mem.write(desc + VIRTQ_DESC_SIZE * i, d);
      if (!last) i = next;
      else this.freeHead = next;
    }
    this.numFree -= bufs.length;
    this.tokens[head] = token;
    this.chainLength[head] = bufs.length;
    yield* this.mem.write(avail + AVAIL_RING + 2 * (this.availIdx % num), le(2, head));
    this.availIdx = (this.availIdx + 1) & 0xffff;
    yield* this.mem.write(avail + AVAIL_IDX, le(2, this.availIdx));
    return true;
  }

  /** virtqueue_kick_prepare: whether the device wants a notification (used.flags NO_NOTIFY clear). */
  *kickNeeded(): Blocking<boolean> {
    const f = getLe(yield* this.mem.read(this.layout.used + USED_FLAGS, 2), 0, 2);
    return !(f & VRING_USED_F_NO_NOTIFY);
  }

  /** virtqueue_get_buf: the next completed request and the bytes the device wrote, or null. */
  *getUsed(): Blocking<{ token: T; len: number } | null> {
    const { num, used } = this.layout;
    const idx = getLe(yield* this.mem.read(used + USED_IDX, 2), 0, 2);
    if (idx === this.lastUsed) return null;
    const e = yield* this.mem.read(used + USED_RING + USED_ELEM_SIZE * (this.lastUsed % num), USED_ELEM_SIZE);
    const id = getLe(e, 0, 4);
    const len = getLe(e, 4, 4);
    if (id >= num || this.tokens[id] === undefined) throw new Error(`virtqueue ${this.index}: device returned id ${id}, which is not in flight`);
    this.lastUsed = (this.lastUsed + 1) & 0xffff;
    const token = this.tokens[id] as T;
    yield* this.detach(id);
    return { token, len };
  }

  /** Puts a finished chain back on the free list. */
  private *detach(head: number): Blocking<void> {
    const { desc } = this.layout;
    let i = head;
    for (let n = 1; n < this.chainLength[head]; n++) {
      const raw = yield* this.mem.read(desc + VIRTQ_DESC_SIZE * i, VIRTQ_DESC_SIZE);
      i = getLe(raw, 14, 2);
    }
    yield* this.mem.write(desc + VIRTQ_DESC_SIZE * i + 14, le(2, this.freeHead));
    this.freeHead = head;
    this.numFree += this.chainLength[head];
    this.tokens[head] = undefined;
    this.chainLength[head] = 0;
  }

  /** virtqueue_disable_cb / enable_cb: the avail.flags interrupt suppression hint. */
  *setInterrupts(on: boolean): Blocking<void> {
    yield* this.mem.write(this.layout.avail + AVAIL_FLAGS, le(2, on ? 0 : VRING_AVAIL_F_NO_INTERRUPT));
  }
}
