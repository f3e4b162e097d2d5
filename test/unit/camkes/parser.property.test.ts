/**
 * Properties of the CAmkES parser:
 *  1. on any input it either returns a Spec or throws a positioned DiagnosticError (never
 *     anything else, never hangs): raw strings, token soups, mutated good files;
 *  2. print then parse gives back the same AST (ignoring positions), over generated ASTs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { DiagnosticError, LineMap } from '../../../src/diagnostics';
import { parseCamkes } from '../../../src/camkes/parser';
import { printCamkes } from '../../../src/camkes/printer';
import { lex } from '../../../src/camkes/lexer';
import * as A from '../../../src/camkes/ast';

const FILE = 'fuzz.camkes';

function stripPos(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripPos);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'pos') o[k] = stripPos(x);
    return o;
  }
  return v;
}

function outcome(text: string): 'ok' | 'diagnostic' {
  const m = new LineMap(FILE, text);
  try {
    parseCamkes(text, (o) => m.pos(o), FILE);
    return 'ok';
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    const p = e.diagnostics[0].pos;
    assert.equal(p.file, FILE);
    assert.ok(p.line >= 1 && p.col >= 1 && p.line <= text.split('\n').length, `bad position ${p.line}:${p.col}`);
    assert.match(e.diagnostics[0].message, /^(expected .+, found .+|Illegal character in input: .+|invalid literal for int\(\) .+)$/s);
    return 'diagnostic';
  }
}

test('any string: a Spec or a positioned DiagnosticError', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
    outcome(s);
  }), { numRuns: 500 });
});

const VOCAB = [
  'assembly', 'composition', 'configuration', 'component', 'connection', 'connector', 'procedure',
  'struct', 'import', 'include', 'attribute', 'provides', 'uses', 'emits', 'consumes', 'dataport',
  'maybe', 'has', 'mutex', 'control', 'hardware', 'group', 'export', 'from', 'to', 'Buf', 'Event',
  'Events', 'with', 'threads', 'schedule', 'int', 'string', 'void', 'in', 'out', 'true',
  'a', 'b', 'dtb', '0x10', '1', '010', '1.5', '"s"', '<x.h>', '{', '}', '(', ')', '[', ']', ';', ',',
  '.', ':', '=', '<-', '->', '?', '+', '-', '*', '**', '/', '!', '~', '<<', '&&', '//', '#', '/*', '*/', '"',
];

test('token soup: a Spec or a positioned DiagnosticError', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...VOCAB), { maxLength: 60 }), fc.boolean(), (ws, nl) => {
    outcome(ws.join(nl ? '\n' : ' '));
  }), { numRuns: 1500 });
});

const GOOD = resolve(__dirname, '../../fixtures/camkes/good');
const corpus = readdirSync(GOOD).filter((f) => /\.(camkes|idl4)$/.test(f)).map((f) => readFileSync(join(GOOD, f), 'utf8'));

test('mutated good files (token deletion, insertion, swap): a Spec or a positioned DiagnosticError', () => {
  const tokenised = corpus.map((text) => lex(text).filter((t) => t.kind !== 'eof' && t.kind !== 'error').map((t) => {
    if (t.kind === 'string') return `"${t.text}"`;
    if (t.kind === 'angle') return `<${t.text}>`;
    return t.text;
  }));
  const edit = fc.record({
    op: fc.constantFrom('delete', 'insert', 'replace'),
    at: fc.nat(),
    tok: fc.constantFrom(...VOCAB),
  });
  let diagnostics = 0;
  fc.assert(fc.property(fc.nat(tokenised.length - 1), fc.array(edit, { minLength: 1, maxLength: 4 }), (fi, edits) => {
    const toks = [...tokenised[fi]];
    for (const e of edits) {
      const i = e.at % (toks.length + 1);
      if (e.op === 'delete') toks.splice(i, 1);
      else if (e.op === 'insert') toks.splice(i, 0, e.tok);
      else toks.splice(i, 1, e.tok);
    }
    if (outcome(toks.join(' ')) === 'diagnostic') diagnostics++;
  }), { numRuns: 400 });
  // the mutations must actually reach the error paths
  assert.ok(diagnostics > 100, `only ${diagnostics} mutated files were rejected`);
});

// ---------------------------------------------------------------- generated ASTs

