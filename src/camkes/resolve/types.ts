/**
 * The resolved assembly: what camkes-tool has after stages 3-9 (lift, resolve references, merge
 * assemblies, flatten compound components, resolve `<-` references, merge N-to-1 connections),
 * before the checks of stage 10 (the checker, src/camkes/check, adds those).
 */
import type { SourcePos } from '../../diagnostics';
import type {
  Attribute, ComponentDefn, ConnectorDefn, EndType, Interface, LoadedSpec, ProcedureDecl, StructDecl, TypeExpr,
} from '../ast';
import type { Value } from './values';

export type InterfaceKind = 'provides' | 'uses' | 'emits' | 'consumes' | 'dataport';

export interface ResolvedInterface {
  readonly name: string;
  readonly kind: InterfaceKind;
  /**
   * What ends are compared on (A.12 conflicting types): the procedure name, the event type name,
   * or the dataport type as written (`Buf`, `Buf(4096)`, a C type name).
   */
  readonly type: string;
  readonly maybe: boolean;
  /** For provides/uses: the procedure declaration. */
  readonly procedure?: ProcedureDecl;
  /** For dataports: bytes from `Buf(N)` (`Buf` alone is 4096); absent for C type names (`sizeof`). */
  readonly dataportSize?: number;
  /** Set on a compound component's exported (virtual) interface: the inner `instance.interface` it aliases. */
  readonly exportedFrom?: string;
  readonly pos: SourcePos;
  readonly ast: Interface;
}

export interface ResolvedComponent {
  /** The declared name, or `<anonymous>` for an inline `component { ... } x;`. */
  readonly name: string;
  readonly control: boolean;
  readonly hardware: boolean;
  readonly interfaces: readonly ResolvedInterface[];
  readonly attributes: readonly Attribute[];
  /** `has mutex m;` etc., in declared order. */
  readonly has: readonly { readonly what: 'mutex' | 'semaphore' | 'binary_semaphore'; readonly name: string; readonly pos: SourcePos }[];
  /** True when the component has a composition (it is flattened away into its inner instances). */
  readonly compound: boolean;
  readonly pos: SourcePos;
  readonly defn: ComponentDefn;
}

/** An attribute's effective value on an instance or connection. */
export interface ResolvedAttribute {
  readonly name: string;
  readonly value: Value;
  /** Where the value came from: an explicit setting, a `<-` reference, or the declared default. */
  readonly source: 'setting' | 'reference' | 'default';
  /** The setting (or default) that gave the value. */
  readonly pos: SourcePos;
  /** The declaration, when the attribute is declared on the component/connector. */
  readonly declared?: Attribute;
}

export interface ResolvedInstance {
  /** Flattened name: `outer.inner` for an instance inside a compound component (A.11). */
  readonly name: string;
  readonly type: ResolvedComponent;
  /** Address space: the group's name for a grouped instance, else the instance's own name. */
  readonly addressSpace: string;
  readonly group?: string;
  /** The compound instance this one was flattened out of. */
  readonly parent?: string;
  /** Declared defaults merged with settings (settings for undeclared attributes included). */
  readonly attributes: ReadonlyMap<string, ResolvedAttribute>;
  readonly pos: SourcePos;
}

export interface ConnectorEndType {
  readonly type: EndType;
  readonly hardware: boolean;
  /** `with N threads`; absent when not written. */
  readonly threads?: number;
  /** Plural end type (`Events`, `Procedures`, `Dataports`): one or more ends allowed. */
  readonly multiple: boolean;
  /** `Event(s)` → 'event', `Procedure(s)` → 'procedure', `Dataport(s)` → 'dataport'. */
  readonly kind: 'event' | 'procedure' | 'dataport';
}

export interface ResolvedConnector {
  /** Declared name, or `<anonymous>` for an inline connector. */
  readonly name: string;
  readonly from: ConnectorEndType;
  readonly to: ConnectorEndType;
  /** Connector attribute defaults (e.g. `disable_interface_type_checking`), evaluated. */
  readonly attributes: ReadonlyMap<string, Value>;
  readonly pos: SourcePos;
  readonly defn: ConnectorDefn;
}

export interface ResolvedEnd {
  readonly direction: 'from' | 'to';
  readonly instance: ResolvedInstance;
  readonly interface: ResolvedInterface;
  /** The end as written (`g.a.iface`, `w.p`), before export redirection. */
  readonly written: string;
  readonly pos: SourcePos;
}

export interface ResolvedConnection {
  /** Flattened name (`outer.c`); for merged connections the sorted names joined by `.` (A.8). */
  readonly name: string;
  readonly connector: ResolvedConnector;
  readonly ends: readonly ResolvedEnd[];
  readonly from: readonly ResolvedEnd[];
  readonly to: readonly ResolvedEnd[];
  /** Names of the declared connections merged into this one (just `[name]` when not merged). */
  readonly mergedFrom: readonly string[];
  /** Settings whose target is this connection's name (`conn.size`, `conn.buffer`), plus connector defaults. */
  readonly attributes: ReadonlyMap<string, ResolvedAttribute>;
  readonly pos: SourcePos;
}

/** One `target.attr = value;` after flattening and `<-` resolution (targets may name nothing). */
export interface ResolvedSetting {
  readonly target: string;
  readonly attribute: string;
  readonly value: Value;
  readonly reference: boolean;
  readonly pos: SourcePos;
}

export interface ResolvedGroup {
  /** The group's name; anonymous groups get `<group N>` (upstream gives them generated names). */
  readonly name: string;
  readonly anonymous: boolean;
  readonly instances: readonly string[];
  readonly pos: SourcePos;
}

export interface StructType {
  readonly name: string;
  readonly fields: readonly Attribute[];
  readonly pos: SourcePos;
}

export interface ResolvedAssembly {
  readonly spec: LoadedSpec;
  /** Position of the first `assembly` (the one every later assembly is merged into, A.10). */
  readonly pos: SourcePos;
  readonly instances: readonly ResolvedInstance[];
  /** After N-to-1 merging (stage 9): what instantiation uses. */
  readonly connections: readonly ResolvedConnection[];
  /** Each declared connection (flattened, not merged), for checks that speak of declared names. */
  readonly declaredConnections: readonly ResolvedConnection[];
  readonly groups: readonly ResolvedGroup[];
  /** Every setting in order, including those for unknown targets and undeclared attributes. */
  readonly settings: readonly ResolvedSetting[];
  readonly components: ReadonlyMap<string, ResolvedComponent>;
  readonly connectors: ReadonlyMap<string, ResolvedConnector>;
  readonly procedures: ReadonlyMap<string, ProcedureDecl>;
  readonly structs: ReadonlyMap<string, StructDecl>;
  /** Lookups. */
  instance(name: string): ResolvedInstance | undefined;
  connection(name: string): ResolvedConnection | undefined;
}

/** Text of a type expression as written (`unsigned int`, `S`, `struct S`, `{...}`). */
export function typeName(t: TypeExpr): string {
  switch (t.kind) {
    case 'keyword-type':
      return t.name;
    case 'named-type':
      return t.ref.names.join('.');
    case 'struct-type':
      return `struct ${t.name}`;
    case 'struct-defn':
      return '<anonymous struct>';
  }
}
