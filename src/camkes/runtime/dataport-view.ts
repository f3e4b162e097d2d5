/**
 * A dataport as a CAmkES component's C code sees it (`(char *)data`): every access goes through
 * the thread's VSpace mapping, so a missing or wrong mapping faults like any other access.
 */
import { done, FINISHED, type Blocking, type Sys } from '../../sel4';
import type { DataportHandle } from './handles';

/** A view of a dataport through this thread's VSpace mapping (`(char *)data` in C). */
export class DataportView {
  constructor(
    private readonly sys: Sys,
    readonly handle: DataportHandle,
  ) {}
  get size(): number {
    return this.handle.size;
  }
  get vaddr(): number {
    return this.handle.vaddr;
  }
  /** Reads through the mapping; an access beyond the mapping faults like any other. */
  *read(offset: number, len: number): Blocking<Uint8Array> {
    return yield* this.sys.readBytes(this.handle.vaddr + offset, len);
  }
  *write(offset: number, data: Uint8Array): Blocking<void> {
    yield* this.sys.writeBytes(this.handle.vaddr + offset, data);
  }
  /** Where `readString` copies to, kept between reads (a server reads its dataport per request). */
  private scratch: Uint8Array | null = null;
  private piece: Uint8Array | null = null;

  /**
   * The NUL-terminated string at `offset`, at most `max` bytes (strnlen), decoded as UTF-8. Like C
   * reading a string, it touches the bytes up to the NUL and no further: it reads aligned pieces
   * of STRING_PIECE bytes, which never straddle a page, so only the pages the string occupies
   * must be mapped.
   */
  readString(offset = 0, max = this.handle.size - offset): Blocking<string> {
    let buf = this.scratch;
    if (!buf || buf.length < max) buf = this.scratch = new Uint8Array(Math.max(0, max));
    const base = this.handle.vaddr + offset;
    // While every piece is read without a fault (the usual case) there is no generator.
    for (let n = 0; ; ) {
      if (n >= max) return done(decodeUtf8(buf, n));
      const len = pieceLength(base + n, max - n);
      const reading = this.sys.readInto(base + n, this.pieceBuffer(), len);
      if (reading !== FINISHED) return this.readStringAfter(reading, buf, base, n, len, max);
      const end = this.takePiece(buf, n, len);
      if (end < len) return done(decodeUtf8(buf, n + end));
      n += len;
    }
  }

  private *readStringAfter(reading: Blocking<void>, buf: Uint8Array, base: number, n: number, len: number, max: number): Blocking<string> {
    yield* reading;
    for (;;) {
      const end = this.takePiece(buf, n, len);
      if (end < len) return decodeUtf8(buf, n + end);
      n += len;
      if (n >= max) return decodeUtf8(buf, n);
      len = pieceLength(base + n, max - n);
      yield* this.sys.readInto(base + n, this.pieceBuffer(), len);
    }
  }

  private pieceBuffer(): Uint8Array {
    return (this.piece ??= new Uint8Array(STRING_PIECE));
  }

  /** Copies the piece just read into `buf` at `n` up to its NUL; the bytes copied (< len: the NUL was found). */
  private takePiece(buf: Uint8Array, n: number, len: number): number {
    const piece = this.piece!;
    const nul = piece.indexOf(0);
    const end = nul < 0 || nul >= len ? len : nul;
    for (let i = 0; i < end; i++) buf[n + i] = piece[i];
    return end;
  }
  /** Writes `s` and a terminating NUL (strcpy). */
  *writeString(offset: number, s: string): Blocking<void> {
    const b = Buffer.from(s, 'utf8');
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    yield* this.write(offset, out);
  }
  /** memset. */
  *fill(offset: number, len: number, byte = 0): Blocking<void> {
    yield* this.write(offset, new Uint8Array(len).fill(byte));
  }
}

/** The first `n` bytes of `buf` as UTF-8; short ASCII (the usual dataport message) without a Buffer. */
function decodeUtf8(buf: Uint8Array, n: number): string {
  if (n <= 64) {
    let ascii = true;
    for (let i = 0; i < n; i++) if (buf[i] >= 0x80) ascii = false;
    if (ascii) return n === 1 ? String.fromCharCode(buf[0]) : String.fromCharCode.apply(null, buf.subarray(0, n) as unknown as number[]);
  }
  return Buffer.from(buf.buffer, buf.byteOffset, n).toString('utf8');
}

/** Bytes `readString` reads at a time (a divisor of every page size). */
const STRING_PIECE = 64;

/** The next piece `readString` reads at `addr`: up to the next STRING_PIECE boundary, at most `left`. */
function pieceLength(addr: number, left: number): number {
  return Math.min(left, STRING_PIECE - (addr % STRING_PIECE));
}
