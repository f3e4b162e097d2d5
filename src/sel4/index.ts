/**
 * Public API of the simulated seL4 kernel. Other layers import from here only; see README.md.
 */
export { Kernel, InitCaps, type KernelOptions, type SpawnOptions, type RunOptions, type ThreadBody, type UntypedSpec, type BootUntyped } from './kernel/kernel';
export { Sys, type Blocking } from './kernel/sys';
export { done, doneValue, NOT_DONE, FINISHED } from './kernel/done';
export { Invoker, type RetypeRequest } from './kernel/invoker';
export { renderRunReport, type RunResult, type RunReason, type StuckThread } from './kernel/report';
export { describeFault, noFaultHandlerMessage } from './kernel/faults';
export { SEL4_ERRORS, errorCode, ok, fail, KernelUsageError, type SeL4ErrorName, type Result } from './api/errors';
export {
  AllRights, ReadWrite, CanRead, CanWrite, NoRights, rights, maskRights, formatRights, msg, EMPTY_MESSAGE, MSG_MAX_LENGTH, MSG_MAX_EXTRA_CAPS, FAULT_LABEL,
  type CapRights, type CPtr, type Message, type Received, type Fault, type FaultType, type VMFaultKind,
} from './api/types';
export { ARCHES, archConfig, objectSizeBits, type Arch, type ArchConfig, type ObjectType } from './machine/arch';
export { Machine } from './machine/machine';
export { Cap, CNode, Slot } from './model/cspace';
export { KObject } from './model/objects';
export { capListing, renderCapListing, type CapListingEntry } from './model/listing';
export { Notification, type NtfnState } from './object/notification';
export { Endpoint } from './object/endpoint';
export { TCB, type ThreadState } from './object/tcb';
export { Frame } from './object/frame';
export { VSpace, DEFAULT_VM_ATTRIBUTES, type VMAttributes, type Mapping, type AccessFault } from './object/vspace';
export { Untyped, RETYPE_FAN_OUT_LIMIT } from './object/untyped';
export { SchedContext } from './object/schedcontext';
export { IRQLine, type Trigger } from './object/irq';
export { VCPU, SPURIOUS_IRQ, type ListRegister, type LRState } from './object/vcpu';
export { IOPortRange, type IOPortDevice } from './object/ioport';
export { Trace, type TraceEvent, type TraceInput, type TraceLayer } from './trace';
export { ObjectAllocator } from './model/allocator';
