import { errorAt, type SourcePos } from '../../diagnostics';

/**
 * `$((...))` after its parameters are expanded: integer arithmetic as busybox `math.c` does it
 * (64-bit signed, C operators and precedence; variable names read as numbers, unset as 0).
 * Assignment operators are not supported (no glue or init script uses them).
 */
export function evalArith(expr: string, env: { get(name: string): string | undefined }, pos: SourcePos): string {
  const toks = expr.match(/\s+|0[xX][0-9a-fA-F]+|[0-9]+|[A-Za-z_][A-Za-z0-9_]*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>&|^!~?:]|./g) ?? [];
  const t = toks.filter((x) => !/^\s+$/.test(x));
  let i = 0;
  const fail = (msg = 'arithmetic syntax error'): never => {
    throw errorAt(pos, msg);
  };
  const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
  const num = (s: string): bigint => {
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) return BigInt(s);
    if (/^0[0-7]+$/.test(s)) return BigInt('0o' + s.slice(1));
    if (/^[0-9]+$/.test(s)) return BigInt(s);
    return fail();
  };
  const PREC: Record<string, number> = {
    '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
  };
  const primary = (depth: number): bigint => {
    if (depth > 200) fail('expression recursion loop detected');
    const x = t[i++];
    if (x === undefined) return fail();
    if (x === '(') {
      const v = ternary(depth + 1);
      if (t[i++] !== ')') fail();
      return v;
    }
    if (x === '-') return wrap(-primary(depth + 1));
    if (x === '+') return primary(depth + 1);
    if (x === '!') return primary(depth + 1) === 0n ? 1n : 0n;
    if (x === '~') return wrap(~primary(depth + 1));
    if (/^[A-Za-z_]/.test(x)) {
      const v = env.get(x);
      return v === undefined || v === '' ? 0n : num(v.trim());
    }
    return num(x);
  };
  const binary = (min: number, depth: number): bigint => {
    let left = primary(depth);
    while (i < t.length && PREC[t[i]] !== undefined && PREC[t[i]] >= min) {
      const op = t[i++];
      const right = binary(PREC[op] + 1, depth + 1);
      switch (op) {
        case '||': left = left !== 0n || right !== 0n ? 1n : 0n; break;
        case '&&': left = left !== 0n && right !== 0n ? 1n : 0n; break;
        case '|': left = left | right; break;
        case '^': left = left ^ right; break;
        case '&': left = left & right; break;
        case '==': left = left === right ? 1n : 0n; break;
        case '!=': left = left !== right ? 1n : 0n; break;
        case '<': left = left < right ? 1n : 0n; break;
        case '>': left = left > right ? 1n : 0n; break;
        case '<=': left = left <= right ? 1n : 0n; break;
        case '>=': left = left >= right ? 1n : 0n; break;
        case '<<': left = wrap(left << (right & 63n)); break;
        case '>>': left = left >> (right & 63n); break;
        case '+': left = wrap(left + right); break;
        case '-': left = wrap(left - right); break;
        case '*': left = wrap(left * right); break;
        case '/': left = right === 0n ? fail('divide by zero') : wrap(left / right); break;
        case '%': left = right === 0n ? fail('divide by zero') : left % right; break;
      }
    }
    return left;
  };
  const ternary = (depth: number): bigint => {
    const c = binary(1, depth);
    if (t[i] !== '?') return c;
    i++;
    const a = ternary(depth + 1);
    if (t[i++] !== ':') fail();
    const b = ternary(depth + 1);
    return c !== 0n ? a : b;
  };
  if (t.length === 0) return '0';
  const v = ternary(0);
  if (i !== t.length) fail();
  return v.toString();
}
