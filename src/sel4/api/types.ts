/** Capability addresses, rights, messages and faults: the vocabulary of libsel4's API. */

/** A capability address: the slot index in the invoking thread's root CNode (see README, "CSpaces"). */
export type CPtr = number;

/** seL4_CapRights: the four rights a capability can carry. */
export interface CapRights {
  readonly read: boolean;
  readonly write: boolean;
  readonly grant: boolean;
  readonly grantReply: boolean;
}

export const AllRights: CapRights = Object.freeze({ read: true, write: true, grant: true, grantReply: true });
export const ReadWrite: CapRights = Object.freeze({ read: true, write: true, grant: false, grantReply: false });
export const CanRead: CapRights = Object.freeze({ read: true, write: false, grant: false, grantReply: false });
export const CanWrite: CapRights = Object.freeze({ read: false, write: true, grant: false, grantReply: false });
export const NoRights: CapRights = Object.freeze({ read: false, write: false, grant: false, grantReply: false });

/** Rights from CapDL-style letters: R(ead) W(rite) G(rant) P (GrantReply), e.g. "RW", "RWGP". */
export function rights(spec: string): CapRights {
  const s = spec.toUpperCase();
  return Object.freeze({ read: s.includes('R'), write: s.includes('W'), grant: s.includes('G'), grantReply: s.includes('P') });
}

export function maskRights(a: CapRights, mask: CapRights): CapRights {
  return Object.freeze({ read: a.read && mask.read, write: a.write && mask.write, grant: a.grant && mask.grant, grantReply: a.grantReply && mask.grantReply });
}

/** "RWG-" style text, stable for listings and traces. */
export function formatRights(r: CapRights): string {
  return (r.read ? 'R' : '-') + (r.write ? 'W' : '-') + (r.grant ? 'G' : '-') + (r.grantReply ? 'P' : '-');
}

/** seL4_MsgMaxLength: message registers beyond this are not transferred. */
export const MSG_MAX_LENGTH = 120;
/** seL4_MsgMaxExtraCaps. */
export const MSG_MAX_EXTRA_CAPS = 3;

/** An IPC message: label, message registers and (sender side) capabilities to transfer. */
export interface Message {
  readonly label: number;
  readonly mrs: readonly number[];
  /** Sender side: capability addresses in the sender's CSpace (needs Grant on the endpoint cap). */
  readonly caps?: readonly CPtr[];
}

export const EMPTY_MESSAGE: Message = Object.freeze({ label: 0, mrs: Object.freeze([]) as readonly number[] });

export function msg(label: number, ...mrs: number[]): Message {
  return { label, mrs };
}

/** What a receive returns. */
export interface Received {
  readonly badge: number;
  readonly label: number;
  readonly mrs: readonly number[];
  /** Number of capabilities placed in the receive slot (0 or 1, as seL4 unwraps the rest). */
  readonly extraCaps: number;
  /** Set when the message is a fault message sent by the kernel on behalf of a faulting thread. */
  readonly fault?: Fault;
}

export type VMFaultKind = 'read' | 'write';

/** seL4 fault types, with the fields their fault messages carry. */
export type Fault =
  | { readonly type: 'seL4_Fault_CapFault'; readonly thread: string; readonly cptr: CPtr; readonly inReceivePhase: boolean; readonly reason: string }
  | { readonly type: 'seL4_Fault_VMFault'; readonly thread: string; readonly addr: number; readonly kind: VMFaultKind; readonly size: number; readonly value?: number; readonly reason: 'unmapped' | 'permission' }
  | { readonly type: 'seL4_Fault_VGICMaintenance'; readonly thread: string; readonly idx: number; readonly virq: number }
  | { readonly type: 'seL4_Fault_Timeout'; readonly thread: string; readonly badge: number };

export type FaultType = Fault['type'];

/** Fault labels as libsel4 numbers them on ARM with hypervisor support (UNCONFIRMED for x86). */
export const FAULT_LABEL: Record<FaultType, number> = {
  seL4_Fault_CapFault: 1,
  seL4_Fault_VMFault: 5,
  seL4_Fault_VGICMaintenance: 6,
  seL4_Fault_Timeout: 4,
};
