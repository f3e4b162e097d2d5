/**
 * Checks on component, procedure, struct and connector definitions (camkes-tool stage 3 lifting
 * checks and stage 10 `freeze` of Component, Method and Parameter; reference A.5-A.7, A.12).
 */
import { DiagnosticError, type SourcePos } from '../../diagnostics';
import type { Attribute, ComponentDefn, CompositionDecl, ConnectorDefn, LoadedSpec, NumericExpr, ProcedureDecl, TypeExpr } from '../ast';
import { evalNumeric } from '../resolve/values';
import { C_KEYWORDS } from './ckeywords';
import type { Sink } from './context';
import { MSG } from './messages';
import type { Scope } from './scope';

/** Upstream's class names for the items of a component body (duplicate-entity message). */
const ENTITY_KIND: Record<string, string> = {
  provides: 'Provides', uses: 'Uses', emits: 'Emits', consumes: 'Consumes', dataport: 'Dataport',
  attribute: 'Attribute', mutex: 'Mutex', semaphore: 'Semaphore', binary_semaphore: 'BinarySemaphore',
};

/** Evaluates, turning an arithmetic error into a recorded diagnostic. */
export function tryEval(e: NumericExpr, sink: Sink): ReturnType<typeof evalNumeric> | undefined {
  try {
    return evalNumeric(e);
  } catch (err) {
    if (!(err instanceof DiagnosticError)) throw err;
    for (const d of err.diagnostics) sink.error(d.pos, d.message);
    return undefined;
  }
}

function typeText(t: TypeExpr): string {
  switch (t.kind) {
    case 'keyword-type': return t.name;
    case 'named-type': return t.ref.names.join('.');
    case 'struct-type': return `struct ${t.name}`;
    case 'struct-defn': return 'struct';
  }
}

/** Attribute types (A.7): keyword scalars, or a struct (named, resolved backwards, or anonymous). */
export function checkAttributeType(a: Attribute, scope: Scope, sink: Sink, before: number): void {
  const t = a.type;
  if (t.kind === 'struct-type') sink.error(t.pos, MSG.notAValidType(typeText(t)));
  else if (t.kind === 'named-type') scope.resolve('Struct', t.ref, sink, before);
  else if (t.kind === 'struct-defn') for (const f of t.fields) checkAttributeType(f, scope, sink, before);
}

export function checkComponent(name: string, c: ComponentDefn, scope: Scope, sink: Sink, before: number): void {
  const seen = new Map<string, { kind: string; pos: SourcePos }>();
  let control = false;
  let hardware = false;
  let mutex = false;
  let semaphore = false;
  for (const item of c.items) {
    if (item.kind === 'control') control = true;
    if (item.kind === 'hardware') hardware = true;
    if (item.kind === 'include' || item.kind === 'control' || item.kind === 'hardware') continue;
    const kind = ENTITY_KIND[item.kind === 'has' ? item.what : item.kind];
    if (item.kind === 'has') {
      if (item.what === 'mutex') mutex = true;
      if (item.what === 'semaphore') semaphore = true;
    }
    const prev = seen.get(item.name);
    if (prev) sink.error(item.pos, MSG.duplicateEntity(item.name, prev.kind, prev.pos));
    else seen.set(item.name, { kind, pos: item.pos });
    if (item.kind === 'uses' || item.kind === 'provides') scope.resolve('Procedure', item.procedure, sink, before);
    if (item.kind === 'attribute') {
      checkAttributeType(item, scope, sink, before);
      if (C_KEYWORDS.has(item.name)) sink.error(item.pos, MSG.cKeyword('attribute', item.name));
    }
    if (item.kind === 'dataport' && item.type.kind === 'buf' && item.type.size) {
      const v = tryEval(item.type.size, sink);
      if (v && (v.kind !== 'int' || v.value <= 0n)) sink.error(item.type.pos, MSG.illegalDataportSize);
    }
  }
  // Component.freeze order (A.12): control+hardware, then mutexes, then semaphores.
  if (control && hardware) sink.error(c.pos, MSG.controlAndHardware(name));
  else if (hardware && mutex) sink.error(c.pos, MSG.hardwareMutex(name));
  else if (hardware && semaphore) sink.error(c.pos, MSG.hardwareSemaphore(name));
}

export function checkProcedure(p: ProcedureDecl, sink: Sink): void {
  const methods = new Map<string, SourcePos>();
  for (const item of p.items) {
    if (item.kind !== 'method') continue;
    const prev = methods.get(item.name);
    if (prev) sink.error(item.pos, MSG.duplicateDefinition('Method', item.name, prev));
    else methods.set(item.name, item.pos);
    if (C_KEYWORDS.has(item.name)) sink.error(item.pos, MSG.cKeyword('method', item.name));
    const params = new Set<string>();
    for (const t of [item.returnType, ...item.params.map((x) => x.type)]) {
      // In methods any identifier is a C type from an included header (A.6); dotted names are not.
      if (t && t.kind === 'named-type' && t.ref.names.length > 1) sink.error(t.pos, MSG.notAValidType(typeText(t)));
      if (t && t.kind === 'struct-type') sink.error(t.pos, MSG.notAValidType(typeText(t)));
    }
    for (const param of item.params) {
      if (params.has(param.name)) sink.error(param.pos, MSG.duplicateParameter(param.name, item.name));
      params.add(param.name);
      if (C_KEYWORDS.has(param.name)) sink.error(param.pos, MSG.cKeyword('parameter', param.name));
    }
  }
}

export function checkConnector(k: ConnectorDefn, sink: Sink): void {
  for (const end of [k.from, k.to]) {
    if (!end.threads) continue;
    const v = tryEval(end.threads, sink);
    if (v && (v.kind !== 'int' || v.value < 0n)) sink.error(end.threads.pos, MSG.illegalThreadValue(String(v.value)));
  }
}

/**
 * The types a composition names must be defined before it (A.4: backward references only; the
 * resolver looks names up regardless of order). Inline definitions are checked here too.
 */
function checkComposition(c: CompositionDecl, scope: Scope, sink: Sink, before: number): void {
  const instance = (i: CompositionDecl['items'][number]): void => {
    if (i.kind === 'group') i.instances.forEach(instance);
    else if (i.kind === 'instance') {
      if (i.type.kind === 'reference') scope.resolve('Component', i.type, sink, before);
      else checkComponent('<anonymous>', i.type, scope, sink, before);
    } else if (i.kind === 'connection') {
      if (i.connector.kind === 'reference') scope.resolve('Connector', i.connector, sink, before);
      else checkConnector(i.connector, sink);
    }
  };
  c.items.forEach(instance);
}

/** Every definition in the spec, top-level and inline (anonymous components and connectors). */
export function checkDefinitions(spec: LoadedSpec, scope: Scope, sink: Sink): void {
  spec.items.forEach((item, index) => {
    if (item.kind === 'component') {
      checkComponent(item.name ?? '<anonymous>', item.body, scope, sink, index);
      if (item.body.composition?.kind === 'composition') checkComposition(item.body.composition, scope, sink, index);
    } else if (item.kind === 'composition') checkComposition(item, scope, sink, index);
    else if (item.kind === 'assembly') {
      for (const part of item.items) if (part.kind === 'composition') checkComposition(part, scope, sink, index);
    }
    else if (item.kind === 'procedure') checkProcedure(item, sink);
    else if (item.kind === 'connector') checkConnector(item.body, sink);
    else if (item.kind === 'struct') for (const f of item.fields) checkAttributeType(f, scope, sink, index);
  });
}
