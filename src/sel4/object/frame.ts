import { KObject } from '../model/objects';

export const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

/**
 * A frame of physical memory, backed lazily: a 4 KiB chunk is allocated on its first write and
 * untouched memory reads as zeros without allocating, so a 2 GiB guest costs only what it touches.
 * seL4 zeroes frames it creates from untyped memory, which is what an absent chunk means.
 */
export class Frame extends KObject {
  readonly type = 'Frame';
  private readonly chunks = new Map<number, Uint8Array>();

  constructor(
    id: number,
    name: string,
    sizeBits: number,
    paddr: number,
    /** Created from device untyped: not zeroed by seL4, but the model has no device contents. */
    readonly device = false,
  ) {
    super(id, name);
    this.sizeBits = sizeBits;
    this.paddr = paddr;
  }

  get size(): number {
    return 2 ** this.sizeBits;
  }

  /** Bytes of backing store allocated so far. */
  get touchedBytes(): number {
    return this.chunks.size * CHUNK;
  }

  private chunk(offset: number, create: boolean): Uint8Array | undefined {
    const i = Math.floor(offset / CHUNK);
    let c = this.chunks.get(i);
    if (!c && create) {
      c = new Uint8Array(CHUNK);
      this.chunks.set(i, c);
    }
    return c;
  }

  readByte(offset: number): number {
    const c = this.chunk(offset, false);
    return c ? c[offset & (CHUNK - 1)] : 0;
  }

  writeByte(offset: number, v: number): void {
    this.chunk(offset, true)![offset & (CHUNK - 1)] = v;
  }

  /** Little-endian unsigned read of 1, 2 or 4 bytes (ARM and x86 guests are little-endian). */
  readU(offset: number, size: 1 | 2 | 4): number {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + this.readByte(offset + i);
    return v;
  }

  writeU(offset: number, size: 1 | 2 | 4, value: number): void {
    let v = value >>> 0;
    for (let i = 0; i < size; i++) {
      this.writeByte(offset + i, v & 0xff);
      v >>>= 8;
    }
  }

  read(offset: number, out: Uint8Array, outOffset = 0, len = out.length - outOffset): void {
    for (let done = 0; done < len; ) {
      const o = offset + done;
      const within = Math.min(len - done, CHUNK - (o & (CHUNK - 1)));
      const c = this.chunk(o, false);
      if (c) out.set(c.subarray(o & (CHUNK - 1), (o & (CHUNK - 1)) + within), outOffset + done);
      else out.fill(0, outOffset + done, outOffset + done + within);
      done += within;
    }
  }

  write(offset: number, data: Uint8Array): void {
    for (let done = 0; done < data.length; ) {
      const o = offset + done;
      const within = Math.min(data.length - done, CHUNK - (o & (CHUNK - 1)));
      this.chunk(o, true)!.set(data.subarray(done, done + within), o & (CHUNK - 1));
      done += within;
    }
  }

  /** Forgets the contents (the object is reused after its untyped was revoked). */
  clear(): void {
    this.chunks.clear();
  }
}
