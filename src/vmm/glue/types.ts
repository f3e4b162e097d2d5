import type { SourcePos } from '../../diagnostics';
import type { CExpr } from './c-expr';
import type { IncludeDirective } from './c-preprocess';

/** A CAmkES-generated symbol used by the glue, with the interface name it was generated for. */
export interface GlueSymbol {
  /** As written: `data_handle`, `do_print_emit`, `done_printing_reg_callback`. */
  readonly symbol: string;
  /** The CAmkES interface it belongs to: `data`, `do_print`, `done_printing`. */
  readonly interface: string;
  readonly pos: SourcePos;
}

/** Generation 1 `dataports[]` entry. The id is the array index; entry 0 is NULL by convention. */
export interface GlueDataport {
  readonly id: number;
  /** Null for a NULL entry (entry 0, or a hole the VMM would dereference). */
  readonly handle: GlueSymbol | null;
  readonly pos: SourcePos;
}

/** Generation 1 `emitted_events[]` entry. The id is the array index. */
export interface GlueEmittedEvent {
  readonly id: number;
  readonly emit: GlueSymbol | null;
  readonly pos: SourcePos;
}

/** Generation 1 `consumed_events[]` entry: the explicit `.id` is what reaches the guest. */
export interface GlueConsumedEvent {
  /** Position in the array (the order is irrelevant to the mechanism). */
  readonly index: number;
  readonly id: number;
  readonly idPos: SourcePos;
  readonly regCallback: GlueSymbol;
  readonly pos: SourcePos;
}

/** An array handed to a registration call, and the count passed with it. */
export interface GlueArrayArg {
  readonly array: string;
  readonly arrayPos: SourcePos;
  /** Entries in the array definition. */
  readonly length: number;
  /** The count argument's value (what the VMM library uses as the array length). */
  readonly count: number;
  readonly countPos: SourcePos;
}

/** One of the three generation-1 hooks, defined by the app. */
export interface GlueInitFunction {
  /** `cross_vm_dataports_init`... */
  readonly name: string;
  readonly pos: SourcePos;
  readonly params: readonly string[];
  /** The `_common` call in its body. */
  readonly callee: string;
  readonly callPos: SourcePos;
  readonly args: readonly CExpr[];
  readonly arrayArg: GlueArrayArg;
}

export interface GlueMutex {
  /** The C variable passed by address (`cross_vm_event_mutex`). */
  readonly variable: string;
  /** The CAmkES `has mutex` name its lock/unlock functions were generated for. */
  readonly camkesMutex: string;
  readonly pos: SourcePos;
}

export interface GlueConsumesInit extends GlueInitFunction {
  readonly mutex: GlueMutex;
  /** The argument passed as the IRQ badge (the hook's parameter, given by the VMM: irq_badges[12]). */
  readonly irqBadgeArg: CExpr;
}

/** A generation-2 consume setting: none (-1), an x86 `.id`, or an ARM notification badge. */
export type GlueConsume =
  | { readonly kind: 'none'; readonly pos: SourcePos }
  | { readonly kind: 'id'; readonly id: number; readonly regCallback: GlueSymbol | null; readonly pos: SourcePos }
  | { readonly kind: 'badge'; readonly value: number; readonly pos: SourcePos }
  /** `<iface>_notification_badge()` of a seL4GlobalAsynch interface, known only once CAmkES assigns badges. */
  | { readonly kind: 'notification-badge'; readonly of: GlueSymbol; readonly pos: SourcePos };

/** Generation 2 connection: one virtual PCI device, in array order. */
export interface GlueConnection {
  readonly index: number;
  readonly layout: 'arm' | 'x86' | 'macro';
  readonly dataport: GlueSymbol | null;
  readonly emit: GlueSymbol | null;
  readonly consume: GlueConsume;
  /** ARM only: the UIO device name written into the event BAR. */
  readonly connectionName?: string;
  readonly pos: SourcePos;
  /** For `CROSS_VM_CONNECTION(name, sym)` entries: the two arguments as written (meaning UNCONFIRMED). */
  readonly macroArgs?: readonly string[];
}

export interface GlueConnectionsInit {
  /** The glue function that makes the call (`init_cross_vm_connections`). */
  readonly function: string;
  readonly callPos: SourcePos;
  readonly baseAddress: number;
  /** Set when the address is a parameter of `function`, supplied by its caller (x86 Init). */
  readonly baseAddressParam?: string;
  readonly baseAddressPos: SourcePos;
  readonly arrayArg: GlueArrayArg;
  readonly args: readonly CExpr[];
}

export interface GlueAsyncHandler {
  /** The badge registered: a connection's consume badge, or a constant. */
  readonly badge: { readonly connection: number } | { readonly value: number } | { readonly of: GlueSymbol };
  readonly callback: string;
  readonly pos: SourcePos;
}

export interface GlueDefine {
  readonly name: string;
  readonly text: string;
  /** Integer value if the body is an integer constant expression. */
  readonly value?: number;
  readonly pos: SourcePos;
}

/** The app's VMM glue as the VMM needs it; every part keeps its position in the C file. */
export interface VmmGlue {
  readonly generation: 1 | 2;
  readonly files: readonly string[];
  readonly includes: readonly IncludeDirective[];
  readonly defines: readonly GlueDefine[];
  readonly externs: readonly { readonly name: string; readonly type: string; readonly pos: SourcePos }[];
  // generation 1
  readonly dataports: readonly GlueDataport[];
  readonly emittedEvents: readonly GlueEmittedEvent[];
  readonly consumedEvents: readonly GlueConsumedEvent[];
  readonly initFunctions: {
    readonly dataports?: GlueInitFunction;
    readonly emits?: GlueInitFunction;
    readonly consumes?: GlueConsumesInit;
  };
  // generation 2
  readonly connections: readonly GlueConnection[];
  readonly connectionsInit?: GlueConnectionsInit;
  readonly asyncEventHandlers: readonly GlueAsyncHandler[];
  /** `DEFINE_MODULE(name, ...)` registrations: the VMM module name and the functions passed. */
  readonly modules: readonly { readonly name: string; readonly functions: readonly string[]; readonly pos: SourcePos }[];
}
