/** PCI configuration-space layout (type 0 header, PCI Local Bus spec §6.1) and the constants the VMM uses. */

export const PCI_CFG = {
  VENDOR_ID: 0x00,
  DEVICE_ID: 0x02,
  COMMAND: 0x04,
  STATUS: 0x06,
  REVISION_ID: 0x08,
  CLASS_PROG: 0x09,
  CLASS_DEVICE: 0x0a,
  HEADER_TYPE: 0x0e,
  BAR0: 0x10,
  SUBSYSTEM_VENDOR_ID: 0x2c,
  SUBSYSTEM_ID: 0x2e,
  INTERRUPT_LINE: 0x3c,
  INTERRUPT_PIN: 0x3d,
} as const;

export const PCI_COMMAND_IO = 0x1;
export const PCI_COMMAND_MEMORY = 0x2;
export const PCI_BAR_MEM_PREFETCH = 0x8;
export const PCI_BAR_SPACE_IO = 0x1;
/** PCI_CLASS_MEMORY_RAM (class 0x05 memory controller, subclass 0x00 RAM). */
export const PCI_CLASS_MEMORY_RAM = 0x0500;
export const PCI_CLASS_BRIDGE_HOST = 0x0600;
export const PCI_NUM_BARS = 6;
/** Device numbers on bus 0. */
export const PCI_DEVICES_PER_BUS = 32;
export const PCI_CONFIG_SIZE = 256;

export interface PciBarSpec {
  /** Bus address the VMM placed the BAR at (fixed: the vPCI does not emulate moving it). */
  readonly address: number;
  /** Bytes; a power of two, at least 16 for memory. */
  readonly size: number;
  readonly space: 'memory' | 'io';
  readonly prefetchable: boolean;
}

/** What a virtual PCI function presents (libsel4vmmplatsupport `vmm_pci_device_def_t`). */
export interface PciDeviceDef {
  readonly name: string;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly command: number;
  readonly status: number;
  readonly revisionId: number;
  /** Base class << 8 | subclass, e.g. PCI_CLASS_MEMORY_RAM. */
  readonly classCode: number;
  readonly progIf: number;
  readonly headerType: number;
  readonly subsystemVendorId: number;
  readonly subsystemId: number;
  readonly interruptLine: number;
  /** 0 none, 1 INTA .. 4 INTD. */
  readonly interruptPin: number;
  readonly bars: readonly (PciBarSpec | null)[];
}

/**
 * The host bridge libsel4vmmplatsupport's vmm_pci_init puts at 00:00.0 before any device, so
 * added devices start at device 1. UNCONFIRMED: the bridge's ids are recalled (define_pci_host_bridge),
 * not given by the reference.
 */
export const HOST_BRIDGE: PciDeviceDef = {
  name: 'host bridge',
  vendorId: 0x5e14,
  deviceId: 0x42,
  command: 0,
  status: 0,
  revisionId: 1,
  classCode: PCI_CLASS_BRIDGE_HOST,
  progIf: 0,
  headerType: 0,
  subsystemVendorId: 0,
  subsystemId: 0,
  interruptLine: 0,
  interruptPin: 0,
  bars: [],
};

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}
