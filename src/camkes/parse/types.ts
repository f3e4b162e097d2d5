/** Types, attribute declarations, includes and procedures (reference A.3, A.6, A.7). */
import type {
  Attribute, Direction, Include, Method, Parameter, ProcedureDecl, StructDefn, TypeExpr,
} from '../ast';
import type { Stream } from './stream';
import { item, strings } from './values';

const TYPE_WHAT = 'a type';

/**
 * `type := int | integer | signed (int|integer)? | unsigned (int|integer)? | char | signed char
 *        | unsigned char | string | uint64_t | int64_t | struct ID | reference | struct_defn`
 */
export function typeExpr(s: Stream, what = TYPE_WHAT): TypeExpr {
  const t = s.peek();
  const pos = s.pos(t);
  if (t.kind === 'kw') {
    switch (t.text) {
      case 'int':
      case 'integer':
      case 'char':
      case 'string':
      case 'uint64_t':
      case 'int64_t':
        s.next();
        return { kind: 'keyword-type', pos, name: t.text };
      case 'signed':
      case 'unsigned': {
        s.next();
        const u = s.peek();
        if (u.kind === 'kw' && (u.text === 'int' || u.text === 'integer' || u.text === 'char')) {
          s.next();
          return { kind: 'keyword-type', pos, name: `${t.text} ${u.text}` };
        }
        return { kind: 'keyword-type', pos, name: t.text };
      }
      case 'struct':
        s.next();
        return { kind: 'struct-type', pos, name: s.id('a struct name') };
    }
  }
  if (s.is('{')) return s.nest(() => structDefn(s));
  if (s.isId()) return { kind: 'named-type', pos, ref: s.reference() };
  return s.fail(what);
}

/** `struct_defn := "{" ( attr_param ( "=" item )? ";" )* "}"` */
export function structDefn(s: Stream): StructDefn {
  const pos = s.pos();
  s.expect('{');
  const fields: Attribute[] = [];
  while (!s.is('}')) {
    fields.push(attribute(s, `a type or '}'`));
    s.expect(';');
  }
  s.next();
  return { kind: 'struct-defn', pos, fields };
}

/** `attr_param ( "=" item )?` (the caller consumes any `attribute` keyword and `;`). */
export function attribute(s: Stream, what = TYPE_WHAT): Attribute {
  const pos = s.pos();
  const type = typeExpr(s, what);
  return attributeRest(s, pos, type);
}

function attributeRest(s: Stream, pos: Attribute['pos'], type: TypeExpr): Attribute {
  const name = s.id('an attribute name');
  const array = arraySuffix(s);
  if (!s.accept('=')) return { kind: 'attribute', pos, type, name, array };
  return { kind: 'attribute', pos, type, name, array, default: item(s) };
}

function arraySuffix(s: Stream): boolean {
  if (!s.accept('[')) return false;
  s.expect(']');
  return true;
}

/** `include ( string+ | ANGLE ) ";"` */
export function include(s: Stream): Include {
  const pos = s.pos();
  s.expect('include');
  const { path, angle } = pathArg(s);
  s.expect(';');
  return { kind: 'include', pos, path, angle };
}

export function pathArg(s: Stream): { path: string; angle: boolean } {
  const t = s.peek();
  if (t.kind === 'angle') {
    s.next();
    return { path: t.text, angle: true };
  }
  if (t.kind === 'string') return { path: strings(s).value, angle: false };
  return s.fail(`a string or <path>`);
}

const DIRECTIONS: readonly string[] = ['in', 'out', 'inout', 'refin'];

/** `procedure_decl := "procedure" ID? "{" ( method | attr_param ("=" item)? | include )* "}"` */
export function procedure(s: Stream): ProcedureDecl {
  const pos = s.pos();
  s.expect('procedure');
  const name = s.isId() ? s.next().text : undefined;
  s.expect('{', name === undefined ? `a procedure name or '{'` : `'{'`);
  const items: ProcedureDecl['items'][number][] = [];
  while (!s.is('}')) {
    if (s.is('include')) {
      items.push(include(s));
      continue;
    }
    const ipos = s.pos();
    let returnType: TypeExpr | undefined;
    if (!s.accept('void')) returnType = typeExpr(s, `a method, attribute, include or '}'`);
    if (returnType && !(s.isId() && s.is('(', 1))) {
      // Upstream quirk: procedure attributes take neither `attribute` nor `;` (camkes.g).
      items.push(attributeRest(s, ipos, returnType));
      continue;
    }
    items.push(methodRest(s, ipos, returnType));
  }
  s.next();
  return name === undefined ? { kind: 'procedure', pos, items } : { kind: 'procedure', pos, name, items };
}

/** `method := ( "void" | type ) ID "(" ( "void" | param ("," param)* ","? )? ")" ";"` */
function methodRest(s: Stream, pos: Method['pos'], returnType: TypeExpr | undefined): Method {
  const name = s.id('a method name');
  s.expect('(');
  const params: Parameter[] = [];
  if (s.is('void') && s.is(')', 1)) s.next();
  else {
    while (!s.is(')')) {
      params.push(parameter(s));
      if (!s.accept(',')) break;
    }
  }
  s.expect(')', params.length ? `',' or ')'` : `a parameter or ')'`);
  s.expect(';');
  return returnType
    ? { kind: 'method', pos, returnType, name, params }
    : { kind: 'method', pos, name, params };
}

/** `param := direction? type ID ( "[" "]" )?` */
function parameter(s: Stream): Parameter {
  const pos = s.pos();
  const t = s.peek();
  let direction: Direction | undefined;
  if (t.kind === 'kw' && DIRECTIONS.includes(t.text)) {
    s.next();
    direction = t.text as Direction;
  }
  const type = typeExpr(s, direction ? TYPE_WHAT : `a parameter or ')'`);
  const name = s.id('a parameter name');
  const array = arraySuffix(s);
  return direction
    ? { kind: 'parameter', pos, direction, type, name, array }
    : { kind: 'parameter', pos, type, name, array };
}
