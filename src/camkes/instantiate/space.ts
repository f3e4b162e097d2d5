/**
 * Object creation for instantiation: every object is retyped from the kernel's boot untypeds by the
 * root task (so memory accounting is real), and each address space (an instance, or a group of
 * instances) gets a CNode and a VSpace whose slots and mappings are handed out in order.
 */
import { errorAt, type SourcePos } from '../../diagnostics';
import {
  AllRights, InitCaps, type CapRights, type CNode, type CPtr, type Kernel, type KObject, type ObjectAllocator, type ObjectType, type VSpace,
} from '../../sel4';

const ROOT_CNODE = InitCaps.seL4_CapInitThreadCNode;

/**
 * Where dataports are mapped in a component's VSpace. UNCONFIRMED: CAmkES places dataports in the
 * ELF's data section at linker-chosen addresses; the model needs only distinct, aligned ones.
 */
export const DATAPORT_BASE = 0x1000_0000;

/**
 * CNode radix when `cnode_size_bits` is not set (UNCONFIRMED camkes-tool default), and the largest
 * radix the model builds: a VM's `cnode_size_bits = 21` would mean two million slot objects, so
 * larger requests are built at this radix (the listing names both).
 */
export const DEFAULT_CNODE_BITS = 12;
export const MAX_MODEL_CNODE_BITS = 12;

export interface SlotEntry {
  readonly slot: CPtr;
  /** What the slot is for, in CAmkES terms ("n1 (seL4Notification to ntfn1)", "tcb control"). */
  readonly purpose: string;
}

export class AddressSpace {
  nextSlot = 1;
  nextVaddr = DATAPORT_BASE;
  readonly entries: SlotEntry[] = [];
  constructor(
    readonly name: string,
    readonly cnode: CNode,
    /** CPtr of the CNode's original cap in the root task's CNode. */
    readonly cnodeRoot: CPtr,
    readonly vspace: VSpace,
    readonly vspaceRoot: CPtr,
    /** `cnode_size_bits` as configured (may exceed the built radix). */
    readonly requestedBits: number,
  ) {}
}

export class Builder {
  readonly alloc: ObjectAllocator;
  constructor(readonly kernel: Kernel) {
    this.alloc = kernel.allocator();
  }

  /** Retypes one object into the root CNode; running out of untyped memory is a positioned error. */
  create(type: ObjectType, name: string, pos: SourcePos, sizeBits?: number): CPtr {
    const r = this.alloc.alloc(type, name, sizeBits);
    if (r.error !== 'seL4_NoError') throw errorAt(pos, `cannot create ${type} "${name}": ${r.error} (the boot untypeds are exhausted)`);
    return r.value;
  }

  object<T extends KObject>(rootCptr: CPtr): T {
    return this.kernel.root.object<T>(rootCptr)!;
  }

  space(name: string, requestedBits: number, pos: SourcePos): AddressSpace {
    const bits = Math.min(requestedBits, MAX_MODEL_CNODE_BITS);
    const cn = this.create('CNode', `cnode ${name}`, pos, bits);
    const vs = this.create('VSpace', `vspace ${name}`, pos);
    return new AddressSpace(name, this.object<CNode>(cn), cn, this.object<VSpace>(vs), vs, requestedBits);
  }

  /** Mints the root cap at `src` into the next slot of `as` with `rights` and `badge`. */
  install(as: AddressSpace, src: CPtr, rights: CapRights, badge: number, purpose: string, pos: SourcePos): CPtr {
    const slot = as.nextSlot++;
    if (slot >= as.cnode.size) throw errorAt(pos, `CNode of ${as.name} is full (${as.cnode.size} slots): raise ${as.name}.cnode_size_bits`);
    const r = this.kernel.root.cnodeMint(as.cnodeRoot, slot, ROOT_CNODE, src, rights, badge);
    if (r !== 'seL4_NoError') throw errorAt(pos, `cannot give ${as.name} a capability for ${purpose}: ${r}`);
    as.entries.push({ slot, purpose });
    return slot;
  }

  /** Maps each frame (a root cap) into `as` at consecutive addresses through copies of the caps. */
  map(as: AddressSpace, frames: readonly CPtr[], frameBits: number, rights: CapRights, pos: SourcePos): number {
    const size = 2 ** frameBits;
    const vaddr = Math.ceil(as.nextVaddr / size) * size;
    frames.forEach((f, i) => {
      const copy = this.alloc.slot();
      let r = this.kernel.root.cnodeCopy(ROOT_CNODE, copy, ROOT_CNODE, f, rights);
      if (r === 'seL4_NoError') r = this.kernel.root.pageMap(copy, as.vspaceRoot, vaddr + i * size, rights);
      if (r !== 'seL4_NoError') throw errorAt(pos, `cannot map a dataport frame into ${as.name}: ${r}`);
    });
    // One unmapped guard page after each dataport, so an overrun faults instead of reaching the next.
    as.nextVaddr = vaddr + frames.length * size + 4096;
    return vaddr;
  }

  /** The root task signals the notification `times` times through a copy badged `badge`. */
  signal(rootCptr: CPtr, times: number, badge: number): void {
    if (times <= 0) return;
    const copy = this.alloc.slot();
    this.kernel.root.cnodeMint(ROOT_CNODE, copy, ROOT_CNODE, rootCptr, AllRights, badge);
    for (let i = 0; i < times; i++) this.kernel.root.signal(copy);
    this.kernel.root.cnodeDelete(ROOT_CNODE, copy);
  }
}
