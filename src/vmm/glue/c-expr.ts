import type { SourcePos } from '../../diagnostics';
import type { TokenCursor } from './c-cursor';

/** A type as written in a cast, `sizeof` or compound literal: base name plus pointer depth. */
export interface CTypeName {
  /** `int`, `unsigned long`, `struct camkes_crossvm_connection`, `dataport_caps_handle_t`... */
  readonly base: string;
  readonly pointers: number;
  readonly pos: SourcePos;
}

export type CExpr =
  | { readonly kind: 'int'; readonly value: bigint; readonly text: string; readonly pos: SourcePos }
  | { readonly kind: 'string'; readonly value: string; readonly pos: SourcePos }
  | { readonly kind: 'ident'; readonly name: string; readonly pos: SourcePos }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: CExpr; readonly pos: SourcePos }
  | { readonly kind: 'postfix'; readonly op: '++' | '--'; readonly operand: CExpr; readonly pos: SourcePos }
  | { readonly kind: 'binary'; readonly op: string; readonly left: CExpr; readonly right: CExpr; readonly pos: SourcePos }
  | { readonly kind: 'assign'; readonly op: string; readonly target: CExpr; readonly value: CExpr; readonly pos: SourcePos }
  | { readonly kind: 'cond'; readonly test: CExpr; readonly then: CExpr; readonly otherwise: CExpr; readonly pos: SourcePos }
  | { readonly kind: 'call'; readonly callee: CExpr; readonly args: readonly CExpr[]; readonly pos: SourcePos }
  | { readonly kind: 'member'; readonly object: CExpr; readonly member: string; readonly arrow: boolean; readonly pos: SourcePos }
  | { readonly kind: 'index'; readonly object: CExpr; readonly index: CExpr; readonly pos: SourcePos }
  | { readonly kind: 'cast'; readonly type: CTypeName; readonly operand: CExpr; readonly pos: SourcePos }
  | { readonly kind: 'sizeof'; readonly arg: CExpr | CTypeName; readonly pos: SourcePos }
  | { readonly kind: 'compound'; readonly type: CTypeName; readonly init: CInitList; readonly pos: SourcePos };

export type Designator =
  | { readonly kind: 'field'; readonly name: string; readonly pos: SourcePos }
  | { readonly kind: 'index'; readonly index: CExpr; readonly pos: SourcePos };

export interface CInitItem {
  readonly designators: readonly Designator[];
  readonly value: CInit;
  readonly pos: SourcePos;
}
export interface CInitList {
  readonly kind: 'init-list';
  readonly items: readonly CInitItem[];
  readonly pos: SourcePos;
}
export type CInit = CExpr | CInitList;

const BASE_TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', 'bool']);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict']);
const TAG_WORDS = new Set(['struct', 'union', 'enum']);

/** seL4/CAmkES scalar types that do not end in `_t` but are used in casts in glue code. */
const KNOWN_TYPE_NAMES = new Set(['seL4_Word', 'seL4_CPtr', 'seL4_Uint8', 'seL4_Uint16', 'seL4_Uint32', 'seL4_Uint64', 'seL4_Bool']);

/** Decides whether an identifier names a type; the declaration parser adds the file's typedefs. */
export class TypeNames {
  private readonly typedefs = new Set<string>();
  add(name: string): void {
    this.typedefs.add(name);
  }
  isTypeWord(name: string): boolean {
    return BASE_TYPE_WORDS.has(name) || QUALIFIERS.has(name) || TAG_WORDS.has(name);
  }
  /** Typedef names: declared in the file, seL4 scalars, or the `_t` convention of the headers. */
  isTypedefName(name: string): boolean {
    return this.typedefs.has(name) || KNOWN_TYPE_NAMES.has(name) || /^[A-Za-z_]\w*_t$/.test(name);
  }
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const ASSIGN_OPS = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);
const OPERAND_START_KINDS = new Set(['ident', 'number', 'string', 'char']);

/** Recursive-descent parser for C expressions, type names and initialisers. */
export class CExprParser {
  constructor(readonly c: TokenCursor, readonly types: TypeNames) {}

  /** `expr (, expr)*`: the comma operator keeps only the last value; all are kept for call recording. */
  expression(): CExpr {
    let e = this.assignment();
    while (this.c.is(',')) {
      const op = this.c.next(',');
      e = { kind: 'binary', op: ',', left: e, right: this.assignment(), pos: op.pos };
    }
    return e;
  }

  assignment(): CExpr {
    const left = this.conditional();
    const t = this.c.peek();
    if (t && t.kind === 'punct' && ASSIGN_OPS.has(t.text)) {
      this.c.i++;
      return { kind: 'assign', op: t.text, target: left, value: this.assignment(), pos: t.pos };
    }
    return left;
  }

