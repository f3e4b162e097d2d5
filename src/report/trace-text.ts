import type { TraceEvent } from '../sel4/trace';

/** Shortens `s` to `n` characters with an ellipsis. */
export function cut(s: string, n: number): string {
  return s.length > n ? s.slice(0, Math.max(1, n - 1)) + '…' : s;
}

/** One event in words: operation, object, value in brackets, result after an arrow. */
export function describe(e: TraceEvent): string {
  const parts = [e.op, e.object];
  if (e.value !== undefined && e.value !== '') parts.push(`(${e.value})`);
  if (e.result !== undefined && e.result !== '') parts.push(`→ ${e.result}`);
  return parts.filter((p) => p !== '').join(' ');
}

/** Virtual time in the unit that keeps it short: 12.580000 s, 3.500 ms, 1.2 µs, 40 ns. */
export function time(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(6)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns} ns`;
}
