/** Components, connectors, compositions and configurations (reference A.3, A.5, A.8, A.9). */
import type {
  ComponentDefn, ComponentItem, CompositionDecl, CompositionItem, CompositionRef, ConfigurationDecl,
  ConfigurationRef, ConnectionEnd, ConnectorDefn, ConnectorEnd, DataportType, EndType, Group, Instance,
  Setting,
} from '../ast';
import type { Stream } from './stream';
import { attribute, include } from './types';
import { attributeReference, item, numericExpr, query } from './values';

const COMPONENT_ITEM =
  `a component item (attribute, provides, uses, emits, consumes, dataport, has, control, hardware, include, composition, configuration) or '}'`;

/**
 * `component_defn := "{" component_item* ( composition_sing configuration_sing?
 *                    | configuration_sing composition_sing )? "}"`
 */
export function componentDefn(s: Stream): ComponentDefn {
  const pos = s.pos();
  s.expect('{');
  const items: ComponentItem[] = [];
  let composition: ComponentDefn['composition'];
  let configuration: ComponentDefn['configuration'];
  while (!s.is('}')) {
    if (s.is('composition')) {
      composition = compositionSing(s);
      if (s.is('configuration')) configuration = configurationSing(s);
      break;
    }
    if (s.is('configuration')) {
      configuration = configurationSing(s);
      if (!s.is('composition')) s.fail(`'composition' (a component configuration must be paired with a composition)`);
      composition = compositionSing(s);
      break;
    }
    items.push(componentItem(s));
  }
  s.expect('}', composition ? `'}' (composition and configuration must be the last items of a component)` : undefined);
  const out: { -readonly [K in keyof ComponentDefn]: ComponentDefn[K] } = { kind: 'component-defn', pos, items };
  if (composition) out.composition = composition;
  if (configuration) out.configuration = configuration;
  return out;
}

function componentItem(s: Stream): ComponentItem {
  const pos = s.pos();
  const t = s.peek();
  if (t.kind !== 'kw') return s.fail(COMPONENT_ITEM);
  switch (t.text) {
    case 'attribute': {
      s.next();
      const a = attribute(s);
      s.expect(';');
      return a;
    }
    case 'control':
    case 'hardware':
      s.next();
      s.expect(';');
      return { kind: t.text, pos };
    case 'include':
      return include(s);
    case 'has': {
      s.next();
      const w = s.peek();
      if (w.kind !== 'kw' || (w.text !== 'mutex' && w.text !== 'semaphore' && w.text !== 'binary_semaphore')) {
        return s.fail(`'mutex', 'semaphore' or 'binary_semaphore'`);
      }
      s.next();
      const name = s.id();
      s.expect(';');
      return { kind: 'has', pos, what: w.text, name };
    }
    case 'provides':
    case 'emits':
      return interfaceItem(s, false);
    case 'maybe': {
      s.next();
      if (!s.is('uses') && !s.is('consumes') && !s.is('dataport')) s.fail(`'uses', 'consumes' or 'dataport'`);
      return interfaceItem(s, true, pos);
    }
    case 'uses':
    case 'consumes':
    case 'dataport':
      return interfaceItem(s, false);
  }
  return s.fail(COMPONENT_ITEM);
}

function interfaceItem(s: Stream, maybe: boolean, pos = s.pos()): ComponentItem {
  const kw = s.next().text;
  let out: ComponentItem;
  if (kw === 'provides' || kw === 'uses') {
    const procedure = s.reference('a procedure name');
    const name = s.id('an interface name');
    out = kw === 'provides' ? { kind: 'provides', pos, procedure, name } : { kind: 'uses', pos, maybe, procedure, name };
  } else if (kw === 'emits' || kw === 'consumes') {
    const eventType = s.id('an event type');
    const name = s.id('an interface name');
    out = kw === 'emits' ? { kind: 'emits', pos, eventType, name } : { kind: 'consumes', pos, maybe, eventType, name };
  } else {
    const type = dataportType(s);
    out = { kind: 'dataport', pos, maybe, type, name: s.id('an interface name') };
  }
  s.expect(';');
  return out;
}

/** `dataport_type := ID | "Buf" | "Buf" "(" numeric_expr ")"` */
function dataportType(s: Stream): DataportType {
  const pos = s.pos();
  if (s.is('Buf')) {
    s.next();
    if (!s.accept('(')) return { kind: 'buf', pos };
    const size = numericExpr(s);
    s.expect(')');
    return { kind: 'buf', pos, size };
  }
  return { kind: 'dataport-named', pos, name: s.id('a dataport type') };
}

/** `"composition" reference ";" | composition_decl` */
export function compositionSing(s: Stream): CompositionDecl | CompositionRef {
  if (s.isId(1) && !s.is('{', 2)) {
    const pos = s.pos();
    s.next();
    const ref = s.reference('a composition name');
    s.expect(';');
    return { kind: 'composition-ref', pos, ref };
  }
  return composition(s);
}

/** `composition_decl := "composition" ID? "{" ( instance | connection | group | export )* "}"` */
export function composition(s: Stream): CompositionDecl {
  const pos = s.pos();
  s.expect('composition');
  const name = s.isId() ? s.next().text : undefined;
  s.expect('{', name === undefined ? `a composition name or '{'` : `'{'`);
  const items: CompositionItem[] = [];
  while (!s.is('}')) items.push(compositionItem(s));
  s.next();
  return name === undefined ? { kind: 'composition', pos, items } : { kind: 'composition', pos, name, items };
}

