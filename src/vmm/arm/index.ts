export { ArmVmm, VmmAbort, type ArmVmmOptions } from './vmm';
export { ArmMachine, type ArmMachineDevices } from './machine';
export { armTestbed, type ArmTestbed, type ArmTestbedOptions, type TestbedConnection } from './testbed';
export { UNKNOWN_BADGE, unknownBadge, armFatalLines } from './messages';
export * from './vgic';
export { Gen2Probe, VM_CROSS_CONNECTOR_CONNECTIONS } from './probe';
// SMP: the vCPUs, the virtual power device (PSCI) and the stub-guest system for SMP scenarios.
export { ArmVcpus, SYSTEM_OFF_REASON, unhandledVcpuFault, type VcpuSlot, type ArmVcpusOptions } from './smp';
export * from './psci';
export { SmpProbe, SmpStubGuest, smpApp, type SmpProbeOptions, type TakenIrq } from './smp-probe';
