import { errorAt } from '../diagnostics';

/** One parsed line of an NDJSON file, with the line it came from for later messages. */
export interface Line<T> {
  readonly line: number;
  readonly value: T;
}

/**
 * Parses newline-delimited JSON. A line that is not a JSON object is rejected with its position;
 * blank lines are allowed (a file cut short by a crash often ends with one).
 */
export function parseNdjson(file: string, text: string): Line<Record<string, unknown>>[] {
  const out: Line<Record<string, unknown>>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const src = lines[i].replace(/\r$/, '');
    if (src.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(src);
    } catch (e) {
      const m = /position (\d+)/.exec(String((e as Error).message));
      const col = m ? Number(m[1]) + 1 : 1;
      throw errorAt({ file, line: i + 1, col }, `expected one JSON object per line: ${(e as Error).message.split('\n')[0]}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw errorAt({ file, line: i + 1, col: 1 }, 'expected one JSON object per line');
    out.push({ line: i + 1, value: value as Record<string, unknown> });
  }
  return out;
}
