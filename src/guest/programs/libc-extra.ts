import type { GuestStep } from '../kernel/kernel';
import type { Libc } from '../kernel/libc';

/**
 * The C library's `assert` failure: uClibc-ng's `__assert` text, then abort (SIGABRT; the shell
 * prints `Aborted`). UNCONFIRMED: which C library the buildroot image used, and the source line
 * numbers of the camkes-vm-linux programs (only print_client's, from the tutorial, are known).
 */
export function* assertThat(c: Libc, ok: boolean, expr: string, where: { file: string; line: number; func?: string }): GuestStep<void> {
  if (ok) return;
  yield* c.fflush();
  yield* c.eprintf(`${c.p.comm}: ${where.file}: ${where.line}: ${where.func ?? 'main'}: Assertion \`${expr}' failed.\n`);
  c.abort();
}

/** strtoul(s, NULL, 0): base detection, leading junk stops the number (0 if none). */
export function strtoul(s: string): number {
  const t = s.trimStart();
  let m = /^[+-]?0[xX]([0-9a-fA-F]+)/.exec(t);
  if (m) return (t.startsWith('-') ? -1 : 1) * parseInt(m[1], 16);
  m = /^[+-]?0([0-7]*)/.exec(t);
  if (m) return (t.startsWith('-') ? -1 : 1) * (m[1] ? parseInt(m[1], 8) : 0);
  m = /^[+-]?\d+/.exec(t);
  return m ? Number(m[0]) : 0;
}

/** atoi / strtol base 10. */
export function atoi(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? Number(m[0]) | 0 : 0;
}

/** printf `%d` of a value held in an int. */
export function int32(v: number): number {
  return v | 0;
}

/** A C string read from a user buffer: the bytes up to the first NUL. */
export function cString(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul >= 0 ? bytes.subarray(0, nul) : bytes;
}

/**
 * `%s` of a pointer into a mapping: the bytes up to the NUL; a string that runs off the end of
 * the mapping reads unmapped memory (SIGSEGV, from Libc.load).
 */
export function* readCString(c: Libc, addr: number): GuestStep<Uint8Array> {
  const all = yield* c.loadToEnd(addr);
  const nul = all.indexOf(0);
  if (nul < 0) yield* c.load(addr + all.length, 1);
  return all.subarray(0, nul);
}

/**
 * The read loop of both generations' dataport_write: `char c = getchar()` compared with EOF, so
 * a 0xFF byte ends the copy where char is signed (x86) and EOF is never seen where it is
 * unsigned (Arm): the rest of the buffer, up to size - 1, fills with 0xFF. Then a NUL.
 */
export function* readStdinAsCString(c: Libc, size: number, unsignedChar: boolean): GuestStep<Uint8Array> {
  const out: number[] = [];
  while (out.length < size - 1) {
    const ch = yield* c.getchar();
    const stored = ch < 0 ? 0xff : ch;
    const asChar = unsignedChar ? stored : stored >= 128 ? stored - 256 : stored;
    if (asChar === -1) break;
    out.push(stored);
  }
  out.push(0);
  return Uint8Array.from(out);
}
