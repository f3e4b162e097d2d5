/**
 * Flattening (camkes-tool stage 7, reference A.8/A.11): instances of compound components are
 * replaced by their inner instances named `outer.inner`, connections and settings are copied with
 * the same prefix, connection ends are resolved to (instance, interface) and ends on exported
 * interfaces are redirected to the inner interface they alias.
 */
import { errorAt, type SourcePos } from '../../diagnostics';
import type { CompositionDecl, ConfigurationDecl, Connection, ConnectionEnd, Instance, Setting } from '../ast';
import type { Scope } from './scope';
import type { ResolvedComponent, ResolvedConnector, ResolvedGroup, ResolvedInterface } from './types';

export interface RawInstance {
  readonly name: string;
  readonly type: ResolvedComponent;
  readonly addressSpace: string;
  readonly group?: string;
  readonly parent?: string;
  readonly pos: SourcePos;
}

export interface RawEnd {
  readonly direction: 'from' | 'to';
  readonly instance: string;
  readonly interface: ResolvedInterface;
  readonly written: string;
  readonly pos: SourcePos;
}

export interface RawConnection {
  readonly name: string;
  readonly connector: ResolvedConnector;
  readonly ends: readonly RawEnd[];
  readonly pos: SourcePos;
}

/** A setting with its target made absolute; `ref` is the absolute `<-` referent, if any. */
export interface RawSetting {
  readonly target: string;
  readonly attribute: string;
  readonly setting: Setting;
  readonly ref?: { readonly target: string; readonly attribute: string };
}

export interface Flat {
  readonly instances: RawInstance[];
  readonly connections: RawConnection[];
  readonly groups: ResolvedGroup[];
  /** Settings of compound components' configurations, prefixed, in instance order. */
  readonly innerSettings: RawSetting[];
}

type Local = { readonly kind: 'instance'; readonly flat: RawInstance } | { readonly kind: 'group'; readonly members: Map<string, RawInstance>; readonly pos: SourcePos };

const where = (p: SourcePos) => `${p.file}:${p.line}`;

export class Flattener {
  readonly out: Flat = { instances: [], connections: [], groups: [], innerSettings: [] };
  private readonly byName = new Map<string, RawInstance>();
  private anonGroups = 0;

  constructor(private readonly scope: Scope) {}

  instance(name: string): RawInstance | undefined {
    return this.byName.get(name);
  }

  /**
   * Flattens one composition. `prefix` is `outer.` inside a compound instance, `owner` that
   * instance (bare interface names in connection ends refer to it).
   */
  composition(comp: CompositionDecl, prefix: string, owner?: RawInstance, locals = new Map<string, Local>()): void {
    const inner: RawInstance[] = [];
    const declare = (local: string, l: Local, pos: SourcePos) => {
      const prev = locals.get(local);
      if (prev) {
        const prevPos = prev.kind === 'instance' ? prev.flat.pos : prev.pos;
        throw errorAt(pos, `duplicate definition of group/component '${local}'; previous definition was at ${where(prevPos)}`);
      }
      locals.set(local, l);
    };
    const add = (it: Instance, group?: string): RawInstance => {
      const type = it.type.kind === 'reference' ? this.scope.componentByRef(it.type) : this.scope.inlineComponent(it.type);
      const name = prefix + it.name;
      const ri: RawInstance = { name, type, addressSpace: group ?? name, pos: it.pos, ...(group ? { group } : {}), ...(owner ? { parent: owner.name } : {}) };
      this.out.instances.push(ri);
      this.byName.set(name, ri);
      inner.push(ri);
      return ri;
    };
    for (const it of comp.items) {
      if (it.kind === 'instance') declare(it.name, { kind: 'instance', flat: add(it) }, it.pos);
      else if (it.kind === 'group') {
        const anonymous = it.name === undefined;
        const gname = anonymous ? `${prefix}<group ${++this.anonGroups}>` : prefix + it.name!;
        const members = new Map<string, RawInstance>();
        for (const m of it.instances) {
          const ri = add(m, gname);
          if (members.has(m.name)) throw errorAt(m.pos, `duplicate definition of group/component '${m.name}'; previous definition was at ${where(members.get(m.name)!.pos)}`);
          members.set(m.name, ri);
          // Instances of an anonymous group are addressed directly (there is no name to qualify them with).
          if (anonymous) declare(m.name, { kind: 'instance', flat: ri }, m.pos);
        }
        if (!anonymous) declare(it.name!, { kind: 'group', members, pos: it.pos }, it.pos);
        this.out.groups.push({ name: gname, anonymous, instances: [...members.values()].map((r) => r.name), pos: it.pos });
      }
    }
    for (const it of comp.items) if (it.kind === 'connection') this.connection(it, prefix, owner, locals);
    for (const ri of inner) if (ri.type.compound) this.expand(ri);
  }

