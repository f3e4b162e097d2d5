/**
 * Top-level names (stage 4 scoping) and the lifting of component and connector declarations into
 * their resolved form. Errors use upstream's wording (reference A.12).
 */
import { errorAt, type SourcePos } from '../../diagnostics';
import type {
  ComponentDecl, ComponentDefn, CompositionDecl, ConfigurationDecl, ConnectorDecl, ConnectorDefn, ConnectorEnd,
  LoadedSpec, ProcedureDecl, Reference, StructDecl,
} from '../ast';
import type { ConnectorEndType, ResolvedComponent, ResolvedConnector, ResolvedInterface } from './types';
import { evalItem, evalNumeric, num, type Value } from './values';

type Kind = 'Component' | 'Connector' | 'Procedure' | 'Struct' | 'Composition' | 'Configuration';
type Entity = ComponentDecl | ConnectorDecl | ProcedureDecl | StructDecl | CompositionDecl | ConfigurationDecl;

const KIND_OF: Record<Entity['kind'], Kind> = {
  component: 'Component', connector: 'Connector', procedure: 'Procedure', struct: 'Struct',
  composition: 'Composition', configuration: 'Configuration',
};

const where = (p: SourcePos) => `${p.file}:${p.line}`;

export class Scope {
  private readonly byKind = new Map<Kind, Map<string, Entity>>();
  private readonly byName = new Map<string, Entity[]>();
  private readonly components = new Map<Entity, ResolvedComponent>();
  private readonly connectors = new Map<Entity | ConnectorDefn, ResolvedConnector>();

  constructor(readonly spec: LoadedSpec) {
    for (const it of spec.items) {
      if (it.kind === 'assembly' || !it.name) continue;
      const kind = KIND_OF[it.kind];
      let m = this.byKind.get(kind);
      if (!m) this.byKind.set(kind, (m = new Map()));
      const prev = m.get(it.name);
      if (prev) throw errorAt(it.pos, `duplicate definition of ${kind} '${it.name}'; previous definition was at ${where(prev.pos)}`);
      m.set(it.name, it);
      const all = this.byName.get(it.name) ?? [];
      all.push(it);
      this.byName.set(it.name, all);
    }
  }

  names(kind: Kind): string[] {
    return [...(this.byKind.get(kind)?.keys() ?? [])];
  }

  /** `unknown reference to 'X'`, listing same-named entities of another kind as upstream does. */
  unknown(pos: SourcePos, name: string): never {
    const others = this.byName.get(name) ?? [];
    const extra = others.length
      ? '; entities of the same name but incorrect type: ' + others.map((e) => `\n ${where(e.pos)}: ${name} of type ${KIND_OF[e.kind]}`).join('')
      : '';
    throw errorAt(pos, `unknown reference to '${name}'${extra}`);
  }

  private find<T extends Entity>(kind: Kind, ref: Reference): T {
    const name = ref.names.join('.');
    const e = this.byKind.get(kind)?.get(name);
    if (!e) this.unknown(ref.pos, name);
    return e as T;
  }

  procedure(ref: Reference): ProcedureDecl {
    return this.find<ProcedureDecl>('Procedure', ref);
  }
  struct(name: string): StructDecl | undefined {
    return this.byKind.get('Struct')?.get(name) as StructDecl | undefined;
  }
  composition(ref: Reference): CompositionDecl {
    return this.find<CompositionDecl>('Composition', ref);
  }
  configuration(ref: Reference): ConfigurationDecl {
    return this.find<ConfigurationDecl>('Configuration', ref);
  }

  componentByRef(ref: Reference): ResolvedComponent {
    const decl = this.find<ComponentDecl>('Component', ref);
    return this.lift(decl, decl.name!, decl.body);
  }

  /** An inline `component { ... } x;` (each occurrence is its own type). */
  inlineComponent(defn: ComponentDefn): ResolvedComponent {
    return this.lift(defn, '<anonymous>', defn);
  }