const P = { file: 'gen', line: 1, col: 1 };
const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/).filter((s) => !A.KEYWORDS.has(s));
const ref = fc.array(ident, { minLength: 1, maxLength: 3 }).map((names): A.Reference => ({ kind: 'reference', pos: P, names }));
const ref1 = ident.map((n): A.Reference => ({ kind: 'reference', pos: P, names: [n] }));
const intLit = fc.oneof(
  fc.bigInt({ min: 0n, max: 1n << 70n }).map((v): A.IntLiteral => ({ kind: 'int', pos: P, text: v.toString(), value: v })),
  fc.bigInt({ min: 0n, max: 1n << 40n }).map((v): A.IntLiteral => ({ kind: 'int', pos: P, text: '0x' + v.toString(16), value: v })),
);
const floatLit = fc.tuple(fc.nat(999), fc.nat(99)).map(([a, b]): A.FloatLiteral => {
  const text = `${a}.${b}`;
  return { kind: 'float', pos: P, text, value: Number(text) };
});
const str = fc.string({ maxLength: 12 }).filter((s) => !s.includes('"')).map((value): A.StringValue => ({ kind: 'string', pos: P, value }));
const BIN = ['||', '&&', '|', '^', '&', '==', '!=', '<', '<=', '>', '>=', '<<', '>>', '+', '-', '*', '/', '%', '**'] as const;

const { expr } = fc.letrec<{ expr: A.NumericExpr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    intLit, floatLit,
    fc.boolean().map((value): A.BoolLiteral => ({ kind: 'bool', pos: P, value })),
    fc.record({ kind: fc.constant('unary' as const), pos: fc.constant(P), op: fc.constantFrom('-', '+', '!', '~' as const), operand: tie('expr') }),
    fc.record({ kind: fc.constant('binary' as const), pos: fc.constant(P), op: fc.constantFrom(...BIN), left: tie('expr'), right: tie('expr') }),
    fc.record({ kind: fc.constant('ternary' as const), pos: fc.constant(P), cond: tie('expr'), then: tie('expr'), else: tie('expr') }),
  ),
}));

const { item } = fc.letrec<{ item: A.Item }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    expr, str,
    fc.array(tie('item'), { maxLength: 3 }).map((items): A.ListValue => ({ kind: 'list', pos: P, items })),
    fc.array(fc.tuple(fc.oneof(expr, str), tie('item')), { maxLength: 3 }).map(
      (es): A.DictValue => ({ kind: 'dict', pos: P, entries: es.map(([key, value]) => ({ kind: 'dict-entry', pos: P, key, value })) }),
    ),
  ),
}));
const dict = fc.array(fc.tuple(str, item), { maxLength: 2 }).map(
  (es): A.DictValue => ({ kind: 'dict', pos: P, entries: es.map(([key, value]) => ({ kind: 'dict-entry', pos: P, key, value })) }),
);
const lookup = fc.array(fc.oneof(expr, str), { maxLength: 2 });
const query: fc.Arbitrary<A.Query> = fc.tuple(ident, fc.option(fc.oneof(dict, fc.array(dict, { maxLength: 2 }).map((items): A.ListValue => ({ kind: 'list', pos: P, items }))), { nil: undefined }), lookup)
  .map(([name, arg, lk]) => (arg ? { kind: 'query', pos: P, name, arg, lookup: lk } : { kind: 'query', pos: P, name, lookup: lk }));
const attrRef = fc.tuple(fc.array(ident, { minLength: 1, maxLength: 3 }), lookup).map(([names, lk]): A.AttributeReference => ({ kind: 'attr-ref', pos: P, names, lookup: lk }));

const keywordType = fc.constantFrom('int', 'integer', 'signed', 'signed int', 'unsigned', 'unsigned integer', 'char', 'signed char', 'unsigned char', 'string', 'uint64_t', 'int64_t')
  .map((name): A.KeywordType => ({ kind: 'keyword-type', pos: P, name }));
const simpleType: fc.Arbitrary<A.TypeExpr> = fc.oneof(
  keywordType,
  ref.map((r): A.NamedType => ({ kind: 'named-type', pos: P, ref: r })),
  ident.map((name): A.StructKeywordType => ({ kind: 'struct-type', pos: P, name })),
);
function attribute(type: fc.Arbitrary<A.TypeExpr>): fc.Arbitrary<A.Attribute> {
  return fc.tuple(type, ident, fc.boolean(), fc.option(item, { nil: undefined })).map(([t, name, array, def]) =>
    def === undefined ? { kind: 'attribute', pos: P, type: t, name, array } : { kind: 'attribute', pos: P, type: t, name, array, default: def });
}
const structDefn = fc.array(attribute(simpleType), { maxLength: 3 }).map((fields): A.StructDefn => ({ kind: 'struct-defn', pos: P, fields }));
const anyType = fc.oneof(simpleType, structDefn);

