import type { SourcePos } from '../../diagnostics';
import { TokenCursor } from './c-cursor';
import { callsIn, CExprParser, TypeNames, type CExpr, type CInit, type CTypeName } from './c-expr';
import type { CToken } from './c-lexer';

export interface CStorage {
  readonly static: boolean;
  readonly extern: boolean;
  readonly const: boolean;
}

export interface CParam {
  readonly name: string | null;
  readonly type: CTypeName;
  readonly pos: SourcePos;
}

export type CallExpr = Extract<CExpr, { kind: 'call' }>;

/** What the reader keeps of a function body: the calls and assignments, in source order. */
export interface CFunctionBody {
  readonly pos: SourcePos;
  readonly calls: readonly CallExpr[];
  readonly assignments: readonly Extract<CExpr, { kind: 'assign' }>[];
}

export type CExternal =
  | {
      readonly kind: 'var';
      readonly name: string;
      readonly pos: SourcePos;
      readonly storage: CStorage;
      readonly type: CTypeName;
      /** Array dimensions as written (`[]` is null); empty for a scalar. */
      readonly arrayDims: readonly (CExpr | null)[];
      readonly init?: CInit;
    }
  | {
      readonly kind: 'function';
      readonly name: string;
      readonly pos: SourcePos;
      readonly storage: CStorage;
      readonly returnType: CTypeName;
      readonly params: readonly CParam[];
      /** Absent for a prototype. */
      readonly body?: CFunctionBody;
    }
  /** A file-level macro use the reader cannot expand (its header is not read): `DEFINE_MODULE(...)`. */
  | { readonly kind: 'invocation'; readonly name: string; readonly args: readonly CExpr[]; readonly pos: SourcePos }
  | { readonly kind: 'typedef'; readonly name: string; readonly pos: SourcePos };

const STORAGE_WORDS = new Set(['static', 'extern', 'register', 'auto', 'inline', '__inline', '_Thread_local']);
const STATEMENT_WORDS = new Set(['if', 'else', 'while', 'do', 'for', 'switch', 'case', 'default', 'return', 'break', 'continue', 'goto']);

interface Specifiers {
  readonly storage: CStorage;
  readonly base: string;
  readonly pos: SourcePos;
  readonly typedef: boolean;
}

interface Declarator {
  readonly name: string | null;
  readonly pos: SourcePos;
  readonly pointers: number;
  readonly arrayDims: (CExpr | null)[];
  readonly params?: CParam[];
}

/** Parses the file-level declarations of a preprocessed glue file. */
export class CParser {
  private readonly c: TokenCursor;
  private readonly types = new TypeNames();
  private readonly ex: CExprParser;

  constructor(tokens: readonly CToken[], endPos: SourcePos) {
    this.c = new TokenCursor(tokens, endPos);
    this.ex = new CExprParser(this.c, this.types);
  }

  translationUnit(): CExternal[] {
    const out: CExternal[] = [];
    while (!this.c.atEnd()) {
      if (this.c.accept(';')) continue;
      const t = this.c.peek()!;
      if (t.kind === 'ident' && this.c.is('(', 1) && !this.types.isTypeWord(t.text) && !this.types.isTypedefName(t.text)) {
        out.push(this.invocation());
        continue;
      }
      out.push(...this.declaration());
    }
    return out;
  }

  private invocation(): CExternal {
    const name = this.c.ident('a name');
    this.c.expect('(');
    const args: CExpr[] = [];
    if (!this.c.is(')')) {
      do args.push(this.ex.assignment());
      while (this.c.accept(','));
    }
    this.c.expect(')', `to close the arguments of ${name.text}`);
    this.c.accept(';');
    return { kind: 'invocation', name: name.text, args, pos: name.pos };
  }