function compositionItem(s: Stream): CompositionItem {
  const pos = s.pos();
  if (s.is('component')) return instance(s);
  if (s.is('group')) {
    s.next();
    const name = s.isId() ? s.next().text : undefined;
    s.expect('{', name === undefined ? `a group name or '{'` : `'{'`);
    const instances: Instance[] = [];
    while (!s.is('}')) {
      if (!s.is('component')) s.fail(`'component' or '}'`);
      instances.push(instance(s));
    }
    s.next();
    const g: Group = name === undefined ? { kind: 'group', pos, instances } : { kind: 'group', pos, name, instances };
    return g;
  }
  if (s.accept('export')) {
    const source = s.reference('an interface reference');
    s.expect('->');
    const destination = s.reference('an interface name');
    s.expect(';');
    return { kind: 'export', pos, source, destination };
  }
  if (s.accept('connection')) {
    const connector = s.is('{') ? connectorDefn(s) : s.reference('a connector name');
    const name = s.id('a connection name');
    s.expect('(');
    const ends: ConnectionEnd[] = [];
    while (!s.is(')')) {
      const epos = s.pos();
      const d = s.accept('from') ?? s.accept('to');
      if (!d) s.fail(ends.length ? `'from' or 'to'` : `'from', 'to' or ')'`);
      ends.push({ kind: 'connection-end', pos: epos, direction: d.text as 'from' | 'to', ref: s.reference('an interface reference') });
      if (!s.accept(',')) break;
    }
    s.expect(')', ends.length ? `',' or ')'` : `'from', 'to' or ')'`);
    s.expect(';');
    return { kind: 'connection', pos, connector, name, ends };
  }
  return s.fail(`'component', 'connection', 'group', 'export' or '}'`);
}

/** `instance := "component" ( reference | component_defn ) ID ";"` */
function instance(s: Stream): Instance {
  const pos = s.pos();
  s.expect('component');
  const type = s.is('{') ? s.nest(() => componentDefn(s)) : s.reference('a component type');
  const name = s.id('an instance name');
  s.expect(';');
  return { kind: 'instance', pos, type, name };
}

const END_TYPES: readonly string[] = ['Dataport', 'Event', 'Procedure', 'Dataports', 'Events', 'Procedures'];

/** Body of `connector_decl` (also used inline in a connection). */
export function connectorDefn(s: Stream): ConnectorDefn {
  const pos = s.pos();
  s.expect('{');
  const from = connectorEnd(s, 'from');
  const to = connectorEnd(s, 'to');
  const attributes = [];
  while (!s.is('}')) {
    s.expect('attribute', `'attribute' or '}'`);
    attributes.push(attribute(s));
    s.expect(';');
  }
  s.next();
  return { kind: 'connector-defn', pos, from, to, attributes };
}

/** `side "hardware"? end_type ( "with" numeric_expr ("thread"|"threads") )? ";"` */
function connectorEnd(s: Stream, side: 'from' | 'to'): ConnectorEnd {
  const pos = s.pos();
  s.expect(side);
  const hardware = !!s.accept('hardware');
  const t = s.peek();
  if (t.kind !== 'kw' || !END_TYPES.includes(t.text)) {
    return s.fail(`${hardware ? '' : `'hardware' or `}an end type (Dataport, Event, Procedure, Dataports, Events, Procedures)`);
  }
  s.next();
  const type = t.text as EndType;
  let out: ConnectorEnd = { kind: 'connector-end', pos, hardware, type };
  if (s.accept('with')) {
    const threads = numericExpr(s);
    if (!s.accept('thread') && !s.accept('threads')) s.fail(`'thread' or 'threads'`);
    out = { ...out, threads };
  }
  s.expect(';');
  return out;
}

/** `"configuration" reference ";" | configuration_decl` */
export function configurationSing(s: Stream): ConfigurationDecl | ConfigurationRef {
  if (s.isId(1) && !s.is('{', 2)) {
    const pos = s.pos();
    s.next();
    const ref = s.reference('a configuration name');
    s.expect(';');
    return { kind: 'configuration-ref', pos, ref };
  }
  return configuration(s);
}

/** `configuration_decl := "configuration" ID? "{" setting* "}"` */
export function configuration(s: Stream): ConfigurationDecl {
  const pos = s.pos();
  s.expect('configuration');
  const name = s.isId() ? s.next().text : undefined;
  s.expect('{', name === undefined ? `a configuration name or '{'` : `'{'`);
  const settings: Setting[] = [];
  while (!s.is('}')) settings.push(setting(s));
  s.next();
  return name === undefined ? { kind: 'configuration', pos, settings } : { kind: 'configuration', pos, name, settings };
}

/** `setting := ID "." ID ( "=" ( item | query ) | "<-" attr_ref ) ";"` */
function setting(s: Stream): Setting {
  const pos = s.pos();
  const instance = s.id(`a setting (instance.attribute) or '}'`);
  s.expect('.');
  const attr = s.id('an attribute name');
  let value: Setting['value'];
  if (s.accept('<-')) value = attributeReference(s);
  else {
    s.expect('=', `'=' or '<-'`);
    value = s.isId() && s.is('(', 1) ? query(s) : item(s);
  }
  s.expect(';');
  return { kind: 'setting', pos, instance, attribute: attr, value };
}
