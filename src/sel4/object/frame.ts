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

  /** The last chunk found, since word accesses come in runs on one page. */
  private lastIndex = -1;
  private lastChunk: Uint8Array | undefined = undefined;

  private chunk(offset: number, create: boolean): Uint8Array | undefined {
    const i = Math.floor(offset / CHUNK);
    if (i === this.lastIndex) return this.lastChunk;
    let c = this.chunks.get(i);
    if (!c) {
      if (!create) return undefined;
      c = new Uint8Array(CHUNK);
      this.chunks.set(i, c);
    }
    this.lastIndex = i;
    this.lastChunk = c;
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
    const o = offset & (CHUNK - 1);
    if (o + size <= CHUNK) {
      const c = this.chunk(offset, false);
      if (!c) return 0;
      if (size === 1) return c[o];
      if (size === 2) return c[o] | (c[o + 1] << 8);
      return (c[o] | (c[o + 1] << 8) | (c[o + 2] << 16) | (c[o + 3] << 24)) >>> 0;
    }
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + this.readByte(offset + i);
    return v;
  }

  writeU(offset: number, size: 1 | 2 | 4, value: number): void {
    let v = value >>> 0;
    const o = offset & (CHUNK - 1);
    if (o + size <= CHUNK) {
      const c = this.chunk(offset, true)!;
      for (let i = 0; i < size; i++, v >>>= 8) c[o + i] = v & 0xff;
      return;
    }
    for (let i = 0; i < size; i++) {
      this.writeByte(offset + i, v & 0xff);
      v >>>= 8;
    }
  }

  read(offset: number, out: Uint8Array, outOffset = 0, len = out.length - outOffset): void {
    for (let done = 0; done < len; ) {
      const o = offset + done;
      const within = Math.min(len - done, CHUNK - (o & (CHUNK - 1)));
      const c = this.chunks.get(Math.floor(o / CHUNK));
      if (!c) out.fill(0, outOffset + done, outOffset + done + within);
      else if (within === CHUNK) out.set(c, outOffset + done);
      else out.set(c.subarray(o & (CHUNK - 1), (o & (CHUNK - 1)) + within), outOffset + done);
      done += within;
    }
  }

  write(offset: number, data: Uint8Array): void {
    for (let done = 0; done < data.length; ) {
      const o = offset + done;
      const within = Math.min(data.length - done, CHUNK - (o & (CHUNK - 1)));
      const i = Math.floor(o / CHUNK);
      let c = this.chunks.get(i);
      if (!c) {
        c = new Uint8Array(CHUNK);
        this.chunks.set(i, c);
      }
      c.set(within === data.length ? data : data.subarray(done, done + within), o & (CHUNK - 1));
      done += within;
    }
  }

  /** Forgets the contents (the object is reused after its untyped was revoked). */
  clear(): void {
    this.chunks.clear();
    this.lastIndex = -1;
    this.lastChunk = undefined;
  }
}