  private specifiers(context: string): Specifiers {
    const pos = this.c.pos();
    let isStatic = false;
    let isExtern = false;
    let isConst = false;
    let typedef = false;
    const words: string[] = [];
    let sawBase = false;
    while (true) {
      const t = this.c.peek();
      if (!t || t.kind !== 'ident') break;
      if (t.text === '__attribute__') { this.c.i++; this.c.skipBalanced(); continue; }
      if (t.text === 'typedef') { typedef = true; this.c.i++; continue; }
      if (STORAGE_WORDS.has(t.text)) {
        this.c.i++;
        if (t.text === 'static') isStatic = true;
        if (t.text === 'extern') isExtern = true;
        continue;
      }
      if (t.text === 'const' || t.text === 'volatile' || t.text === 'restrict') { this.c.i++; isConst ||= t.text === 'const'; continue; }
      if (t.text === 'struct' || t.text === 'union' || t.text === 'enum') {
        this.c.i++;
        const tag = this.c.peek()?.kind === 'ident' ? this.c.next('tag').text : '<anonymous>';
        if (this.c.is('{')) this.c.skipBalanced(); // member lists are not needed: layouts are known by type name
        words.push(`${t.text} ${tag}`);
        sawBase = true;
        continue;
      }
      if (this.types.isTypeWord(t.text)) { this.c.i++; words.push(t.text); sawBase = true; continue; }
      if (!sawBase && !STATEMENT_WORDS.has(t.text)) { this.c.i++; words.push(t.text); sawBase = true; continue; }
      break;
    }
    if (!words.length) throw this.c.error(`expected a type ${context}`);
    return { storage: { static: isStatic, extern: isExtern, const: isConst }, base: words.join(' '), pos, typedef };
  }

  private declarator(allowAbstract: boolean): Declarator {
    let pointers = 0;
    while (this.c.accept('*')) {
      pointers++;
      while (this.c.accept('const') || this.c.accept('volatile') || this.c.accept('restrict'));
    }
    let name: string | null = null;
    let pos = this.c.pos();
    if (this.c.is('(') && this.c.is('*', 1)) {
      // A function pointer `(*name)(params)`: kept as a pointer; its parameters are not needed.
      this.c.next('(');
      while (this.c.accept('*')) pointers++;
      if (this.c.peek()?.kind === 'ident') { const t = this.c.next('name'); name = t.text; pos = t.pos; }
      this.c.expect(')', 'to close the function-pointer declarator');
      if (this.c.is('(')) this.c.skipBalanced();
    } else if (this.c.peek()?.kind === 'ident') {
      const t = this.c.next('name');
      name = t.text;
      pos = t.pos;
    } else if (!allowAbstract) throw this.c.error('expected a declarator name');
    const arrayDims: (CExpr | null)[] = [];
    let params: CParam[] | undefined;
    while (true) {
      if (this.c.accept('[')) {
        arrayDims.push(this.c.is(']') ? null : this.ex.conditional());
        this.c.expect(']', 'to close the array dimension');
      } else if (this.c.is('(') && params === undefined && !arrayDims.length) {
        params = this.parameters();
      } else break;
    }
    while (this.c.is('__attribute__')) { this.c.next('__attribute__'); this.c.skipBalanced(); }
    return { name, pos, pointers, arrayDims, params };
  }

  private parameters(): CParam[] {
    this.c.expect('(');
    const params: CParam[] = [];
    if (this.c.is('void') && this.c.is(')', 1)) this.c.next('void');
    else if (!this.c.is(')')) {
      do {
        if (this.c.accept('...')) break;
        const spec = this.specifiers('in parameter list');
        const d = this.declarator(true);
        params.push({ name: d.name, type: { base: spec.base, pointers: d.pointers + d.arrayDims.length, pos: spec.pos }, pos: d.name ? d.pos : spec.pos });
      } while (this.c.accept(','));
    }
    this.c.expect(')', 'to close the parameter list');
    return params;
  }

  private declaration(): CExternal[] {
    const spec = this.specifiers('at file level (expected a declaration or function definition)');
    const out: CExternal[] = [];
    if (this.c.accept(';')) return out; // `struct x { ... };`
    while (true) {
      const d = this.declarator(false);
      const type = { base: spec.base, pointers: d.pointers, pos: spec.pos };
      if (spec.typedef) {
        this.types.add(d.name!);
        out.push({ kind: 'typedef', name: d.name!, pos: d.pos });
      } else if (d.params) {
        const body = this.c.is('{') && out.length === 0 ? this.functionBody() : undefined;
        out.push({ kind: 'function', name: d.name!, pos: d.pos, storage: spec.storage, returnType: type, params: d.params, body });
        if (body) return out;
      } else {
        const init = this.c.accept('=') ? this.ex.initializer() : undefined;
        out.push({ kind: 'var', name: d.name!, pos: d.pos, storage: spec.storage, type, arrayDims: d.arrayDims, init });
      }
      if (this.c.accept(',')) continue;
      this.c.expect(';', `after the declaration of '${d.name}'`);
      return out;
    }
  }

  private functionBody(): CFunctionBody {
    const pos = this.c.pos();
    const calls: CallExpr[] = [];
    const assignments: Extract<CExpr, { kind: 'assign' }>[] = [];
    const record = (e: CInit | undefined): void => {
      if (!e) return;
      calls.push(...callsIn(e));
      collectAssignments(e, assignments);
    };
    this.compound(record);
    return { pos, calls, assignments };
  }

