import type { StatResult } from '../kernel/libc';

/**
 * busybox `test` / `[` (coreutils/test.c) for the forms scripts use: unary file and string
 * tests, string and integer comparisons, `!`, `-a`, `-o`. Returns the status and an error text.
 */
export function runTest(args: string[], stat: (path: string) => StatResult | null): { status: number; error?: string } {
  let i = 0;
  const fail = (msg: string) => ({ status: 2, error: msg });
  const unary = new Set(['-e', '-f', '-d', '-c', '-x', '-r', '-w', '-s', '-n', '-z', '-L', '-h', '-b', '-p', '-S']);
  const binary = new Set(['=', '==', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
  const integer = (s: string): number | string => (/^\s*-?\d+\s*$/.test(s) ? Number(s) : `${s}: bad number`);

  const primary = (): boolean | string => {
    if (i >= args.length) return 'argument expected';
    const a = args[i];
    if (a === '!') {
      i++;
      const r = primary();
      return typeof r === 'string' ? r : !r;
    }
    if (a === '(') {
      i++;
      const r = orExpr();
      if (args[i] !== ')') return "')' expected";
      i++;
      return r;
    }
    if (i + 2 < args.length + 1 && binary.has(args[i + 1]) && i + 2 < args.length) {
      const l = args[i];
      const op = args[i + 1];
      const r = args[i + 2];
      i += 3;
      if (op === '=' || op === '==') return l === r;
      if (op === '!=') return l !== r;
      const x = integer(l);
      const y = integer(r);
      if (typeof x === 'string') return x;
      if (typeof y === 'string') return y;
      return op === '-eq' ? x === y : op === '-ne' ? x !== y : op === '-lt' ? x < y : op === '-le' ? x <= y : op === '-gt' ? x > y : x >= y;
    }
    if (unary.has(a) && i + 1 < args.length) {
      const v = args[i + 1];
      i += 2;
      if (a === '-n') return v.length > 0;
      if (a === '-z') return v.length === 0;
      const st = stat(v);
      if (!st) return false;
      switch (a) {
        case '-f': return st.kind === 'file';
        case '-d': return st.kind === 'dir';
        case '-c': return st.kind === 'chr';
        case '-x': return st.executable;
        case '-s': return st.size > 0;
        case '-L': case '-h': case '-b': case '-p': case '-S': return false;
        default: return true;
      }
    }
    i++;
    return a.length > 0;
  };
  const andExpr = (): boolean | string => {
    let r = primary();
    while (typeof r !== 'string' && args[i] === '-a') {
      i++;
      const s = primary();
      if (typeof s === 'string') return s;
      r = r && s;
    }
    return r;
  };
  const orExpr = (): boolean | string => {
    let r = andExpr();
    while (typeof r !== 'string' && args[i] === '-o') {
      i++;
      const s = andExpr();
      if (typeof s === 'string') return s;
      r = r || s;
    }
    return r;
  };

  if (!args.length) return { status: 1 };
  const r = orExpr();
  if (typeof r === 'string') return fail(r);
  if (i < args.length) return fail(`${args[i]}: unknown operand`);
  return { status: r ? 0 : 1 };
}
