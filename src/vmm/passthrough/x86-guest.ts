/**
 * What the x86 Init VMM already gives its guest, which passthrough must not collide with. The
 * choices are kept here, in one place, because the reference names the devices but not every
 * port: UNCONFIRMED beyond what each comment cites.
 */
import type { Platform } from '../../platform';

export interface EmulatedPorts {
  readonly device: string;
  readonly first: number;
  readonly last: number;
}

/**
 * I/O ports the VMM emulates (platforms.md §3.3: 8259 PIC pair, i8254 PIT, mc146818 RTC, COM1 at
 * 0x3f8; the PCI configuration mechanism the VMM decodes). Port ranges are the standard PC ones:
 * PIC 0x20-0x21/0xa0-0xa1, PIT 0x40-0x43, CMOS RTC 0x70-0x71, COM1 0x3f8-0x3ff (an 8250 decodes 8
 * ports; CAmkES's own SerialServer uses '0x3f8:0x3ff'), PCI 0xcf8-0xcff. UNCONFIRMED: whether
 * Init also claims others (0x61, 0x80, the keyboard controller).
 */
export const EMULATED_IOPORTS: readonly EmulatedPorts[] = [
  { device: 'PIC (master 8259)', first: 0x20, last: 0x21 },
  { device: 'PIT (i8254)', first: 0x40, last: 0x43 },
  { device: 'RTC (mc146818)', first: 0x70, last: 0x71 },
  { device: 'PIC (slave 8259)', first: 0xa0, last: 0xa1 },
  { device: 'COM1 (8250)', first: 0x3f8, last: 0x3ff },
  { device: 'PCI configuration', first: 0xcf8, last: 0xcff },
];

/**
 * Whether `vm_ioports` `end` is the last port or one past it is not stated (platforms.md §3.7,
 * UNCONFIRMED). Exclusive is the only reading under which the seed's and upstream's own SATA
 * lists do not overlap (0x4080-0x4088 next to 0x4088-0x4090; upstream writes the ends as
 * `start + length`, e.g. `0x4088 + 8`), so the range is [start, end).
 */
export const IOPORT_END_EXCLUSIVE = true;

/** Guest PIC lines a passthrough `dest` may use: the 16-entry `irq_badges` table of Init/src/main.c. */
export const GUEST_LINES = 16;

/** Optional VMM devices whose fixed guest lines are taken only when the VM has them. */
export interface X86GuestDevices {
  readonly crossVm?: boolean;
  readonly virtio?: readonly ('net' | 'blk' | 'console' | 'vsock')[];
}

/**
 * Fixed guest lines in use (name → line) from the board's `pic.lines`: PIT, COM1 and RTC always
 * (Init always emulates them); virtio and cross-VM lines only when the VM has those devices, so
 * cma34cr's Ethernet on line 10 is fine for a VM without virtio-vsock.
 */
export function fixedLines(p: Platform, dev: X86GuestDevices = {}): Map<number, string> {
  const lines = p.pic?.lines ?? {};
  const out = new Map<number, string>();
  const take = (key: string, label: string) => {
    if (lines[key] !== undefined && !out.has(lines[key])) out.set(lines[key], label);
  };
  take('pit', 'the PIT (i8254)');
  take('com1', 'COM1 (ttyS0)');
  take('rtc', 'the RTC (mc146818)');
  for (const v of dev.virtio ?? []) take(`virtio_${v}`, `virtio-${v}`);
  if (dev.crossVm) take('cross_vm', 'cross-VM events');
  return out;
}

/**
 * Guest-physical RAM of an x86 VM (platforms.md §3.3): low RAM 0x500-0x9fc00 and `guest_ram_mb`
 * MiB from the start of the anonymous region at 0x10003000. UNCONFIRMED: that the allocation is
 * contiguous from the region's start (exclude_paddr ranges are not modelled as holes).
 */
export function x86GuestRam(ramMb: number): { base: number; size: number }[] {
  return [
    { base: 0x500, size: 0x9fc00 - 0x500 },
    { base: 0x10003000, size: ramMb * 0x100000 },
  ];
}

/** All pairs (i < j, indices into `ranges`) of inclusive ranges that share a port: sort, then sweep. */
export function ioportOverlaps(ranges: readonly { readonly first: number; readonly last: number }[]): [number, number][] {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a].first - ranges[b].first || a - b);
  const out: [number, number][] = [];
  for (let x = 0; x < order.length; x++) {
    const a = ranges[order[x]];
    for (let y = x + 1; y < order.length && ranges[order[y]].first <= a.last; y++) {
      const [i, j] = [order[x], order[y]];
      out.push(i < j ? [i, j] : [j, i]);
    }
  }
  return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}
