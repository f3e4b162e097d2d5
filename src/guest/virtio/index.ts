/** Virtio drivers of the guest model (driver side). See README.md for the wiring. */
import type { ProgramMain } from '../kernel/system';
import { arping } from './arping';
import { ifconfig } from './ifconfig';
import { ping } from './ping';

export { probeVirtio, kmallocPool, type VirtioGuestOptions, type VirtioGuestDevices } from './probe';
export { VirtioPciDevice, probeVirtioPci, ioBarRegs, type VirtioRegs, type VirtioPciProbe, type DmaAlloc } from './pci';
export { DriverVirtqueue, type DmaMemory, type SgBuffer } from './virtqueue';
export { VirtioNetDriver, type DmaPool } from './net';
export { VirtioConsoleDriver, HVC_MAJOR } from './console';
export { NetStack, NetInterface, netStackOf, type NetDevice } from './netstack';
export { formatIp, formatMac, parseIp } from './packet';
export { HvcConsole, consoleIsHvc } from './hvc-console';
export { ping, arping, ifconfig };

/** The busybox network applets this folder implements, by applet name. */
export const VIRTIO_NET_PROGRAMS: ReadonlyMap<string, ProgramMain> = new Map<string, ProgramMain>([
  ['ping', ping],
  ['arping', arping],
  ['ifconfig', ifconfig],
]);
