import type { SeL4ErrorName } from '../api/errors';
import { maskRights, type CapRights } from '../api/types';
import type { KernelCore } from '../kernel/core';
import { Cap, deleteCap, insertCap, moveCap, revokeCap, type CNode, type Slot } from '../model/cspace';

export { CNode } from '../model/cspace';

/** A slot operand of a CNode invocation: the CNode (already looked up) and an index in it. */
export interface SlotArg {
  readonly cnode: CNode;
  readonly index: number;
}

function resolve(a: SlotArg): Slot | undefined {
  return a.cnode.slot(a.index);
}

/**
 * seL4 deriveCap/updateCapData: the cap a Copy or Mint produces, or null where seL4 produces a
 * null cap (reply caps; minting a new badge onto an endpoint or notification cap that already
 * has one). A copy of a mapped frame cap is unmapped.
 */
function derive(src: Cap, rights: CapRights, badge: number | undefined): Cap | null {
  const t = src.object.type;
  if (t === 'ReplyCap') return null;
  let b = src.badge;
  if (badge !== undefined && (t === 'Endpoint' || t === 'Notification')) {
    if (src.badge !== 0) return null;
    b = badge >>> 0;
  }
  return new Cap(src.object, maskRights(src.rights, rights), b);
}

function copyOrMint(k: KernelCore, op: string, dest: SlotArg, src: SlotArg, rights: CapRights, badge: number | undefined): SeL4ErrorName {
  const d = resolve(dest);
  const s = resolve(src);
  let r: SeL4ErrorName = 'seL4_NoError';
  let cap: Cap | null = null;
  if (!d || !s || !s.cap) r = 'seL4_FailedLookup';
  else if (d.cap) r = 'seL4_DeleteFirst';
  else if (!(cap = derive(s.cap, rights, badge))) r = 'seL4_IllegalOperation';
  if (r === 'seL4_NoError') insertCap(d!, cap!, s!);
  k.record(op, s?.cap ? s.cap.object.name : `${src.cnode.name}[${src.index}]`, badge, r, `${dest.cnode.name}[${dest.index}]`);
  return r;
}

/** seL4_CNode_Copy: a child of the source cap with rights masked. */
export function cnodeCopy(k: KernelCore, dest: SlotArg, src: SlotArg, rights: CapRights): SeL4ErrorName {
  return copyOrMint(k, 'seL4_CNode_Copy', dest, src, rights, undefined);
}

/** seL4_CNode_Mint: as Copy, and sets the badge of an unbadged endpoint or notification cap. */
export function cnodeMint(k: KernelCore, dest: SlotArg, src: SlotArg, rights: CapRights, badge: number): SeL4ErrorName {
  return copyOrMint(k, 'seL4_CNode_Mint', dest, src, rights, badge);
}

/** seL4_CNode_Move: the cap and its place in the derivation tree go to the empty destination. */
export function cnodeMove(k: KernelCore, dest: SlotArg, src: SlotArg): SeL4ErrorName {
  const d = resolve(dest);
  const s = resolve(src);
  let r: SeL4ErrorName = 'seL4_NoError';
  if (!d || !s || !s.cap) r = 'seL4_FailedLookup';
  else if (d.cap) r = 'seL4_DeleteFirst';
  const name = s?.cap?.object.name ?? `${src.cnode.name}[${src.index}]`;
  if (r === 'seL4_NoError') moveCap(s!, d!);
  k.record('seL4_CNode_Move', name, undefined, r, `${dest.cnode.name}[${dest.index}]`);
  return r;
}

/** seL4_CNode_Delete: deleting an empty slot succeeds and does nothing. */
export function cnodeDelete(k: KernelCore, at: SlotArg): SeL4ErrorName {
  const s = resolve(at);
  const r: SeL4ErrorName = s ? 'seL4_NoError' : 'seL4_FailedLookup';
  const name = s?.cap?.object.name ?? `${at.cnode.name}[${at.index}]`;
  if (s) deleteCap(s);
  k.record('seL4_CNode_Delete', name, undefined, r);
  return r;
}

/** seL4_CNode_Revoke: deletes every cap derived from this one; the cap itself stays. */
export function cnodeRevoke(k: KernelCore, at: SlotArg): SeL4ErrorName {
  const s = resolve(at);
  const r: SeL4ErrorName = s ? 'seL4_NoError' : 'seL4_FailedLookup';
  const name = s?.cap?.object.name ?? `${at.cnode.name}[${at.index}]`;
  if (s) revokeCap(s);
  k.record('seL4_CNode_Revoke', name, undefined, r);
  return r;
}