  /** Inlines a compound instance's composition and configuration. */
  private expand(ri: RawInstance): void {
    const d = ri.type.defn;
    if (!d.composition) return;
    const comp = d.composition.kind === 'composition' ? d.composition : this.scope.composition(d.composition.ref);
    this.composition(comp, ri.name + '.', ri);
    if (d.configuration) {
      const conf = d.configuration.kind === 'configuration' ? d.configuration : this.scope.configuration(d.configuration.ref);
      this.settings(conf, ri.name + '.', ri.name, this.out.innerSettings);
    }
  }

  /** Collects a configuration's settings with absolute targets. */
  settings(conf: ConfigurationDecl, prefix: string, owner: string | undefined, into: RawSetting[]): void {
    for (const s of conf.settings) {
      let ref: RawSetting['ref'];
      if (s.value.kind === 'attr-ref') {
        const n = s.value.names;
        if (n.length === 1) ref = owner ? { target: owner, attribute: n[0] } : undefined;
        else ref = { target: prefix + n.slice(0, -1).join('.'), attribute: n[n.length - 1] };
        if (!ref) throw errorAt(s.value.pos, `unknown reference to '${n[0]}'`);
      }
      into.push({ target: prefix + s.instance, attribute: s.attribute, setting: s, ...(ref ? { ref } : {}) });
    }
  }

  private connection(c: Connection, prefix: string, owner: RawInstance | undefined, locals: Map<string, Local>): void {
    const connector = c.connector.kind === 'reference' ? this.scope.connectorByRef(c.connector) : this.scope.inlineConnector(c.connector);
    const ends = c.ends.map((e) => this.end(e, owner, locals));
    this.out.connections.push({ name: prefix + c.name, connector, ends, pos: c.pos });
  }

  private end(e: ConnectionEnd, owner: RawInstance | undefined, locals: Map<string, Local>): RawEnd {
    const names = e.ref.names;
    const written = names.join('.');
    let inst: RawInstance;
    let rest: readonly string[];
    if (names.length === 1) {
      // A bare interface names the enclosing compound component's own interface (A.8).
      if (!owner) throw errorAt(e.ref.pos, `unknown reference to '${names[0]}'`);
      inst = owner;
      rest = names;
    } else {
      const l = locals.get(names[0]);
      if (!l) throw errorAt(e.ref.pos, `unknown reference to '${names[0]}'`);
      if (l.kind === 'group') {
        const m = l.members.get(names[1]);
        if (!m || names.length < 3) throw errorAt(e.ref.pos, `unknown reference to '${names.slice(0, 2).join('.')}'`);
        inst = m;
        rest = names.slice(2);
      } else {
        inst = l.flat;
        rest = names.slice(1);
      }
    }
    if (rest.length !== 1) throw errorAt(e.ref.pos, `unknown reference to '${written}'`);
    const iface = inst.type.interfaces.find((i) => i.name === rest[0]);
    if (!iface) throw errorAt(e.ref.pos, `unknown reference to '${written}'`);
    return this.redirect({ direction: e.direction, instance: inst.name, interface: iface, written, pos: e.pos });
  }

  /** Follows `export inner.iface -> outer_iface;` down to a real interface (A.11). */
  private redirect(end: RawEnd): RawEnd {
    let cur = end;
    for (let depth = 0; cur.interface.exportedFrom !== undefined; depth++) {
      const src = cur.interface.exportedFrom;
      const dot = src.lastIndexOf('.');
      const inner = this.innerOf(this.byName.get(cur.instance)!, src.slice(0, dot));
      const iface = inner?.type.interfaces.find((i) => i.name === src.slice(dot + 1));
      if (!inner || !iface || depth > 64) throw errorAt(end.pos, `unknown reference to '${src}'`);
      cur = { ...cur, instance: inner.name, interface: iface };
    }
    return cur;
  }

  /**
   * The inner instance `local` of a compound instance. The compound is expanded after the
   * connections of the composition that holds it, so this looks in its composition directly.
   */
  private innerOf(owner: RawInstance, local: string): { name: string; type: ResolvedComponent } | undefined {
    const d = owner.type.defn;
    if (!d.composition) return undefined;
    const comp = d.composition.kind === 'composition' ? d.composition : this.scope.composition(d.composition.ref);
    for (const it of comp.items) {
      const cands = it.kind === 'instance' ? [it] : it.kind === 'group' ? it.instances : [];
      for (const m of cands) {
        if (m.name !== local) continue;
        const type = m.type.kind === 'reference' ? this.scope.componentByRef(m.type) : this.scope.inlineComponent(m.type);
        return { name: `${owner.name}.${local}`, type };
      }
    }
    return undefined;
  }
}
