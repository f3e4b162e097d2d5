/**
 * AST of one CAmkES ADL file, as parsed (camkes-tool stage 1 plus the literal conversions of
 * stage 3). Nothing here is resolved: names are `Reference`s, expressions are unevaluated,
 * `import`s are kept as nodes (the loader inlines imported files, see parse/load.ts).
 *
 * Every node has `kind` (discriminator) and `pos` (its first token, mapped back through the
 * preprocessor to the user's file). Grammar: reference doc Part A.3; comments name the rule.
 */
import type { SourcePos } from '../diagnostics';

interface Node {
  readonly pos: SourcePos;
}

// ---------------------------------------------------------------- names and types

/** `reference := ID ("." ID)*` — a possibly dotted name, e.g. `vm0.dtb` or `g.a.iface`. */
export interface Reference extends Node {
  readonly kind: 'reference';
  readonly names: readonly string[];
}

/**
 * Spelled keyword scalar types, words joined by one space exactly as written:
 * `int`, `integer`, `signed`, `signed int`, `signed integer`, `unsigned`, `unsigned int`,
 * `unsigned integer`, `char`, `signed char`, `unsigned char`, `string`, `uint64_t`, `int64_t`.
 * Normalisation (`integer` → `int`, ...) is the checker's job (upstream camkes/ast/type.py).
 */
export interface KeywordType extends Node {
  readonly kind: 'keyword-type';
  readonly name: string;
}
/** A type written as an identifier or dotted reference: a struct name, or a C typedef in methods. */
export interface NamedType extends Node {
  readonly kind: 'named-type';
  readonly ref: Reference;
}
/** `struct S` — parses, but lifting rejects it as an attribute type (`type: "struct S" is not a valid type`). */
export interface StructKeywordType extends Node {
  readonly kind: 'struct-type';
  readonly name: string;
}
/** Anonymous `{ int a; string b = "x"; }` used as a type (heavily used by the VM macros). */
export interface StructDefn extends Node {
  readonly kind: 'struct-defn';
  readonly fields: readonly Attribute[];
}
export type TypeExpr = KeywordType | NamedType | StructKeywordType | StructDefn;

// ---------------------------------------------------------------- values

/** Integer literal (`0x..` or decimal without a leading zero). `value` is exact (BigInt). */
export interface IntLiteral extends Node {
  readonly kind: 'int';
  readonly text: string;
  readonly value: bigint;
}
/** `\d+\.\d+` literal. */
export interface FloatLiteral extends Node {
  readonly kind: 'float';
  readonly text: string;
  readonly value: number;
}
/** `true`/`True`/`false`/`False`; numerically 1/0. */
export interface BoolLiteral extends Node {
  readonly kind: 'bool';
  readonly value: boolean;
}
export type UnaryOp = '-' | '+' | '!' | '~';
export type BinaryOp =
  | '||' | '&&' | '|' | '^' | '&' | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '<<' | '>>' | '+' | '-' | '*' | '/' | '%' | '**';
export interface UnaryExpr extends Node {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: NumericExpr;
}
/** All binary operators are left-associative, `**` included (it sits at the `*` level). */
export interface BinaryExpr extends Node {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: NumericExpr;
  readonly right: NumericExpr;
}
export interface TernaryExpr extends Node {
  readonly kind: 'ternary';
  readonly cond: NumericExpr;
  readonly then: NumericExpr;
  readonly else: NumericExpr;
}
/** `numeric_expr`: evaluated at lift time (stage 3). Parentheses are not kept; the printer re-adds them. */
export type NumericExpr = IntLiteral | FloatLiteral | BoolLiteral | UnaryExpr | BinaryExpr | TernaryExpr;

/** `string+`: adjacent string literals, already concatenated. Strings have no escapes, so `value` never contains `"`. */
export interface StringValue extends Node {
  readonly kind: 'string';
  readonly value: string;
}
export interface ListValue extends Node {
  readonly kind: 'list';
  readonly items: readonly Item[];
}
/** `key := numeric_expr | string+` */
export type DictKey = NumericExpr | StringValue;
export interface DictEntry extends Node {
  readonly kind: 'dict-entry';
  readonly key: DictKey;
  readonly value: Item;
}
export interface DictValue extends Node {
  readonly kind: 'dict';
  readonly entries: readonly DictEntry[];
}
/** `item := numeric_expr | string+ | list | dict` */
export type Item = NumericExpr | StringValue | ListValue | DictValue;

/**
 * `query := ID "(" ( dict | "[" dict,* "]" )? ")" dict_lookup?`, e.g. `dtb({"path": "/soc"})["reg"]`.
 * `arg` is absent for `q()`, a dict for `q({...})`, a list of dicts for `q([{...}, ...])`.
 */
