export { ArmVmm, VmmAbort, type ArmVmmOptions } from './vmm';
export { ArmMachine, type ArmMachineDevices } from './machine';
export { armTestbed, type ArmTestbed, type ArmTestbedOptions, type TestbedConnection } from './testbed';
export { UNKNOWN_BADGE, unknownBadge, armFatalLines } from './messages';
export * from './vgic';
export { Gen2Probe, VM_CROSS_CONNECTOR_CONNECTIONS } from './probe';
