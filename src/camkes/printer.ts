/**
 * Prints an AST back to canonical `.camkes` text: four-space indent, one item per line,
 * minimal parentheses. `parseCamkes(printCamkes(ast))` gives the same AST up to positions.
 */
import type {
  Attribute, ComponentDefn, CompositionDecl, CompositionItem, CompositionRef, ConfigurationDecl,
  ConfigurationRef, ConnectorDefn, ConnectorEnd, DataportType, DictKey, Item, Method, NumericExpr,
  ProcedureDecl, Query, Reference, Schedule, Setting, Spec, StructDefn, TopItem, TypeExpr, ComponentItem,
  AttributeReference, LoadedSpec,
} from './ast';
import { BINARY_LEVELS } from './parse/values';

const IND = '    ';

export function printCamkes(spec: Spec | LoadedSpec): string {
  return spec.items.map((i) => topItem(i).join('\n')).join('\n\n') + '\n';
}

function ref(r: Reference): string {
  return r.names.join('.');
}

function indent(lines: string[]): string[] {
  return lines.map((l) => (l === '' ? l : IND + l));
}

function block(head: string, body: string[]): string[] {
  return body.length ? [`${head} {`, ...indent(body), '}'] : [`${head} {}`];
}

function named(word: string, name: string | undefined): string {
  return name === undefined ? word : `${word} ${name}`;
}

function topItem(i: TopItem): string[] {
  switch (i.kind) {
    case 'import':
      return [`import ${path(i.path, i.angle)};`];
    case 'procedure':
      return procedure(i);
    case 'component':
      return componentDefn(named('component', i.name), i.body);
    case 'connector':
      return connectorDefn(named('connector', i.name), i.body);
    case 'struct':
      return block(`struct ${i.name}`, i.fields.map((f) => attribute(f) + ';'));
    case 'composition':
      return composition(i);
    case 'configuration':
      return configuration(i);
    case 'assembly':
      return block(named('assembly', i.name), i.items.flatMap((x) => {
        if (x.kind === 'schedule') return schedule(x);
        if (x.kind === 'composition' || x.kind === 'composition-ref') return composition(x);
        return configuration(x);
      }));
  }
}

function path(p: string, angle: boolean): string {
  return angle ? `<${p}>` : `"${p}"`;
}

function procedure(p: ProcedureDecl): string[] {
  return block(named('procedure', p.name), p.items.map((x) => {
    if (x.kind === 'include') return `include ${path(x.path, x.angle)};`;
    if (x.kind === 'attribute') return attribute(x);
    return method(x);
  }));
}

function method(m: Method): string {
  const params = m.params.map((p) =>
    `${p.direction ? p.direction + ' ' : ''}${type(p.type)} ${p.name}${p.array ? '[]' : ''}`);
  return `${m.returnType ? type(m.returnType) : 'void'} ${m.name}(${params.join(', ')});`;
}

export function type(t: TypeExpr): string {
  switch (t.kind) {
    case 'keyword-type':
      return t.name;
    case 'named-type':
      return ref(t.ref);
    case 'struct-type':
      return `struct ${t.name}`;
    case 'struct-defn':
      return structDefn(t);
  }
}

function structDefn(t: StructDefn): string {
  return t.fields.length ? `{ ${t.fields.map((f) => attribute(f) + ';').join(' ')} }` : '{ }';
}

function attribute(a: Attribute): string {
  const head = `${type(a.type)} ${a.name}${a.array ? '[]' : ''}`;
  return a.default === undefined ? head : `${head} = ${item(a.default)}`;
}

function componentDefn(head: string, c: ComponentDefn): string[] {
  const body = c.items.map(componentItem);
  if (c.composition) body.push(...composition(c.composition));
  if (c.configuration) body.push(...configuration(c.configuration));
  return block(head, body);
}

function componentItem(i: ComponentItem): string {
  const maybe = 'maybe' in i && i.maybe ? 'maybe ' : '';
  switch (i.kind) {
    case 'attribute':
      return `attribute ${attribute(i)};`;
    case 'control':
    case 'hardware':
      return `${i.kind};`;
    case 'include':
      return `include ${path(i.path, i.angle)};`;
    case 'has':
      return `has ${i.what} ${i.name};`;
    case 'provides':
    case 'uses':
      return `${maybe}${i.kind} ${ref(i.procedure)} ${i.name};`;
    case 'emits':
    case 'consumes':
      return `${maybe}${i.kind} ${i.eventType} ${i.name};`;
    case 'dataport':
      return `${maybe}dataport ${dataportType(i.type)} ${i.name};`;
  }
}