export interface Query extends Node {
  readonly kind: 'query';
  readonly name: string;
  readonly arg?: DictValue | ListValue;
  readonly lookup: readonly DictKey[];
}
/** Right side of `<-`: `attr_ref := ID ("." ID)* dict_lookup?`, e.g. `a.x["k"][1]`. */
export interface AttributeReference extends Node {
  readonly kind: 'attr-ref';
  readonly names: readonly string[];
  readonly lookup: readonly DictKey[];
}

// ---------------------------------------------------------------- shared items

/** `import ( string+ | <angle> ) ;` — `angle` imports search the import path, quoted ones are relative to the file. */
export interface Import extends Node {
  readonly kind: 'import';
  readonly path: string;
  readonly angle: boolean;
}
/** `include ( string+ | <angle> ) ;` — a C header for generated glue; CAmkES never reads it. */
export interface Include extends Node {
  readonly kind: 'include';
  readonly path: string;
  readonly angle: boolean;
}
/**
 * `attr_param ( "=" item )?` — `attribute T name[] = default;` in components/connectors, a struct
 * field, or (without keyword and `;`) a procedure attribute.
 */
export interface Attribute extends Node {
  readonly kind: 'attribute';
  readonly type: TypeExpr;
  readonly name: string;
  readonly array: boolean;
  readonly default?: Item;
}

// ---------------------------------------------------------------- procedures

export type Direction = 'in' | 'out' | 'inout' | 'refin';
export interface Parameter extends Node {
  readonly kind: 'parameter';
  /** As written; absent means the default `in`. */
  readonly direction?: Direction;
  readonly type: TypeExpr;
  readonly name: string;
  readonly array: boolean;
}
export interface Method extends Node {
  readonly kind: 'method';
  /** Absent for `void`. */
  readonly returnType?: TypeExpr;
  readonly name: string;
  /** `m(void)` and `m()` both give `[]`. */
  readonly params: readonly Parameter[];
}
export interface ProcedureDecl extends Node {
  readonly kind: 'procedure';
  readonly name?: string;
  readonly items: readonly (Method | Attribute | Include)[];
}

// ---------------------------------------------------------------- components

/** `Buf`, `Buf(size)`, or a C type name declared in an included header. */
export type DataportType =
  | { readonly kind: 'buf'; readonly pos: SourcePos; readonly size?: NumericExpr }
  | { readonly kind: 'dataport-named'; readonly pos: SourcePos; readonly name: string };

export interface Provides extends Node {
  readonly kind: 'provides';
  readonly procedure: Reference;
  readonly name: string;
}
export interface Uses extends Node {
  readonly kind: 'uses';
  readonly maybe: boolean;
  readonly procedure: Reference;
  readonly name: string;
}
export interface Emits extends Node {
  readonly kind: 'emits';
  /** Event types need no declaration; only the name is compared across a connection. */
  readonly eventType: string;
  readonly name: string;
}
export interface Consumes extends Node {
  readonly kind: 'consumes';
  readonly maybe: boolean;
  readonly eventType: string;
  readonly name: string;
}
export interface Dataport extends Node {
  readonly kind: 'dataport';
  readonly maybe: boolean;
  readonly type: DataportType;
  readonly name: string;
}
export type Interface = Provides | Uses | Emits | Consumes | Dataport;

export interface Control extends Node {
  readonly kind: 'control';
}
export interface Hardware extends Node {
  readonly kind: 'hardware';
}
/** `has mutex m;`, `has semaphore s;`, `has binary_semaphore b;` */
export interface Has extends Node {
  readonly kind: 'has';
  readonly what: 'mutex' | 'semaphore' | 'binary_semaphore';
  readonly name: string;
}
export type ComponentItem = Interface | Control | Hardware | Has | Attribute | Include;

/**
 * `component_defn`: body of a component. A compound (hierarchical) component has a
 * composition and optionally a configuration; they are always the last items of the body.
 */
export interface ComponentDefn extends Node {
  readonly kind: 'component-defn';
  readonly items: readonly ComponentItem[];
  readonly composition?: CompositionDecl | CompositionRef;
  readonly configuration?: ConfigurationDecl | ConfigurationRef;
}
export interface ComponentDecl extends Node {
  readonly kind: 'component';
  readonly name?: string;
  readonly body: ComponentDefn;
}

// ---------------------------------------------------------------- connectors

export type EndType = 'Dataport' | 'Event' | 'Procedure' | 'Dataports' | 'Events' | 'Procedures';
export interface ConnectorEnd extends Node {
  readonly kind: 'connector-end';
  readonly hardware: boolean;
  readonly type: EndType;
  /** `with N thread(s)`; only affects code generation. */
  readonly threads?: NumericExpr;
}
export interface ConnectorDefn extends Node {
  readonly kind: 'connector-defn';
  readonly from: ConnectorEnd;
  readonly to: ConnectorEnd;
  readonly attributes: readonly Attribute[];
}
export interface ConnectorDecl extends Node {
  readonly kind: 'connector';
  readonly name?: string;
  readonly body: ConnectorDefn;
}

