/**
 * busybox `echo` (coreutils/echo.c, which ash uses as its builtin), byte for byte, because
 * `echo -ne "...\0" | dataport_write` feeds the exact bytes into a dataport.
 *
 * - Leading arguments made only of `-` plus the letters n, e, E are options (`-n`: no newline,
 *   `-e`: escapes on, `-E`: off, the default); `-` alone, `--` or `-x` end option parsing and
 *   are printed.
 * - With `-e`: `\c` stops all output (and the newline); `\0NNN` is octal with up to three digits
 *   after the 0; otherwise bb_process_escape_sequence: `\NNN` octal (stopping before a value
 *   above 255), `\xHH` (up to two hex digits; `\x` with none gives a NUL byte), and
 *   `\a \b \e \f \n \r \t \v \\`; any other `\z` prints `\z`, and a trailing `\` prints `\`.
 *
 * Arguments are JavaScript strings; characters are written as UTF-8, escapes as raw bytes.
 */
export function busyboxEcho(args: readonly string[]): Uint8Array {
  let newline = true;
  let escapes = false;
  let k = 0;
  for (; k < args.length; k++) {
    const a = args[k];
    if (a[0] !== '-' || a.length === 1 || !/^-[neE]+$/.test(a)) break;
    for (const c of a.slice(1)) {
      if (c === 'n') newline = false;
      else if (c === 'e') escapes = true;
      else escapes = false;
    }
  }
  const out: number[] = [];
  const enc = new TextEncoder();
  const text = (s: string): void => {
    for (const b of enc.encode(s)) out.push(b);
  };
  for (let a = k; a < args.length; a++) {
    if (a > k) out.push(0x20);
    const s = args[a];
    if (!escapes) { text(s); continue; }
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (c !== '\\') {
        const cp = s.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        text(ch);
        i += ch.length;
        continue;
      }
      i++;
      if (s[i] === 'c') return new Uint8Array(out); // no newline either
      if (s[i] === '0' && isOctal(s[i + 1])) i++; // \0NNN: the 0 is a prefix
      const r = processEscape(s, i);
      out.push(r.byte);
      i = r.next;
    }
  }
  if (newline) out.push(0x0a);
  return new Uint8Array(out);
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

const LETTER_ESCAPES: Record<string, number> = { a: 7, b: 8, e: 27, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/** busybox libbb/process_escape_sequence.c, starting just after the backslash. */
function processEscape(s: string, i: number): { byte: number; next: number } {
  let base = 8;
  let digits = 0;
  let n = 0;
  let q = i;
  if (s[q] === 'x') {
    q++;
    base = 16;
    digits = 1;
  }
  do {
    const ch = s[q];
    if (ch === undefined) break;
    const d = parseInt(ch, 16);
    if (Number.isNaN(d) || d >= base) break;
    const r = n * base + d;
    if (r > 255) break;
    n = r;
    q++;
  } while (++digits < 3);
  if (digits === 0) {
    // Not numeric: a one-letter escape, or the backslash itself with the character left in place.
    const ch = s[q];
    if (ch !== undefined && ch in LETTER_ESCAPES) return { byte: LETTER_ESCAPES[ch], next: q + 1 };
    return { byte: 0x5c, next: q };
  }
  return { byte: n, next: q };
}