  conditional(): CExpr {
    const test = this.binary(1);
    if (!this.c.is('?')) return test;
    const q = this.c.next('?');
    const then = this.expression();
    this.c.expect(':', "in conditional expression");
    return { kind: 'cond', test, then, otherwise: this.conditional(), pos: q.pos };
  }

  private binary(minPrec: number): CExpr {
    let left = this.unary();
    while (true) {
      const t = this.c.peek();
      const prec = t && t.kind === 'punct' ? BINARY_PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.c.i++;
      const right = this.binary(prec + 1);
      left = { kind: 'binary', op: t!.text, left, right, pos: t!.pos };
    }
  }

  unary(): CExpr {
    const t = this.c.peek();
    if (!t) throw this.c.error('expected an expression');
    if (t.kind === 'punct' && ['&', '*', '+', '-', '~', '!', '++', '--'].includes(t.text)) {
      this.c.i++;
      return { kind: 'unary', op: t.text, operand: this.unary(), pos: t.pos };
    }
    if (t.kind === 'ident' && t.text === 'sizeof') {
      this.c.i++;
      if (this.c.is('(') && this.startsTypeName(1)) {
        this.c.expect('(');
        const type = this.typeName();
        this.c.expect(')', 'after type name in sizeof');
        return { kind: 'sizeof', arg: type, pos: t.pos };
      }
      return { kind: 'sizeof', arg: this.unary(), pos: t.pos };
    }
    if (t.kind === 'punct' && t.text === '(' && this.startsTypeName(1)) {
      this.c.i++;
      const type = this.typeName();
      this.c.expect(')', 'after type name in cast');
      if (this.c.is('{')) return this.postfix({ kind: 'compound', type, init: this.initList(), pos: t.pos });
      return { kind: 'cast', type, operand: this.unary(), pos: t.pos };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: CExpr): CExpr {
    while (true) {
      const t = this.c.peek();
      if (!t || t.kind !== 'punct') return e;
      if (t.text === '(') {
        this.c.i++;
        const args: CExpr[] = [];
        if (!this.c.is(')')) {
          do args.push(this.assignment());
          while (this.c.accept(','));
        }
        this.c.expect(')', 'to close the argument list');
        e = { kind: 'call', callee: e, args, pos: e.pos };
      } else if (t.text === '[') {
        this.c.i++;
        const index = this.expression();
        this.c.expect(']', 'after array index');
        e = { kind: 'index', object: e, index, pos: e.pos };
      } else if (t.text === '.' || t.text === '->') {
        this.c.i++;
        const m = this.c.ident(`a member name after '${t.text}'`);
        e = { kind: 'member', object: e, member: m.text, arrow: t.text === '->', pos: e.pos };
      } else if (t.text === '++' || t.text === '--') {
        this.c.i++;
        e = { kind: 'postfix', op: t.text, operand: e, pos: e.pos };
      } else return e;
    }
  }

  private primary(): CExpr {
    const t = this.c.peek();
    if (!t) throw this.c.error('expected an expression');
    if (t.kind === 'ident' && !this.types.isTypeWord(t.text)) {
      this.c.i++;
      return { kind: 'ident', name: t.text, pos: t.pos };
    }
    if (t.kind === 'number' || t.kind === 'char') {
      this.c.i++;
      return { kind: 'int', value: t.value!, text: t.text, pos: t.pos };
    }
    if (t.kind === 'string') {
      let value = '';
      while (this.c.peek()?.kind === 'string') value += this.c.next('string').str; // adjacent literals concatenate
      return { kind: 'string', value, pos: t.pos };
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.c.i++;
      const e = this.expression();
      this.c.expect(')', 'to close the parenthesised expression');
      return e;
    }
    throw this.c.error('expected an expression');
  }

  /** Does a type name start `k` tokens ahead? Decides cast versus parenthesised expression. */
  startsTypeName(k: number): boolean {
    const t = this.c.peek(k);
    if (!t || t.kind !== 'ident') return false;
    if (this.types.isTypeWord(t.text)) return true;
    if (this.types.isTypedefName(t.text)) return true;
    // `(name *)` and `(name) operand` can only be casts in C; `(name) - x` stays an expression.
    let j = k + 1;
    while (this.c.is('*', j)) j++;
    if (!this.c.is(')', j)) return false;
    if (j > k + 1) return true;
    const after = this.c.peek(j + 1);
    return after !== undefined && (OPERAND_START_KINDS.has(after.kind) || after.text === '(' || after.text === '{');
  }

  /** Specifiers and an abstract declarator made of `*`s: enough for the casts glue code writes. */
  typeName(): CTypeName {
    const pos = this.c.pos();
    const words: string[] = [];
    let sawBase = false;
    while (true) {
      const t = this.c.peek();
      if (!t || t.kind !== 'ident') break;
      if (QUALIFIERS.has(t.text)) { this.c.i++; continue; }
      if (TAG_WORDS.has(t.text)) {
        this.c.i++;
        words.push(`${t.text} ${this.c.ident(`a ${t.text} tag name`).text}`);
        sawBase = true;
        continue;
      }
      if (BASE_TYPE_WORDS.has(t.text)) { this.c.i++; words.push(t.text); sawBase = true; continue; }
      if (!sawBase) { this.c.i++; words.push(t.text); sawBase = true; continue; }
      break;
    }
    if (!words.length) throw this.c.error('expected a type name');
    let pointers = 0;
    while (this.c.accept('*')) {
      pointers++;
      while (this.c.peek() && QUALIFIERS.has(this.c.peek()!.text)) this.c.i++;
    }
    if (this.c.is('(') || this.c.is('[')) throw this.c.error('function-pointer and array type names are not supported here; expected \')\'');
    return { base: words.join(' '), pointers, pos };
  }

  /** `{ [designators =] init, ... }` with an optional trailing comma. */
  initList(): CInitList {
    const open = this.c.expect('{');
    const items: CInitItem[] = [];
    while (!this.c.is('}')) {
      const pos = this.c.pos();
      const designators: Designator[] = [];
      while (this.c.is('.') || this.c.is('[')) {
        const d = this.c.next('designator');
        if (d.text === '.') designators.push({ kind: 'field', name: this.c.ident('a field name after \'.\'').text, pos: d.pos });
        else {
          const index = this.conditional();
          this.c.expect(']', 'after array designator');
          designators.push({ kind: 'index', index, pos: d.pos });
        }
      }
      if (designators.length) this.c.expect('=', 'after designator');
      items.push({ designators, value: this.initializer(), pos });
      if (!this.c.accept(',')) break;
    }
    this.c.expect('}', 'to close the initialiser list');
    return { kind: 'init-list', items, pos: open.pos };
  }

  initializer(): CInit {
    return this.c.is('{') ? this.initList() : this.assignment();
  }
}

/** Every call in an expression, outer calls before the calls in their arguments (source order). */
export function callsIn(e: CExpr | CInit | undefined, out: Extract<CExpr, { kind: 'call' }>[] = []): Extract<CExpr, { kind: 'call' }>[] {
  if (!e) return out;
  switch (e.kind) {
    case 'call': out.push(e); callsIn(e.callee, out); e.args.forEach((a) => callsIn(a, out)); break;
    case 'unary': case 'postfix': case 'cast': callsIn(e.operand, out); break;
    case 'binary': callsIn(e.left, out); callsIn(e.right, out); break;
    case 'assign': callsIn(e.target, out); callsIn(e.value, out); break;
    case 'cond': callsIn(e.test, out); callsIn(e.then, out); callsIn(e.otherwise, out); break;
    case 'member': callsIn(e.object, out); break;
    case 'index': callsIn(e.object, out); callsIn(e.index, out); break;
    case 'compound': callsIn(e.init, out); break;
    case 'init-list': e.items.forEach((it) => callsIn(it.value, out)); break;
    default: break;
  }
  return out;
}

/** C source text of an expression, for messages and records ("&data_handle", "ARRAY_SIZE(connections)"). */
export function exprText(e: CInit): string {
  switch (e.kind) {
    case 'int': return e.text;
    case 'string': return JSON.stringify(e.value);
    case 'ident': return e.name;
    case 'unary': return `${e.op}${exprText(e.operand)}`;
    case 'postfix': return `${exprText(e.operand)}${e.op}`;
    case 'binary': return `${exprText(e.left)}${e.op === ',' ? ', ' : ` ${e.op} `}${exprText(e.right)}`;
    case 'assign': return `${exprText(e.target)} ${e.op} ${exprText(e.value)}`;
    case 'cond': return `${exprText(e.test)} ? ${exprText(e.then)} : ${exprText(e.otherwise)}`;
    case 'call': return `${exprText(e.callee)}(${e.args.map(exprText).join(', ')})`;
    case 'member': return `${exprText(e.object)}${e.arrow ? '->' : '.'}${e.member}`;
    case 'index': return `${exprText(e.object)}[${exprText(e.index)}]`;
    case 'cast': return `(${typeText(e.type)})${exprText(e.operand)}`;
    case 'sizeof': return `sizeof(${'base' in e.arg ? typeText(e.arg) : exprText(e.arg)})`;
    case 'compound': return `(${typeText(e.type)})${exprText(e.init)}`;
    case 'init-list':
      return `{ ${e.items.map((it) => it.designators.map((d) => (d.kind === 'field' ? `.${d.name}` : `[${exprText(d.index)}]`)).join('') + (it.designators.length ? ' = ' : '') + exprText(it.value)).join(', ')} }`;
  }
}

export function typeText(t: CTypeName): string {
  return t.pointers ? `${t.base} ${'*'.repeat(t.pointers)}` : t.base;
}