  private compound(record: (e: CInit | undefined) => void): void {
    this.c.expect('{');
    while (!this.c.is('}')) {
      if (this.c.atEnd()) throw this.c.error("expected '}' at end of function body");
      this.statement(record);
    }
    this.c.expect('}');
  }

  /** Statements are walked only to find the expressions in them; control flow is not modelled. */
  private statement(record: (e: CInit | undefined) => void): void {
    const t = this.c.peek();
    if (!t) throw this.c.error('expected a statement');
    if (t.text === '{' && t.kind === 'punct') return this.compound(record);
    if (t.text === ';' && t.kind === 'punct') { this.c.i++; return; }
    if (t.kind === 'ident') {
      const paren = (): void => {
        this.c.expect('(', `after '${t.text}'`);
        record(this.ex.expression());
        this.c.expect(')', `to close the '${t.text}' condition`);
      };
      switch (t.text) {
        case 'if':
          this.c.i++; paren(); this.statement(record);
          if (this.c.accept('else')) this.statement(record);
          return;
        case 'while': case 'switch':
          this.c.i++; paren(); this.statement(record); return;
        case 'do':
          this.c.i++; this.statement(record); this.c.expect('while', "after 'do' body");
          this.c.expect('(', "after 'while'"); record(this.ex.expression()); this.c.expect(')', "to close the 'while' condition");
          this.c.expect(';', "after 'do ... while (...)'");
          return;
        case 'for': {
          this.c.i++;
          this.c.expect('(', "after 'for'");
          if (this.startsDeclaration()) this.localDeclaration(record);
          else { if (!this.c.is(';')) record(this.ex.expression()); this.c.expect(';', "in 'for'"); }
          if (!this.c.is(';')) record(this.ex.expression());
          this.c.expect(';', "in 'for'");
          if (!this.c.is(')')) record(this.ex.expression());
          this.c.expect(')', "to close 'for'");
          this.statement(record);
          return;
        }
        case 'case':
          this.c.i++; record(this.ex.conditional()); this.c.expect(':', "after 'case' value"); return;
        case 'default':
          this.c.i++; this.c.expect(':', "after 'default'"); return;
        case 'return':
          this.c.i++; if (!this.c.is(';')) record(this.ex.expression()); this.c.expect(';', "after 'return'"); return;
        case 'break': case 'continue':
          this.c.i++; this.c.expect(';', `after '${t.text}'`); return;
        case 'goto':
          this.c.i++; this.c.ident('a label'); this.c.expect(';', "after 'goto'"); return;
        default:
          if (this.c.is(':', 1)) { this.c.i += 2; return; } // a label
      }
      if (this.startsDeclaration()) return this.localDeclaration(record);
    }
    record(this.ex.expression());
    this.c.expect(';', 'after expression');
  }

  private startsDeclaration(): boolean {
    const t = this.c.peek();
    if (!t || t.kind !== 'ident' || STATEMENT_WORDS.has(t.text)) return false;
    if (STORAGE_WORDS.has(t.text) || t.text === 'typedef' || this.types.isTypeWord(t.text)) return true;
    if (this.types.isTypedefName(t.text)) return true;
    // `name name` and `name *name =` can only be declarations.
    const n1 = this.c.peek(1);
    if (n1?.kind === 'ident') return true;
    return n1?.text === '*' && this.c.peek(2)?.kind === 'ident' && (this.c.is('=', 3) || this.c.is(';', 3));
  }

  private localDeclaration(record: (e: CInit | undefined) => void): void {
    this.specifiers('in declaration');
    if (this.c.accept(';')) return;
    do {
      this.declarator(false);
      if (this.c.accept('=')) record(this.ex.initializer());
    } while (this.c.accept(','));
    this.c.expect(';', 'after declaration');
  }
}

function collectAssignments(e: CInit, out: Extract<CExpr, { kind: 'assign' }>[]): void {
  switch (e.kind) {
    case 'assign': out.push(e); collectAssignments(e.value, out); break;
    case 'binary': collectAssignments(e.left, out); collectAssignments(e.right, out); break;
    case 'cond': collectAssignments(e.then, out); collectAssignments(e.otherwise, out); break;
    case 'call': e.args.forEach((a) => collectAssignments(a, out)); break;
    case 'cast': case 'unary': collectAssignments(e.operand, out); break;
    default: break;
  }
}
