import type { Frame } from '../../sel4';
import { getLe, le } from './memory';

/**
 * The shared memory of one seL4VirtQueues connection: a one-way queue of Ethernet frames in
 * kernel Frame objects both VMMs have (32 KiB, platforms.md 2.1 "32 KiB queues"). Layout
 * (UNCONFIRMED, libvirtqueue's own ring is not in the reference): u32 producer count and u32
 * consumer count (free-running bytes) at offset 0 and 4, then a byte ring of records
 * `[u16 length][frame]`; a record that does not fit is dropped by the producer, as a full
 * virtqueue leaves the sender nothing to put it in.
 */
export class FrameRing {
  static readonly HEADER = 8;
  readonly capacity: number;
  dropped = 0;
  private readonly pageSize: number;

  constructor(private readonly frames: readonly Frame[]) {
    if (!frames.length) throw new RangeError('a virtqueue ring needs at least one frame');
    this.pageSize = frames[0].size;
    this.capacity = this.pageSize * frames.length - FrameRing.HEADER;
  }

  private readAt(off: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let done = 0; done < len; ) {
      const o = off + done;
      const n = Math.min(len - done, this.pageSize - (o % this.pageSize));
      this.frames[Math.floor(o / this.pageSize)].read(o % this.pageSize, out, done, n);
      done += n;
    }
    return out;
  }

  private writeAt(off: number, data: Uint8Array): void {
    for (let done = 0; done < data.length; ) {
      const o = off + done;
      const n = Math.min(data.length - done, this.pageSize - (o % this.pageSize));
      this.frames[Math.floor(o / this.pageSize)].write(o % this.pageSize, data.subarray(done, done + n));
      done += n;
    }
  }

  private counter(at: 0 | 4): number {
    return getLe(this.readAt(at, 4), 0, 4);
  }

  /** Bytes of the ring in use. */
  get used(): number {
    return (this.counter(0) - this.counter(4)) >>> 0;
  }

  /** Copies into the ring from position `pos` (wrapping). */
  private put(pos: number, data: Uint8Array): void {
    const start = pos % this.capacity;
    const first = Math.min(data.length, this.capacity - start);
    this.writeAt(FrameRing.HEADER + start, data.subarray(0, first));
    if (first < data.length) this.writeAt(FrameRing.HEADER, data.subarray(first));
  }

  private take(pos: number, len: number): Uint8Array {
    const start = pos % this.capacity;
    const first = Math.min(len, this.capacity - start);
    const a = this.readAt(FrameRing.HEADER + start, first);
    if (first === len) return a;
    const out = new Uint8Array(len);
    out.set(a);
    out.set(this.readAt(FrameRing.HEADER, len - first), first);
    return out;
  }

  /** Producer: appends one frame; false (and counted) when it does not fit. */
  push(frame: Uint8Array): boolean {
    const need = 2 + frame.length;
    if (frame.length > 0xffff || this.used + need > this.capacity) {
      this.dropped++;
      return false;
    }
    const head = this.counter(0);
    this.put(head, le(2, frame.length));
    this.put(head + 2, frame);
    this.writeAt(0, le(4, (head + need) >>> 0));
    return true;
  }

  /** Consumer: the oldest `max` frames in the ring (all by default), oldest first. */
  drain(max = Infinity): Uint8Array[] {
    const out: Uint8Array[] = [];
    let tail = this.counter(4);
    const head = this.counter(0);
    while (tail !== head && out.length < max) {
      const len = getLe(this.take(tail, 2), 0, 2);
      out.push(this.take(tail + 2, len));
      tail = (tail + 2 + len) >>> 0;
    }
    this.writeAt(4, le(4, tail));
    return out;
  }
}