// ---------------------------------------------------------------- compositions

export interface Instance extends Node {
  readonly kind: 'instance';
  /** A component type name, or an anonymous inline `component { ... } name;`. */
  readonly type: Reference | ComponentDefn;
  readonly name: string;
}
/** `[group.]instance.interface`, or a bare `interface` inside a compound component. */
export interface ConnectionEnd extends Node {
  readonly kind: 'connection-end';
  readonly direction: 'from' | 'to';
  readonly ref: Reference;
}
export interface Connection extends Node {
  readonly kind: 'connection';
  /** A connector name, or an anonymous inline `{ from ...; to ...; }` (written without a keyword). */
  readonly connector: Reference | ConnectorDefn;
  readonly name: string;
  /** Any number of ends in written order; `from`/`to` may interleave. */
  readonly ends: readonly ConnectionEnd[];
}
export interface Group extends Node {
  readonly kind: 'group';
  readonly name?: string;
  readonly instances: readonly Instance[];
}
/** `export inner.iface -> outer_iface;` (only meaningful in a compound component). */
export interface Export extends Node {
  readonly kind: 'export';
  readonly source: Reference;
  readonly destination: Reference;
}
export type CompositionItem = Instance | Connection | Group | Export;
export interface CompositionDecl extends Node {
  readonly kind: 'composition';
  readonly name?: string;
  readonly items: readonly CompositionItem[];
}
/** `composition Foo;` — names a top-level composition. */
export interface CompositionRef extends Node {
  readonly kind: 'composition-ref';
  readonly ref: Reference;
}

// ---------------------------------------------------------------- configurations

/** `instance.attribute = value;` or `instance.attribute <- ref;` (the target may also be a connection name). */
export interface Setting extends Node {
  readonly kind: 'setting';
  readonly instance: string;
  readonly attribute: string;
  readonly value: Item | Query | AttributeReference;
}
export interface ConfigurationDecl extends Node {
  readonly kind: 'configuration';
  readonly name?: string;
  readonly settings: readonly Setting[];
}
export interface ConfigurationRef extends Node {
  readonly kind: 'configuration-ref';
  readonly ref: Reference;
}

// ---------------------------------------------------------------- assemblies and structs

export interface ScheduleItem extends Node {
  readonly kind: 'schedule-item';
  readonly domain: IntLiteral | FloatLiteral;
  readonly duration: IntLiteral | FloatLiteral;
  /** As written; absent means ticks. */
  readonly unit?: 'ticks' | 'us';
}
/** `schedule { [ (d, t [ticks|us]), ... ] }` — at least two items. */
export interface Schedule extends Node {
  readonly kind: 'schedule';
  readonly items: readonly ScheduleItem[];
}
/**
 * `assembly [name] { ... }`. Items are kept in order: upstream asserts exactly one composition
 * and at most one configuration and schedule per block when lifting, which the checker reports.
 */
export interface AssemblyDecl extends Node {
  readonly kind: 'assembly';
  readonly name?: string;
  readonly items: readonly (CompositionDecl | CompositionRef | ConfigurationDecl | ConfigurationRef | Schedule)[];
}
export interface StructDecl extends Node {
  readonly kind: 'struct';
  readonly name: string;
  readonly fields: readonly Attribute[];
}

export type TopItem =
  | Import | ProcedureDecl | ComponentDecl | CompositionDecl | ConfigurationDecl
  | ConnectorDecl | StructDecl | AssemblyDecl;

/** One parsed file. Bare top-level `;` are dropped. */
export interface Spec {
  readonly kind: 'spec';
  readonly file: string;
  readonly items: readonly TopItem[];
}

/**
 * Result of `loadCamkes`: every file's items in flattened order (each `import` replaced by the
 * imported file's items at that point, as camkes-tool stage 2 does). Node positions name their file.
 */
export interface LoadedSpec {
  readonly kind: 'loaded-spec';
  readonly root: string;
  /** Absolute paths of every file read, in the order read (root first). */
  readonly files: readonly string[];
  readonly items: readonly Exclude<TopItem, Import>[];
}

/** The CAmkES reserved words (reference A.2). `Buf` is also accepted where an identifier is expected. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'assembly', 'attribute', 'Buf', 'char', 'component', 'composition', 'configuration', 'connection',
  'connector', 'consumes', 'control', 'dataport', 'Dataport', 'Dataports', 'emits', 'Event', 'Events',
  'export', 'False', 'false', 'from', 'group', 'hardware', 'has', 'import', 'in', 'include', 'inout',
  'int', 'integer', 'int64_t', 'maybe', 'mutex', 'out', 'procedure', 'Procedure', 'Procedures',
  'provides', 'refin', 'semaphore', 'schedule', 'binary_semaphore', 'signed', 'string', 'struct',
  'ticks', 'thread', 'threads', 'True', 'true', 'to', 'uint64_t', 'unsigned', 'us', 'uses', 'void', 'with',
]);
