import {
  AVAIL_FLAGS, AVAIL_IDX, AVAIL_RING, USED_ELEM_SIZE, USED_IDX, USED_RING, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE, VIRTQ_DESC_SIZE, VRING_AVAIL_F_NO_INTERRUPT, vringLayout, type VringLayout,
} from './layout';
import { getLe, le, type VirtioMemory } from './memory';

export interface DescBuffer {
  readonly addr: number;
  readonly len: number;
}

/** One available descriptor chain: device-readable buffers first, then device-writable ones. */
export interface DescChain {
  readonly head: number;
  readonly readable: readonly DescBuffer[];
  readonly writable: readonly DescBuffer[];
}

/** A chain the device cannot use; the queue stops (legacy devices have no NEEDS_RESET status). */
export interface ChainError {
  readonly error: string;
}

/**
 * The device side of one split virtqueue in guest memory. The device keeps its own
 * `lastAvail` (next available entry to take) and `usedIdx` (next used entry to fill); the ring's
 * `idx` fields are free-running u16 counters, so every comparison is modulo 2^16. Both start at
 * the used ring's idx when the driver activates the queue: 0 after the driver cleared the ring
 * (a reset), so entries made available before activation are still taken.
 */
export class DeviceVirtqueue {
  readonly layout: VringLayout;
  lastAvail: number;
  usedIdx: number;
  /** Set when a chain was malformed: the device takes nothing more from this queue. */
  broken: string | null = null;

  constructor(private readonly mem: VirtioMemory, base: number, num: number) {
    this.layout = vringLayout(base, num);
    this.usedIdx = this.u16(this.layout.used + USED_IDX) ?? 0;
    this.lastAvail = this.usedIdx;
  }

  private u16(paddr: number): number | null {
    const b = this.mem.read(paddr, 2);
    return b ? getLe(b, 0, 2) : null;
  }

  /** Entries the driver has made available and the device has not taken yet. */
  pending(): number {
    const idx = this.u16(this.layout.avail + AVAIL_IDX);
    return idx === null ? 0 : (idx - this.lastAvail) & 0xffff;
  }

  /** Takes the next available chain; null when there is none (or the queue is broken). */
  pop(): DescChain | ChainError | null {
    if (this.broken || !this.pending()) return null;
    const { num, avail, desc } = this.layout;
    const head = this.u16(avail + AVAIL_RING + 2 * (this.lastAvail % num));
    if (head === null) return this.fail('available ring outside guest RAM');
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    if (head >= num) return this.fail(`available ring entry ${head} is not a descriptor (queue size ${num})`);
    const readable: DescBuffer[] = [];
    const writable: DescBuffer[] = [];
    let i = head;
    for (let count = 0; ; count++) {
      // A chain longer than the table must loop back on itself.
      if (count >= num) return this.fail(`descriptor chain from ${head} loops`);
      const d = this.mem.read(desc + VIRTQ_DESC_SIZE * i, VIRTQ_DESC_SIZE);
      if (!d) return this.fail('descriptor table outside guest RAM');
      const addr = getLe(d, 0, 8);
      const len = getLe(d, 8, 4);
      const flags = getLe(d, 12, 2);
      const next = getLe(d, 14, 2);
      if (flags & VIRTQ_DESC_F_INDIRECT) return this.fail(`descriptor ${i} is indirect, a feature not offered`);
      if (flags & VIRTQ_DESC_F_WRITE) writable.push({ addr, len });
      else if (writable.length) return this.fail(`descriptor ${i} is device-readable after a device-writable one`);
      else readable.push({ addr, len });
      if (!(flags & VIRTQ_DESC_F_NEXT)) break;
      if (next >= num) return this.fail(`descriptor ${i} chains to ${next}, outside the table`);
      i = next;
    }
    return { head, readable, writable };
  }

  private fail(reason: string): ChainError {
    this.broken = reason;
    return { error: reason };
  }

  /** Returns a chain to the driver: the used element, then the index (the order the driver relies on). */
  push(head: number, written: number): void {
    const { num, used } = this.layout;
    const elem = new Uint8Array(USED_ELEM_SIZE);
    elem.set(le(4, head), 0);
    elem.set(le(4, written), 4);
    this.mem.write(used + USED_RING + USED_ELEM_SIZE * (this.usedIdx % num), elem);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    this.mem.write(used + USED_IDX, le(2, this.usedIdx));
  }

  /** Whether the driver wants an interrupt for used buffers (avail.flags NO_INTERRUPT clear). */
  wantsInterrupt(): boolean {
    const f = this.u16(this.layout.avail + AVAIL_FLAGS);
    return f === null || !(f & VRING_AVAIL_F_NO_INTERRUPT);
  }

  /** The concatenated device-readable bytes of a chain (null if a buffer is outside RAM). */
  gather(chain: DescChain): Uint8Array | null {
    const total = chain.readable.reduce((s, b) => s + b.len, 0);
    const out = new Uint8Array(total);
    let off = 0;
    for (const b of chain.readable) {
      const part = this.mem.read(b.addr, b.len);
      if (!part) return null;
      out.set(part, off);
      off += b.len;
    }
    return out;
  }

  /** Writes `bytes` across the chain's device-writable buffers; the count written (truncated to fit). */
  scatter(chain: DescChain, bytes: Uint8Array): number {
    let off = 0;
    for (const b of chain.writable) {
      if (off >= bytes.length) break;
      const n = Math.min(b.len, bytes.length - off);
      if (!this.mem.write(b.addr, bytes.subarray(off, off + n))) break;
      off += n;
    }
    return off;
  }
}
