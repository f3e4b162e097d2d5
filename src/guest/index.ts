/**
 * Public API of the guest Linux model (see README.md). Other layers import from here only.
 */
export { createBuildrootGuest, BuildrootGuest, guestPrograms, BOOT_TIMING, type BuildrootGuestOptions, type GuestFile, type GuestStatus } from './buildroot';
export { GuestKernel, SWITCH, WaitQueue, type GuestStep } from './kernel/kernel';
export { formatTimestamp, consoleSettingsFor } from './kernel/printk';
export { strerror } from './kernel/errno';
export { dataportIoctls, EMITS_EVENT_EMIT } from './modules/ioctl';
