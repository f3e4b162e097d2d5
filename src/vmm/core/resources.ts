import { InitCaps, KernelUsageError, type CNode, type CPtr, type Kernel, type Notification, type ObjectType, type VSpace } from '../../sel4';

export interface VmResourceOptions {
  readonly kernel: Kernel;
  /** `vm0`. */
  readonly name: string;
  /**
   * The VMM's CNode as a cap in the root task's CNode (the CAmkES instantiation's CSpace for the
   * VM component, where it placed the connection caps). The objects below go into its free slots.
   */
  readonly cnode: CPtr;
  /** Guest RAM in bytes; an untyped of at least this size is given to the VMM for RAM frames. */
  readonly ramBytes: number;
  /**
   * The VMM's own VSpace as a cap in the root CNode (the VM component's VSpace, shared with its
   * interface threads); absent: a new VSpace is created.
   */
  readonly vspaceRoot?: CPtr;
}

/** The kernel objects a VMM needs for one VM, as slots in the VMM's own CSpace. */
export interface VmResources {
  readonly cnode: CNode;
  /** A cap to the VMM's CNode in itself (for CNode invocations: minting badged caps, copies). */
  readonly self: CPtr;
  /** The guest-physical address space (EPT / stage 2). */
  readonly ept: CPtr;
  readonly eptObject: VSpace;
  /** The VMM's own address space (where it maps guest pages it shares, e.g. the event context). */
  readonly vspace: CPtr;
  readonly vspaceObject: VSpace;
  /** The notification bound to the VMM thread: async events (badged signals, IRQs) arrive here. */
  readonly notification: CPtr;
  readonly notificationObject: Notification;
  /** Untyped the VMM retypes guest RAM frames from. */
  readonly untyped: CPtr;
  /** First free slot after these, for the VMM's allocator. */
  readonly firstFree: CPtr;
}

/**
 * Creates the VMM's objects for a VM into free slots of its CNode, as the capDL loader would
 * from the VM component's specification (root-task work, before any thread runs).
 */
export function createVmResources(o: VmResourceOptions): VmResources {
  const root = o.kernel.root;
  const cn = root.object<CNode>(o.cnode);
  if (!cn || cn.type !== 'CNode') throw new KernelUsageError(`${o.name}: cap ${o.cnode} in the root CNode is not a CNode`);
  let last = -1;
  for (let i = cn.size - 1; i >= 0; i--)
    if (cn.capAt(i)) {
      last = i;
      break;
    }
  let next = last + 1;
  const make = (type: ObjectType, name: string, sizeBits?: number): CPtr => {
    if (next >= cn.size) throw new KernelUsageError(`${o.name}: CNode "${cn.name}" has no free slot for ${name}`);
    let err = 'seL4_NotEnoughMemory';
    for (const ut of o.kernel.untyped) {
      if (ut.device) continue;
      err = root.untypedRetype(ut.cptr, { type, sizeBits, dest: o.cnode, offset: next, name });
      if (err === 'seL4_NoError') return next++;
      if (err !== 'seL4_NotEnoughMemory') break;
    }
    throw new KernelUsageError(`${o.name}: cannot create ${type} "${name}": ${err}`);
  };
  if (next >= cn.size) throw new KernelUsageError(`${o.name}: CNode "${cn.name}" is full`);
  const self = next++;
  const copied = root.cnodeCopy(o.cnode, self, InitCaps.seL4_CapInitThreadCNode, o.cnode);
  if (copied !== 'seL4_NoError') throw new KernelUsageError(`${o.name}: cannot give the VMM a cap to its CNode: ${copied}`);
  const obj = <T>(slot: CPtr) => cn.capAt(slot)!.object as unknown as T;
  const ept = make('VSpace', `${o.name} guest physical`);
  let vspace: CPtr;
  if (o.vspaceRoot === undefined) vspace = make('VSpace', `${o.name}:vmm vspace`);
  else {
    vspace = next++;
    const r = root.cnodeCopy(o.cnode, vspace, InitCaps.seL4_CapInitThreadCNode, o.vspaceRoot);
    if (r !== 'seL4_NoError') throw new KernelUsageError(`${o.name}: cannot give the VMM a cap to its VSpace: ${r}`);
  }
  const notification = make('Notification', `${o.name}:vmm async`);
  // Room for the RAM frames plus the VMM's own pages (event context, bookkeeping).
  const bits = Math.max(16, Math.ceil(Math.log2(o.ramBytes + (1 << 16))));
  const untyped = make('Untyped', `${o.name} guest ram pool`, bits);
  return {
    cnode: cn,
    self,
    ept,
    eptObject: obj<VSpace>(ept),
    vspace,
    vspaceObject: obj<VSpace>(vspace),
    notification,
    notificationObject: obj<Notification>(notification),
    untyped,
    firstFree: next,
  };
}
