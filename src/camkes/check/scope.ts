/**
 * camkes-tool stage 4 for top-level entities: one namespace per kind, duplicates refused,
 * references resolved backwards only (reference A.4: an entity must be defined earlier in the
 * flattened import order; `--allow-forward-references` is not modelled).
 */
import type { SourcePos } from '../../diagnostics';
import type {
  AssemblyDecl, ComponentDecl, CompositionDecl, ConfigurationDecl, ConnectorDecl, LoadedSpec,
  ProcedureDecl, Reference, StructDecl,
} from '../ast';
import type { Sink } from './context';
import { MSG } from './messages';

/** Upstream's class names, as printed in duplicate and unknown-reference messages. */
export type EntityKind = 'Component' | 'Procedure' | 'Connector' | 'Struct' | 'Composition' | 'Configuration' | 'Assembly';

interface KindMap {
  Component: ComponentDecl;
  Procedure: ProcedureDecl;
  Connector: ConnectorDecl;
  Struct: StructDecl;
  Composition: CompositionDecl;
  Configuration: ConfigurationDecl;
  Assembly: AssemblyDecl;
}

interface Entry<K extends EntityKind> {
  readonly decl: KindMap[K];
  /** Index of the defining item in `LoadedSpec.items`. */
  readonly index: number;
}

const KIND_OF: Record<string, EntityKind | undefined> = {
  component: 'Component', procedure: 'Procedure', connector: 'Connector', struct: 'Struct',
  composition: 'Composition', configuration: 'Configuration', assembly: 'Assembly',
};

export class Scope {
  private readonly tables = new Map<EntityKind, Map<string, Entry<EntityKind>>>();

  constructor(spec: LoadedSpec, sink: Sink) {
    spec.items.forEach((item, index) => {
      const kind = KIND_OF[item.kind];
      if (!kind || item.name === undefined) return;
      let t = this.tables.get(kind);
      if (!t) this.tables.set(kind, (t = new Map()));
      const prev = t.get(item.name);
      if (prev) sink.error(item.pos, MSG.duplicateDefinition(kind, item.name, prev.decl.pos));
      else t.set(item.name, { decl: item as KindMap[EntityKind], index });
    });
  }

  /** The entity `name` of `kind` defined before item `before` (all of them when omitted). */
  get<K extends EntityKind>(kind: K, name: string, before = Infinity): KindMap[K] | undefined {
    const e = this.tables.get(kind)?.get(name);
    return e && e.index < before ? (e.decl as KindMap[K]) : undefined;
  }

  /**
   * Resolves a reference to an entity of `kind`, or records upstream's unknown-reference error
   * (with its hint naming same-named entities of other kinds) and returns undefined.
   */
  resolve<K extends EntityKind>(kind: K, ref: Reference, sink: Sink, before = Infinity): KindMap[K] | undefined {
    const name = ref.names.join('.');
    const found = ref.names.length === 1 ? this.get(kind, name, before) : undefined;
    if (found) return found;
    sink.error(ref.pos, this.unknown(kind, name, before));
    return undefined;
  }

  unknown(kind: EntityKind, name: string, before = Infinity): string {
    const others: { pos: SourcePos; name: string; kind: string }[] = [];
    for (const [k, t] of this.tables) {
      const e = t.get(name);
      if (k !== kind && e && e.index < before) others.push({ pos: e.decl.pos, name, kind: k });
    }
    return MSG.unknownReference(name, others);
  }
}
