/** Generation-1 cross-VM connectors, VMM side (libcrossvm on the x86 Init VMM). See ../../README.md. */
export { CrossVmGen1, VMM_SHARE_BASE, type EventContext } from './crossvm';
export { planGen1, type Gen1Plan, type Gen1Dataport } from './plan';
export { installGen1 } from './install';
export * from './log';
export * from './shared';