  private lift(key: Entity | ComponentDefn, name: string, d: ComponentDefn): ResolvedComponent {
    const cached = this.components.get(key as Entity);
    if (cached) return cached;
    const exported = new Map<string, string>();
    if (d.composition?.kind === 'composition')
      for (const it of d.composition.items) if (it.kind === 'export') exported.set(it.destination.names.join('.'), it.source.names.join('.'));
    const interfaces: ResolvedInterface[] = [];
    const has: ResolvedComponent['has'][number][] = [];
    for (const it of d.items) {
      if (it.kind === 'has') has.push({ what: it.what, name: it.name, pos: it.pos });
      if (it.kind !== 'provides' && it.kind !== 'uses' && it.kind !== 'emits' && it.kind !== 'consumes' && it.kind !== 'dataport') continue;
      const base = { name: it.name, kind: it.kind, pos: it.pos, ast: it, maybe: 'maybe' in it ? it.maybe : false };
      const ex = exported.get(it.name) !== undefined ? { exportedFrom: exported.get(it.name)! } : {};
      if (it.kind === 'provides' || it.kind === 'uses') {
        interfaces.push({ ...base, ...ex, type: it.procedure.names.join('.'), procedure: this.procedure(it.procedure) });
      } else if (it.kind === 'emits' || it.kind === 'consumes') {
        interfaces.push({ ...base, ...ex, type: it.eventType });
      } else if (it.type.kind === 'buf') {
        const size = it.type.size ? evalNumeric(it.type.size) : undefined;
        const n = size === undefined ? 4096 : num(size);
        if (n === undefined || n <= 0) throw errorAt(it.type.pos, 'illegal value for dataport size');
        interfaces.push({ ...base, ...ex, type: size === undefined ? 'Buf' : `Buf(${n})`, dataportSize: n });
      } else {
        interfaces.push({ ...base, ...ex, type: it.type.name });
      }
    }
    const rc: ResolvedComponent = {
      name,
      control: d.items.some((i) => i.kind === 'control'),
      hardware: d.items.some((i) => i.kind === 'hardware'),
      interfaces,
      attributes: d.items.filter((i) => i.kind === 'attribute'),
      has,
      compound: d.composition !== undefined,
      pos: d.pos,
      defn: d,
    };
    this.components.set(key as Entity, rc);
    return rc;
  }

  connectorByRef(ref: Reference): ResolvedConnector {
    const decl = this.find<ConnectorDecl>('Connector', ref);
    return this.liftConnector(decl, decl.name!, decl.body);
  }

  inlineConnector(defn: ConnectorDefn): ResolvedConnector {
    return this.liftConnector(defn, '<anonymous>', defn);
  }

  private liftConnector(key: Entity | ConnectorDefn, name: string, d: ConnectorDefn): ResolvedConnector {
    const cached = this.connectors.get(key);
    if (cached) return cached;
    const attributes = new Map<string, Value>();
    for (const a of d.attributes) if (a.default) attributes.set(a.name, evalItem(a.default));
    const rc: ResolvedConnector = { name, from: endType(d.from), to: endType(d.to), attributes, pos: d.pos, defn: d };
    this.connectors.set(key, rc);
    return rc;
  }

  /** Every named component/connector/procedure/struct (for the assembly's tables). */
  allComponents(): Map<string, ResolvedComponent> {
    const out = new Map<string, ResolvedComponent>();
    for (const [n, e] of this.byKind.get('Component') ?? []) out.set(n, this.lift(e, n, (e as ComponentDecl).body));
    return out;
  }
  allConnectors(): Map<string, ResolvedConnector> {
    const out = new Map<string, ResolvedConnector>();
    for (const [n, e] of this.byKind.get('Connector') ?? []) out.set(n, this.liftConnector(e, n, (e as ConnectorDecl).body));
    return out;
  }
  table<T extends Entity>(kind: 'Procedure' | 'Struct'): Map<string, T> {
    return new Map(this.byKind.get(kind) as Map<string, T> | undefined);
  }
}

function endType(e: ConnectorEnd): ConnectorEndType {
  let threads: number | undefined;
  if (e.threads) {
    const v = evalNumeric(e.threads);
    threads = num(v);
    if (threads === undefined || threads < 0) throw errorAt(e.threads.pos, `illegal thread value '${v.kind === 'int' ? v.value : v.value}'`);
  }
  const kind = e.type.startsWith('Event') ? 'event' : e.type.startsWith('Procedure') ? 'procedure' : 'dataport';
  const base = { type: e.type, hardware: e.hardware, multiple: e.type.endsWith('s'), kind } as const;
  return threads === undefined ? base : { ...base, threads };
}
