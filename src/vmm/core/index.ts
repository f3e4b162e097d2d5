/** The VMM core: what every architecture's VMM builds on. See ../README.md. */
export { GuestMemory, PAGE_BITS, PAGE_SIZE, hex, type MmioRegion, type ReadOnlyRegion, type FaultResolution, type GuestMemoryOptions } from './memory';
export { VcpuMachine } from './machine';
export { VmCore, type VmState, type VmCoreOptions } from './vm';
export { ConsoleDevice, latin1, type SerialSink } from './serial';
export { VmmTracer, VMM_OP, type VmmOp } from './trace';
export { createVmResources, type VmResources, type VmResourceOptions } from './resources';
