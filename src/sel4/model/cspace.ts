import type { CapRights } from '../api/types';
import { KObject } from './objects';

/** Where a frame capability is mapped (seL4 keeps this in the frame cap itself). */
export interface CapMapping {
  readonly vspace: { unmapCap(cap: Cap): void; readonly name: string };
  readonly vaddr: number;
}

/**
 * A capability: an object reference with rights and a badge. Frame caps also record their
 * mapping; IRQ handler and IO port caps carry their line or range in the object they name.
 */
export class Cap {
  mapping: CapMapping | null = null;
  constructor(
    readonly object: KObject,
    readonly rights: CapRights,
    readonly badge = 0,
    /** Set on the cap retype produced (seL4's "original" caps, parents of every copy). */
    readonly original = false,
  ) {}
  get type(): string {
    return this.object.type;
  }
}

/**
 * A CNode slot and its place in the capability derivation tree (seL4's MDB). The tree is kept
 * as explicit parent/children links; deleting a slot hands its children to its parent, which
 * is where seL4's MDB list order leaves them.
 */
export class Slot {
  cap: Cap | null = null;
  parent: Slot | null = null;
  children: Slot[] = [];
  constructor(
    readonly cnode: CNode,
    readonly index: number,
  ) {}
  get label(): string {
    return `${this.cnode.name}[${this.index}]`;
  }
}

export class CNode extends KObject {
  readonly type = 'CNode';
  readonly size: number;
  /**
   * Slot objects by index, made on first touch: a VM's CNode has thousands of slots of which a
   * handful are ever used, and building them all up front dominated instantiation (and GC). An
   * index never touched is an empty slot with no derivation-tree links, exactly what an eagerly
   * built Slot would be.
   */
  private readonly table: (Slot | undefined)[];
  constructor(
    id: number,
    name: string,
    readonly radix: number,
  ) {
    super(id, name);
    this.size = 2 ** radix;
    // Grown as slots are touched (not preallocated: most of a large CNode is never touched).
    this.table = [];
  }
  slot(index: number): Slot | undefined {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) return undefined;
    return (this.table[index] ??= new Slot(this, index));
  }
  /** The cap at `index`, or null (empty or out of range) without making a Slot. */
  capAt(index: number): Cap | null {
    const s = this.table[index];
    return s === undefined ? null : s.cap;
  }
  /** Slots that have been touched, in index order (every occupied slot is among them). */
  used(): Slot[] {
    const out: Slot[] = [];
    this.table.forEach((s) => out.push(s!));
    return out;
  }
}


/** Places `cap` in the empty slot `dest` as a child of `parent` (or as a root when null). */
export function insertCap(dest: Slot, cap: Cap, parent: Slot | null): void {
  dest.cap = cap;
  dest.parent = parent;
  dest.children = [];
  if (parent) parent.children.push(dest);
  cap.object.capCount++;
}

/** Removes the cap in `slot` from the tree; returns true if it was the object's last cap. */
export function detachCap(slot: Slot): boolean {
  const cap = slot.cap;
  if (!cap) return false;
  const parent = slot.parent;
  if (parent) {
    const i = parent.children.indexOf(slot);
    parent.children.splice(i, 1, ...slot.children);
  }
  for (const c of slot.children) c.parent = parent;
  slot.cap = null;
  slot.parent = null;
  slot.children = [];
  cap.object.capCount--;
  if (cap.mapping) cap.mapping.vspace.unmapCap(cap);
  return cap.object.capCount === 0;
}

/** Deletes the cap in `slot`, finalising its object when it was the last one. */
export function deleteCap(slot: Slot): void {
  const cap = slot.cap;
  if (!cap) return;
  if (detachCap(slot)) cap.object.finalise();
}

/** Deletes every descendant of `slot`, deepest first (seL4_CNode_Revoke). */
export function revokeCap(slot: Slot): void {
  while (slot.children.length) {
    const child = slot.children[slot.children.length - 1];
    revokeCap(child);
    deleteCap(child);
  }
}

/** Moves the cap and its tree position from `src` to the empty slot `dest`. */
export function moveCap(src: Slot, dest: Slot): void {
  dest.cap = src.cap;
  dest.parent = src.parent;
  dest.children = src.children;
  for (const c of dest.children) c.parent = dest;
  if (src.parent) src.parent.children[src.parent.children.indexOf(src)] = dest;
  src.cap = null;
  src.parent = null;
  src.children = [];
}

export function isDescendant(slot: Slot, ancestor: Slot): boolean {
  for (let p = slot.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}
