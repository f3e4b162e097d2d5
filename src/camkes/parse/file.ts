/** Top level of a file: imports, declarations, assemblies, structs (reference A.3, A.4, A.10). */
import type { AssemblyDecl, Import, Schedule, ScheduleItem, Spec, StructDecl, TopItem } from '../ast';
import type { PosOf } from '../lexer';
import { Stream } from './stream';
import { componentDefn, composition, compositionSing, configuration, configurationSing, connectorDefn } from './components';
import { pathArg, procedure, structDefn } from './types';
import { number } from './values';

const TOP =
  `a top-level declaration (import, procedure, component, connector, struct, composition, configuration, assembly)`;

/** Parses one preprocessed file. Throws a positioned DiagnosticError on the first syntax error. */
export function parseCamkes(text: string, posOf: PosOf, file: string): Spec {
  const s = new Stream(text, posOf);
  const items: TopItem[] = [];
  while (s.peek().kind !== 'eof') {
    if (s.accept(';')) continue;
    items.push(topItem(s));
  }
  return { kind: 'spec', file, items };
}

function topItem(s: Stream): TopItem {
  const t = s.peek();
  const pos = s.pos(t);
  if (t.kind !== 'kw') return s.fail(TOP);
  switch (t.text) {
    case 'import': {
      s.next();
      const { path, angle } = pathArg(s);
      s.expect(';');
      const imp: Import = { kind: 'import', pos, path, angle };
      return imp;
    }
    case 'procedure':
      return procedure(s);
    case 'component': {
      s.next();
      const name = s.isId() ? s.next().text : undefined;
      if (!s.is('{')) s.fail(name === undefined ? `a component name or '{'` : `'{'`);
      const body = componentDefn(s);
      return name === undefined ? { kind: 'component', pos, body } : { kind: 'component', pos, name, body };
    }
    case 'connector': {
      s.next();
      const name = s.isId() ? s.next().text : undefined;
      if (!s.is('{')) s.fail(name === undefined ? `a connector name or '{'` : `'{'`);
      const body = connectorDefn(s);
      return name === undefined ? { kind: 'connector', pos, body } : { kind: 'connector', pos, name, body };
    }
    case 'struct': {
      s.next();
      const name = s.id('a struct name');
      const fields = structDefn(s).fields;
      const st: StructDecl = { kind: 'struct', pos, name, fields };
      return st;
    }
    case 'composition':
      return composition(s);
    case 'configuration':
      return configuration(s);
    case 'assembly':
      return assembly(s);
  }
  return s.fail(TOP);
}

/** `assembly_decl := "assembly" ID? "{" ( composition_sing | configuration_sing | schedule )+ "}"` */
function assembly(s: Stream): AssemblyDecl {
  const pos = s.pos();
  s.expect('assembly');
  const name = s.isId() ? s.next().text : undefined;
  s.expect('{', name === undefined ? `an assembly name or '{'` : `'{'`);
  const items: AssemblyDecl['items'][number][] = [];
  for (;;) {
    if (s.is('composition')) items.push(compositionSing(s));
    else if (s.is('configuration')) items.push(configurationSing(s));
    else if (s.is('schedule')) items.push(schedule(s));
    else if (items.length && s.is('}')) break;
    else s.fail(`'composition', 'configuration' or 'schedule'${items.length ? ` or '}'` : ''}`);
  }
  s.next();
  return name === undefined ? { kind: 'assembly', pos, items } : { kind: 'assembly', pos, name, items };
}

/** `schedule := "schedule" "{" "[" sched_item ( "," sched_item )+ ","? "]" "}"` */
function schedule(s: Stream): Schedule {
  const pos = s.pos();
  s.expect('schedule');
  s.expect('{');
  s.expect('[');
  const items: ScheduleItem[] = [scheduleItem(s)];
  // at least two items (upstream `item ("," item)+`)
  s.expect(',', `',' (a schedule needs at least two items)`);
  items.push(scheduleItem(s));
  while (s.accept(',')) {
    if (s.is(']')) break;
    items.push(scheduleItem(s));
  }
  s.expect(']', `',' or ']'`);
  s.expect('}');
  return { kind: 'schedule', pos, items };
}

/** `sched_item := "(" number "," number ( "ticks" | "us" )? ")"` */
function scheduleItem(s: Stream): ScheduleItem {
  const pos = s.pos();
  s.expect('(');
  const domain = number(s);
  s.expect(',');
  const duration = number(s);
  const unit = s.accept('ticks') ?? s.accept('us');
  s.expect(')', unit ? `')'` : `'ticks', 'us' or ')'`);
  return unit
    ? { kind: 'schedule-item', pos, domain, duration, unit: unit.text as 'ticks' | 'us' }
    : { kind: 'schedule-item', pos, domain, duration };
}