function dataportType(t: DataportType): string {
  if (t.kind === 'dataport-named') return t.name;
  return t.size === undefined ? 'Buf' : `Buf(${expr(t.size)})`;
}

function connectorDefn(head: string, c: ConnectorDefn): string[] {
  return block(head, [end('from', c.from), end('to', c.to), ...c.attributes.map((a) => `attribute ${attribute(a)};`)]);
}

function end(side: string, e: ConnectorEnd): string {
  const threads = e.threads === undefined ? '' : ` with ${expr(e.threads)} threads`;
  return `${side} ${e.hardware ? 'hardware ' : ''}${e.type}${threads};`;
}

function composition(c: CompositionDecl | CompositionRef): string[] {
  if (c.kind === 'composition-ref') return [`composition ${ref(c.ref)};`];
  return block(named('composition', c.name), c.items.flatMap(compositionItem));
}

function compositionItem(i: CompositionItem): string[] {
  switch (i.kind) {
    case 'instance':
      if (i.type.kind === 'reference') return [`component ${ref(i.type)} ${i.name};`];
      return inlineTail(componentDefn('component', i.type), ` ${i.name};`);
    case 'group':
      return block(named('group', i.name), i.instances.flatMap(compositionItem));
    case 'export':
      return [`export ${ref(i.source)} -> ${ref(i.destination)};`];
    case 'connection': {
      const ends = `(${i.ends.map((e) => `${e.direction} ${ref(e.ref)}`).join(', ')});`;
      if (i.connector.kind === 'reference') return [`connection ${ref(i.connector)} ${i.name}${ends}`];
      return inlineTail(connectorDefn('connection', i.connector), ` ${i.name}${ends}`);
    }
  }
}

function inlineTail(lines: string[], tail: string): string[] {
  return [...lines.slice(0, -1), lines[lines.length - 1] + tail];
}

function configuration(c: ConfigurationDecl | ConfigurationRef): string[] {
  if (c.kind === 'configuration-ref') return [`configuration ${ref(c.ref)};`];
  return block(named('configuration', c.name), c.settings.map(setting));
}

function setting(s: Setting): string {
  const target = `${s.instance}.${s.attribute}`;
  if (s.value.kind === 'attr-ref') return `${target} <- ${attrRef(s.value)};`;
  if (s.value.kind === 'query') return `${target} = ${query(s.value)};`;
  return `${target} = ${item(s.value)};`;
}

function schedule(s: Schedule): string[] {
  const items = s.items.map((x) => `(${expr(x.domain)}, ${expr(x.duration)}${x.unit ? ' ' + x.unit : ''})`);
  return [`schedule { [${items.join(', ')}] }`];
}

function lookups(keys: readonly DictKey[]): string {
  return keys.map((k) => `[${item(k)}]`).join('');
}

export function query(q: Query): string {
  return `${q.name}(${q.arg ? item(q.arg) : ''})${lookups(q.lookup)}`;
}

function attrRef(r: AttributeReference): string {
  return r.names.join('.') + lookups(r.lookup);
}

export function item(v: Item): string {
  switch (v.kind) {
    case 'string':
      return `"${v.value}"`;
    case 'list':
      return `[${v.items.map(item).join(', ')}]`;
    case 'dict':
      return v.entries.length ? `{${v.entries.map((e) => `${item(e.key)}: ${item(e.value)}`).join(', ')}}` : '{}';
    default:
      return expr(v);
  }
}

const UNARY_PREC = BINARY_LEVELS.length + 1;

function binaryPrec(op: string): number {
  return BINARY_LEVELS.findIndex((l) => (l as readonly string[]).includes(op)) + 1;
}

/** Minimal parentheses; a nested ternary is always parenthesised (upstream rejects some bare forms). */
export function expr(e: NumericExpr, min = 0): string {
  let out: string;
  let prec: number;
  switch (e.kind) {
    case 'int':
    case 'float':
      return e.text;
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'unary':
      out = `${e.op}${expr(e.operand, UNARY_PREC)}`;
      prec = UNARY_PREC;
      break;
    case 'binary':
      prec = binaryPrec(e.op);
      out = `${expr(e.left, prec)} ${e.op} ${expr(e.right, prec + 1)}`;
      break;
    case 'ternary':
      prec = 0;
      out = `${expr(e.cond, 1)} ? ${expr(e.then, 1)} : ${expr(e.else, 1)}`;
      break;
  }
  return prec < min ? `(${out})` : out;
}