const maybe = fc.boolean();
const componentItem: fc.Arbitrary<A.ComponentItem> = fc.oneof(
  fc.constantFrom('control' as const, 'hardware' as const).map((kind) => ({ kind, pos: P })),
  fc.tuple(fc.constantFrom('mutex', 'semaphore', 'binary_semaphore' as const), ident).map(([what, name]): A.Has => ({ kind: 'has', pos: P, what, name })),
  fc.tuple(ref, ident).map(([procedure, name]): A.Provides => ({ kind: 'provides', pos: P, procedure, name })),
  fc.tuple(maybe, ref, ident).map(([m, procedure, name]): A.Uses => ({ kind: 'uses', pos: P, maybe: m, procedure, name })),
  fc.tuple(ident, ident).map(([eventType, name]): A.Emits => ({ kind: 'emits', pos: P, eventType, name })),
  fc.tuple(maybe, ident, ident).map(([m, eventType, name]): A.Consumes => ({ kind: 'consumes', pos: P, maybe: m, eventType, name })),
  fc.tuple(maybe, fc.oneof(
    fc.option(expr, { nil: undefined }).map((size): A.DataportType => (size ? { kind: 'buf', pos: P, size } : { kind: 'buf', pos: P })),
    ident.map((name): A.DataportType => ({ kind: 'dataport-named', pos: P, name })),
  ), ident).map(([m, type, name]): A.Dataport => ({ kind: 'dataport', pos: P, maybe: m, type, name })),
  attribute(anyType),
  fc.tuple(str, fc.boolean()).filter(([s, angle]) => !angle || /^[^<>;,"{}]*$/.test(s.value))
    .map(([s, angle]): A.Include => ({ kind: 'include', pos: P, path: s.value, angle })),
);

const setting = fc.tuple(ident, ident, fc.oneof(item, query, attrRef)).map(([instance, attribute, value]): A.Setting => ({ kind: 'setting', pos: P, instance, attribute, value }));
const configuration = fc.tuple(fc.option(ident, { nil: undefined }), fc.array(setting, { maxLength: 4 })).map(([name, settings]): A.ConfigurationDecl =>
  (name ? { kind: 'configuration', pos: P, name, settings } : { kind: 'configuration', pos: P, settings }));
const connectorEnd = fc.tuple(fc.boolean(), fc.constantFrom('Dataport', 'Event', 'Procedure', 'Dataports', 'Events', 'Procedures' as const), fc.option(expr, { nil: undefined }))
  .map(([hardware, type, threads]): A.ConnectorEnd => (threads ? { kind: 'connector-end', pos: P, hardware, type, threads } : { kind: 'connector-end', pos: P, hardware, type }));
const connectorDefn = fc.tuple(connectorEnd, connectorEnd, fc.array(attribute(simpleType), { maxLength: 2 }))
  .map(([from, to, attributes]): A.ConnectorDefn => ({ kind: 'connector-defn', pos: P, from, to, attributes }));

const { composition, componentDefn } = fc.letrec<{ composition: A.CompositionDecl; componentDefn: A.ComponentDefn }>((tie) => {
  const instance = fc.tuple(fc.oneof({ depthSize: 'small' }, ref, tie('componentDefn')), ident)
    .map(([type, name]): A.Instance => ({ kind: 'instance', pos: P, type, name }));
  const compItem: fc.Arbitrary<A.CompositionItem> = fc.oneof(
    instance,
    fc.tuple(fc.oneof(ref, connectorDefn), ident, fc.array(fc.tuple(fc.constantFrom('from', 'to' as const), ref), { maxLength: 3 }))
      .map(([connector, name, ends]): A.Connection => ({ kind: 'connection', pos: P, connector, name, ends: ends.map(([direction, r]) => ({ kind: 'connection-end', pos: P, direction, ref: r })) })),
    fc.tuple(fc.option(ident, { nil: undefined }), fc.array(instance, { maxLength: 2 }))
      .map(([name, instances]): A.Group => (name ? { kind: 'group', pos: P, name, instances } : { kind: 'group', pos: P, instances })),
    fc.tuple(ref, ref).map(([source, destination]): A.Export => ({ kind: 'export', pos: P, source, destination })),
  );
  return {
    composition: fc.tuple(fc.option(ident, { nil: undefined }), fc.array(compItem, { maxLength: 3 }))
      .map(([name, items]): A.CompositionDecl => (name ? { kind: 'composition', pos: P, name, items } : { kind: 'composition', pos: P, items })),
    componentDefn: fc.tuple(
      fc.array(componentItem, { maxLength: 4 }),
      fc.option(fc.oneof({ depthSize: 'small' }, ref1.map((r): A.CompositionRef => ({ kind: 'composition-ref', pos: P, ref: r })), tie('composition')), { nil: undefined, depthSize: 'small' }),
      fc.option(configuration, { nil: undefined }),
    ).map(([items, comp, conf]): A.ComponentDefn => {
      const d: A.ComponentDefn = { kind: 'component-defn', pos: P, items };
      if (!comp) return d;
      return conf ? { ...d, composition: comp, configuration: conf } : { ...d, composition: comp };
    }),
  };
});

const param = fc.tuple(fc.option(fc.constantFrom('in', 'out', 'inout', 'refin' as const), { nil: undefined }), simpleType, ident, fc.boolean())
  .map(([direction, type, name, array]): A.Parameter => (direction ? { kind: 'parameter', pos: P, direction, type, name, array } : { kind: 'parameter', pos: P, type, name, array }));
const method = fc.tuple(fc.option(simpleType, { nil: undefined }), ident, fc.array(param, { maxLength: 3 }))
  .map(([returnType, name, params]): A.Method => (returnType ? { kind: 'method', pos: P, returnType, name, params } : { kind: 'method', pos: P, name, params }));
const named = <T extends object>(x: T, name: string | undefined): T => (name === undefined ? x : { ...x, name });
const scheduleNum = fc.oneof(intLit, floatLit);
const schedule = fc.array(fc.tuple(scheduleNum, scheduleNum, fc.option(fc.constantFrom('ticks', 'us' as const), { nil: undefined })), { minLength: 2, maxLength: 3 })
  .map((xs): A.Schedule => ({ kind: 'schedule', pos: P, items: xs.map(([domain, duration, unit]) => (unit ? { kind: 'schedule-item', pos: P, domain, duration, unit } : { kind: 'schedule-item', pos: P, domain, duration })) }));
const optName = fc.option(ident, { nil: undefined });

const topItem: fc.Arbitrary<A.TopItem> = fc.oneof(
  fc.tuple(str, fc.boolean()).filter(([s, angle]) => !angle || /^[^<>;,"{}]*$/.test(s.value)).map(([s, angle]): A.Import => ({ kind: 'import', pos: P, path: s.value, angle })),
  fc.tuple(optName, fc.array(fc.oneof(method, attribute(anyType)), { maxLength: 3 })).map(([n, items]) => named<A.ProcedureDecl>({ kind: 'procedure', pos: P, items }, n)),
  fc.tuple(optName, componentDefn).map(([n, body]) => named<A.ComponentDecl>({ kind: 'component', pos: P, body }, n)),
  fc.tuple(optName, connectorDefn).map(([n, body]) => named<A.ConnectorDecl>({ kind: 'connector', pos: P, body }, n)),
  fc.tuple(ident, structDefn).map(([name, s]): A.StructDecl => ({ kind: 'struct', pos: P, name, fields: s.fields })),
  composition, configuration,
  fc.tuple(optName, fc.array(fc.oneof(composition, configuration, schedule,
    ref1.map((r): A.ConfigurationRef => ({ kind: 'configuration-ref', pos: P, ref: r }))), { minLength: 1, maxLength: 3 }))
    .map(([n, items]) => named<A.AssemblyDecl>({ kind: 'assembly', pos: P, items }, n)),
);

test('print then parse gives the same AST (generated ASTs)', () => {
  fc.assert(fc.property(fc.array(topItem, { maxLength: 4 }), (items) => {
    const spec: A.Spec = { kind: 'spec', file: 'gen', items };
    const text = printCamkes(spec);
    const m = new LineMap('gen', text);
    const back = parseCamkes(text, (o) => m.pos(o), 'gen');
    assert.deepEqual(stripPos(back), stripPos(spec), text);
  }), { numRuns: 400 });
});
