/**
 * The virtio wire format both sides agree on: split-virtqueue layout (VIRTIO 1.x §2.7, which
 * keeps the legacy layout), the legacy virtio-PCI register block (virtio 0.9.5, VIRTIO 1.x
 * §4.1.4.8 "Legacy Interfaces"), status and feature bits, PCI ids, and the placement choices the
 * reference leaves open. Everything is little-endian (legacy devices are guest-endian; every
 * modelled guest is little-endian).
 *
 * Shared by the device side (`src/vmm/virtio`) and the driver side (`src/guest/virtio`), as
 * `include/uapi/linux/virtio_ring.h` and `virtio_pci.h` are shared by QEMU and Linux.
 */

// ---- split virtqueue -------------------------------------------------------------------------

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
/** addr u64, len u32, flags u16, next u16. */
export const VIRTQ_DESC_SIZE = 16;
/** avail.flags: the driver asks the device not to interrupt (VRING_AVAIL_F_NO_INTERRUPT). */
export const VRING_AVAIL_F_NO_INTERRUPT = 1;
/** used.flags: the device asks the driver not to notify (VRING_USED_F_NO_NOTIFY). */
export const VRING_USED_F_NO_NOTIFY = 1;
/** Legacy virtio-PCI: the used ring starts on the next 4096-byte boundary (VIRTIO_PCI_VRING_ALIGN). */
export const VIRTIO_PCI_VRING_ALIGN = 4096;
/** Legacy QUEUE_PFN holds the ring's guest-physical address >> 12. */
export const VIRTIO_PCI_QUEUE_ADDR_SHIFT = 12;

export interface VringLayout {
  readonly num: number;
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
  /** Bytes from `desc` to the end of the used ring (vring_size). */
  readonly bytes: number;
}

/**
 * Where the three parts of a queue of `num` entries live when it starts at `base`: descriptor
 * table, then the available ring (flags, idx, ring[num], used_event), then — aligned — the used
 * ring (flags, idx, ring[num] of {id u32, len u32}, avail_event).
 */
export function vringLayout(base: number, num: number, align = VIRTIO_PCI_VRING_ALIGN): VringLayout {
  if (!Number.isInteger(num) || num <= 0 || num > 32768 || (num & (num - 1)) !== 0) throw new RangeError(`virtqueue size ${num} is not a power of two in 1..32768`);
  const avail = base + VIRTQ_DESC_SIZE * num;
  const used = Math.ceil((avail + 6 + 2 * num) / align) * align;
  return { num, desc: base, avail, used, bytes: used + 6 + 8 * num - base };
}

/** Offsets inside the parts (the `idx` fields are free-running u16 counters that wrap at 2^16). */
export const AVAIL_FLAGS = 0;
export const AVAIL_IDX = 2;
export const AVAIL_RING = 4;
export const USED_FLAGS = 0;
export const USED_IDX = 2;
export const USED_RING = 4;
export const USED_ELEM_SIZE = 8;

// ---- legacy virtio-PCI register block (BAR0) -------------------------------------------------

export const VIRTIO_PCI = {
  HOST_FEATURES: 0x00, // u32, read-only
  GUEST_FEATURES: 0x04, // u32
  QUEUE_PFN: 0x08, // u32
  QUEUE_NUM: 0x0c, // u16, read-only
  QUEUE_SEL: 0x0e, // u16
  QUEUE_NOTIFY: 0x10, // u16, write-only
  STATUS: 0x12, // u8
  ISR: 0x13, // u8, read clears
  /** Device-specific configuration follows the header when MSI-X is off (always, here). */
  CONFIG: 0x14,
} as const;

export const VIRTIO_CONFIG_S_ACKNOWLEDGE = 1;
export const VIRTIO_CONFIG_S_DRIVER = 2;
export const VIRTIO_CONFIG_S_DRIVER_OK = 4;
export const VIRTIO_CONFIG_S_FAILED = 0x80;
/** ISR bit 0: a queue has used buffers; bit 1: the configuration changed. */
export const VIRTIO_PCI_ISR_QUEUE = 1;
export const VIRTIO_PCI_ISR_CONFIG = 2;

/** Feature bits (numbers, not masks). */
export const VIRTIO_NET_F_MAC = 5;
export const VIRTIO_NET_F_STATUS = 16;
export const VIRTIO_NET_S_LINK_UP = 1;

/** struct virtio_net_hdr (legacy, without VIRTIO_NET_F_MRG_RXBUF): flags, gso_type, hdr_len, gso_size, csum_start, csum_offset. */
export const VIRTIO_NET_HDR_SIZE = 10;

export const VIRTIO_PCI_VENDOR = 0x1af4;
/** Transitional (legacy) device ids: 0x1000 + virtio device type - 1; subsystem id = device type. */
export const VIRTIO_ID_NET = 1;
export const VIRTIO_ID_CONSOLE = 3;
export const VIRTIO_PCI_DEVICE_NET = 0x1000;
export const VIRTIO_PCI_DEVICE_CONSOLE = 0x1003;
export const PCI_CLASS_NETWORK_ETHERNET = 0x0200;
export const PCI_CLASS_COMMUNICATION_OTHER = 0x0780;

/** Queue indices of the two device types. */
export const NET_RXQ = 0;
export const NET_TXQ = 1;
export const CONSOLE_RXQ = 0;
export const CONSOLE_TXQ = 1;

/**
 * Placement of the virtio devices, UNCONFIRMED (the reference gives the IRQ lines but not
 * libvirtio's register interface): upstream libvirtio / libsel4vmmplatsupport use the legacy
 * virtio-PCI interface in an I/O BAR, so that is what the model does; on Arm the I/O ports are
 * reached through the board's vPCI IO window (`vpci.io.base + port`). The port numbers, the BAR
 * size and the queue size are this model's choice, kept here only.
 */
export const VIRTIO_PLACEMENT = {
  /** BAR0 port base per device kind. */
  ioPort: { net: 0x6000, console: 0x6200 },
  /** I/O BAR size: the 20-byte header plus the device configuration, rounded up. */
  ioSize: 0x100,
  /** QUEUE_NUM the devices report (libvirtio's queue size, UNCONFIRMED). */
  queueSize: 128,
  /** INTA#: legacy virtio-PCI uses a pin-based interrupt. */
  interruptPin: 1,
  /** x86 guest lines (platforms.md §3.3, camkes-vm Init/src/virtio_irq.h). */
  x86Irq: { net: 6, console: 9 },
} as const;
