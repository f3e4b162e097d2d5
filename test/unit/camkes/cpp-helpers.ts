import * as path from 'node:path';
import { preprocess, type PreprocessOptions, type PreprocessResult } from '../../../src/camkes/cpp';

/** Preprocesses `text` as `main.camkes`, with `files` as a virtual file system (paths as written). */
export function pp(text: string, files: Record<string, string> = {}, opts: PreprocessOptions = {}): PreprocessResult {
  const readFile = (p: string): string | undefined => files[path.normalize(p)];
  return preprocess('main.camkes', { readFile, ...opts, text });
}

const TOKEN = /\s*(?:([A-Za-z_$][\w$]*)|(\.?\d(?:[eEpP][+-]|[\w.])*)|((?:L|u8|u|U)?"(?:[^"\\\n]|\\.)*")|((?:L|u|U)?'(?:[^'\\\n]|\\.)*')|(%:%:|\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[*/%+\-&^|]=|##|<:|:>|<%|%>|%:|[[\](){}.&*+\-~!/%<>^|?:;=,#])|(\S))/y;

/** An independent, simple C tokenizer for comparing outputs while ignoring whitespace. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    const m = TOKEN.exec(text);
    if (!m) break;
    const t = m.slice(1).find((x) => x !== undefined);
    if (t === undefined) break;
    out.push(t);
  }
  return out;
}

/** The output as tokens joined by single spaces: whitespace-insensitive, easy to read in failures. */
export function flat(text: string, files?: Record<string, string>, opts?: PreprocessOptions): string {
  return tokens(pp(text, files, opts).text).join(' ');
}
