/**
 * Resolution: a loaded spec (`loadCamkes`) becomes a `ResolvedAssembly` (see types.ts and the
 * "Resolution" section of src/camkes/README.md). Structural impossibilities found on the way are
 * positioned `DiagnosticError`s with upstream's wording; the full rule set is the checker's.
 */
import { errorAt } from '../../diagnostics';
import type { CompositionDecl, ConfigurationDecl, LoadedSpec, ProcedureDecl, StructDecl } from '../ast';
import { Flattener, type RawConnection, type RawSetting } from './flatten';
import { Scope } from './scope';
import { attributesOf, resolveSettings, settingsByTarget } from './settings';
import type { ResolvedAssembly, ResolvedAttribute, ResolvedConnection, ResolvedEnd, ResolvedInstance } from './types';

export * from './types';
export {
  evalItem, evalNumeric, plain, num, str, show, dictGet, lookupPath,
  type Value, type IntValue, type FloatValue, type StringVal, type ListVal, type DictVal, type QueryVal, type Plain,
} from './values';

export function resolveAssembly(spec: LoadedSpec): ResolvedAssembly {
  const scope = new Scope(spec);
  const assemblies = spec.items.filter((i) => i.kind === 'assembly');
  if (assemblies.length === 0) throw errorAt({ file: spec.root, line: 1, col: 1 }, 'no assembly found in input specification');

  // Every assembly block is merged into the first (A.10): one composition, one configuration.
  const compItems: CompositionDecl['items'][number][] = [];
  const confs: ConfigurationDecl[] = [];
  for (const a of assemblies)
    for (const it of a.items) {
      if (it.kind === 'composition') compItems.push(...it.items);
      else if (it.kind === 'composition-ref') compItems.push(...scope.composition(it.ref).items);
      else if (it.kind === 'configuration') confs.push(it);
      else if (it.kind === 'configuration-ref') confs.push(scope.configuration(it.ref));
    }
  const first = assemblies[0];
  const merged: CompositionDecl = { kind: 'composition', pos: first.pos, items: compItems };
  const fl = new Flattener(scope);
  fl.composition(merged, '');
  if (fl.out.instances.length === 0) throw errorAt(first.pos, 'no instances declared in assembly');

  const top: RawSetting[] = [];
  for (const c of confs) fl.settings(c, '', undefined, top);
  const rawConnections = fl.out.connections;
  const connByName = new Map(rawConnections.map((c) => [c.name, c]));
  const declared = {
    attribute: (target: string, name: string) => {
      const inst = fl.instance(target);
      if (inst) return inst.type.attributes.find((a) => a.name === name);
      return connByName.get(target)?.connector.defn.attributes.find((a) => a.name === name);
    },
  };
  // Inner (compound) settings first, so that a top-level setting of the same attribute wins.
  const settings = resolveSettings([...fl.out.innerSettings, ...top], declared, scope);

  const byTarget = settingsByTarget(settings);
  const instances: ResolvedInstance[] = fl.out.instances.map((ri) => ({
    ...ri,
    attributes: attributesOf(ri.type.attributes, byTarget.get(ri.name) ?? [], scope),
  }));
  const instMap = new Map(instances.map((i) => [i.name, i]));

  const lift = (c: RawConnection): ResolvedConnection => {
    const ends: ResolvedEnd[] = c.ends.map((e) => ({ direction: e.direction, instance: instMap.get(e.instance)!, interface: e.interface, written: e.written, pos: e.pos }));
    return {
      name: c.name,
      connector: c.connector,
      ends,
      from: ends.filter((e) => e.direction === 'from'),
      to: ends.filter((e) => e.direction === 'to'),
      mergedFrom: [c.name],
      attributes: attributesOf(c.connector.defn.attributes, byTarget.get(c.name) ?? [], scope),
      pos: c.pos,
    };
  };
  const declaredConnections = rawConnections.map(lift);
  const connections = mergeConnections(declaredConnections);
  const connMap = new Map<string, ResolvedConnection>();
  for (const c of connections) {
    connMap.set(c.name, c);
    for (const n of c.mergedFrom) connMap.set(n, c);
  }

  return {
    spec,
    pos: first.pos,
    instances,
    connections,
    declaredConnections,
    groups: fl.out.groups,
    settings,
    components: scope.allComponents(),
    connectors: scope.allConnectors(),
    procedures: scope.table<ProcedureDecl>('Procedure'),
    structs: scope.table<StructDecl>('Struct'),
    instance: (n) => instMap.get(n),
    connection: (n) => connMap.get(n),
  };
}

const endKey = (e: ResolvedEnd) => `${e.direction} ${e.instance.name}.${e.interface.name}`;

/**
 * Stage 9: connections sharing an end (same direction, instance and interface) become one,
 * named by the sorted names joined with `.` (A.8). They must use one connector.
 */
function mergeConnections(conns: readonly ResolvedConnection[]): ResolvedConnection[] {
  const parent = conns.map((_, i) => i);
  const findRoot = (i: number): number => (parent[i] === i ? i : (parent[i] = findRoot(parent[i])));
  const owner = new Map<string, number>();
  conns.forEach((c, i) => {
    for (const e of c.ends) {
      const k = endKey(e);
      const j = owner.get(k);
      if (j === undefined) owner.set(k, i);
      else parent[findRoot(i)] = findRoot(j);
    }
  });
  const groups = new Map<number, ResolvedConnection[]>();
  conns.forEach((c, i) => {
    const r = findRoot(i);
    const g = groups.get(r);
    if (g) g.push(c);
    else groups.set(r, [c]);
  });
  const out: ResolvedConnection[] = [];
  for (const g of groups.values()) {
    if (g.length === 1) {
      out.push(g[0]);
      continue;
    }
    const base = g[0];
    const other = g.find((c) => c.connector !== base.connector);
    if (other) throw errorAt(other.pos, `Multiple connectors used in connections involving ${other.name}. (${base.connector.name}, ${other.connector.name})`);
    const seen = new Set<string>();
    const ends = g.flatMap((c) => c.ends).filter((e) => (seen.has(endKey(e)) ? false : (seen.add(endKey(e)), true)));
    const attributes = new Map<string, ResolvedAttribute>();
    for (const c of g) for (const [k, v] of c.attributes) if (!attributes.has(k) || v.source !== 'default') attributes.set(k, v);
    const names = g.map((c) => c.name).sort();
    out.push({
      name: names.join('.'),
      connector: base.connector,
      ends,
      from: ends.filter((e) => e.direction === 'from'),
      to: ends.filter((e) => e.direction === 'to'),
      mergedFrom: names,
      attributes,
      pos: base.pos,
    });
  }
  return out;
}
