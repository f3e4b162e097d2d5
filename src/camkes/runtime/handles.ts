/**
 * What instantiation gives each interface of an instance: capability addresses in the instance's
 * CSpace and mapping addresses in its VSpace. The runtime (context.ts) acts only through these,
 * so a component reaches exactly the authority its CNode holds.
 */
import type { CPtr, Frame } from '../../sel4';
import type { ResolvedConnection, ResolvedInterface } from '../resolve';

/** `emits` on seL4Notification-like connectors: a Write cap per to-end (unbadged, reference 7.1). */
export interface EmitsHandle {
  readonly kind: 'emits';
  readonly interface: ResolvedInterface;
  readonly connection: ResolvedConnection;
  /** One Write cap per notification reached (per to-end), in to-end order. */
  readonly caps: readonly CPtr[];
  /** Badges on those caps (0 for seL4Notification; the global-endpoint bit for seL4GlobalAsynch). */
  readonly badges: readonly number[];
}

/** `consumes` on seL4Notification: the to-side notification, the handoff semaphore, the interface thread. */
export interface ConsumesHandle {
  readonly kind: 'consumes';
  readonly interface: ResolvedInterface;
  readonly connection: ResolvedConnection;
  /** Read cap on the connection's notification for this end (waited on by `<iface>__run`). */
  readonly ntfn: CPtr;
  /** Read/Write cap on the notification behind the handoff counting semaphore. */
  readonly handoff: CPtr;
  /** Name of the interface thread, `<inst>:<iface>__run`. */
  readonly thread: string;
}

/** `consumes` on seL4GlobalAsynch (0 threads): only `<iface>_notification()` / `_notification_badge()`. */
export interface GlobalConsumesHandle {
  readonly kind: 'consumes-global';
  readonly interface: ResolvedInterface;
  readonly connection: ResolvedConnection;
  /** Read cap on the instance's single global-endpoint notification. */
  readonly ntfn: CPtr;
  readonly badge: number;
}

export interface DataportHandle {
  readonly kind: 'dataport';
  readonly interface: ResolvedInterface;
  readonly connection: ResolvedConnection;
  /** Where the shared frames are mapped in this instance's VSpace. */
  readonly vaddr: number;
  /** Bytes mapped (the dataport size). */
  readonly size: number;
  readonly frames: readonly Frame[];
  readonly frameSizeBits: number;
  /** Rights of the mapping, as `R?W?X?P?` letters from `<inst>.<dp>_access` (default RW). */
  readonly access: string;
  /** seL4SharedDataWithCaps only: `dataport_caps_handle_t <iface>_handle`. */
  readonly caps?: {
    /** Frame caps in this instance's CNode (`get_frame_caps`). */
    readonly frameCaps: readonly CPtr[];
    /** `<inst>.<iface>_id` (default 0). */
    readonly id: number;
    /** `get_size`. */
    readonly size: number;
  };
}

/** `uses` on an RPC connector: a badged Write+GrantReply endpoint cap. */
export interface UsesHandle {
  readonly kind: 'uses';
  readonly interface: ResolvedInterface;
  readonly connection: ResolvedConnection;
  readonly ep: CPtr;
  readonly badge: number;
}

/** `provides` on an RPC connector: a Read cap on the endpoint, served by `<iface>__run`. */
export interface ProvidesHandle {
  readonly kind: 'provides';
  readonly interface: ResolvedInterface;
  readonly connection: ResolvedConnection;
  readonly ep: CPtr;
  readonly thread: string;
}

/** An interface whose connector the model does not implement (hardware, DTB, virtqueues...). */
export interface UnmodelledHandle {
  readonly kind: 'unmodelled';
  readonly interface: ResolvedInterface;
  readonly connection: ResolvedConnection;
}

export type InterfaceHandle = EmitsHandle | ConsumesHandle | GlobalConsumesHandle | DataportHandle | UsesHandle | ProvidesHandle | UnmodelledHandle;

/** `has mutex` / `has semaphore` / `has binary_semaphore`, all on one notification each. */
export interface SyncHandle {
  readonly kind: 'mutex' | 'semaphore' | 'binary_semaphore';
  readonly name: string;
  readonly ntfn: CPtr;
  /** Initial count (mutex 1; semaphores from `<name>_value`). */
  readonly initial: number;
}
