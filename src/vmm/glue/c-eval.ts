import { errorAt, type SourcePos } from '../../diagnostics';
import { exprText, type CExpr, type CInit } from './c-expr';

export interface EvalContext {
  /** Value of an identifier that is neither a macro nor handled below; undefined = not a constant. */
  readonly ident?: (name: string, pos: SourcePos) => bigint | undefined;
  /** Element count of a file-level array, for `ARRAY_SIZE(a)` and `sizeof(a)/sizeof(a[0])`. */
  readonly arrayLength?: (name: string) => number | undefined;
}

/**
 * Evaluates an integer constant expression. Arithmetic is exact (bigint); the glue's values
 * (ids, sizes, badges, addresses) all fit without relying on C's wrap-around.
 */
export function evalInt(e: CInit, ctx: EvalContext = {}): bigint {
  const fail = (why: string): never => {
    throw errorAt(e.pos, `expected an integer constant expression, found "${exprText(e)}"${why ? ` (${why})` : ''}`);
  };
  switch (e.kind) {
    case 'int': return e.value;
    case 'ident': {
      const v = ctx.ident?.(e.name, e.pos);
      return v === undefined ? fail(`'${e.name}' is not a constant`) : v;
    }
    case 'cast': return evalInt(e.operand, ctx);
    case 'unary': {
      const v = evalInt(e.operand, ctx);
      switch (e.op) {
        case '-': return -v;
        case '+': return v;
        case '~': return ~v;
        case '!': return v === 0n ? 1n : 0n;
        default: return fail(`operator '${e.op}' is not constant`);
      }
    }
    case 'binary': {
      const count = arrayCountPattern(e, ctx);
      if (count !== undefined) return BigInt(count);
      if (e.op === '&&') return evalInt(e.left, ctx) !== 0n && evalInt(e.right, ctx) !== 0n ? 1n : 0n;
      if (e.op === '||') return evalInt(e.left, ctx) !== 0n || evalInt(e.right, ctx) !== 0n ? 1n : 0n;
      const a = evalInt(e.left, ctx);
      const b = evalInt(e.right, ctx);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0n ? fail('division by zero') : a / b;
        case '%': return b === 0n ? fail('division by zero') : a % b;
        case '<<': return b < 0n || b > 63n ? fail('shift count out of range') : a << b;
        case '>>': return b < 0n || b > 63n ? fail('shift count out of range') : a >> b;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
        case '==': return a === b ? 1n : 0n;
        case '!=': return a !== b ? 1n : 0n;
        case '<': return a < b ? 1n : 0n;
        case '>': return a > b ? 1n : 0n;
        case '<=': return a <= b ? 1n : 0n;
        case '>=': return a >= b ? 1n : 0n;
        default: return fail(`operator '${e.op}' is not constant`);
      }
    }
    case 'cond': return evalInt(e.test, ctx) !== 0n ? evalInt(e.then, ctx) : evalInt(e.otherwise, ctx);
    case 'call': {
      // ARRAY_SIZE comes from the seL4 utils headers, which the reader does not include.
      if (e.callee.kind === 'ident' && e.callee.name === 'ARRAY_SIZE' && e.args.length === 1 && e.args[0].kind === 'ident') {
        const n = ctx.arrayLength?.(e.args[0].name);
        return n === undefined ? fail(`'${e.args[0].name}' is not an array defined in this file`) : BigInt(n);
      }
      return fail('function calls are not constant');
    }
    default: return fail('');
  }
}

/** `sizeof(a) / sizeof(a[0])` or `sizeof(a) / sizeof(*a)`: the element count of array `a`. */
function arrayCountPattern(e: Extract<CExpr, { kind: 'binary' }>, ctx: EvalContext): number | undefined {
  if (e.op !== '/' || e.left.kind !== 'sizeof' || e.right.kind !== 'sizeof') return undefined;
  const whole = e.left.arg;
  const elem = e.right.arg;
  if ('base' in whole || 'base' in elem || whole.kind !== 'ident') return undefined;
  const sameArray =
    (elem.kind === 'index' && elem.object.kind === 'ident' && elem.object.name === whole.name) ||
    (elem.kind === 'unary' && elem.op === '*' && elem.operand.kind === 'ident' && elem.operand.name === whole.name);
  if (!sameArray) return undefined;
  const n = ctx.arrayLength?.(whole.name);
  if (n === undefined) throw errorAt(e.pos, `'${whole.name}' is not an array defined in this file`);
  return n;
}
