/**
 * Per-architecture constants, the Machine part of the executable specification's split.
 *
 * UNCONFIRMED (one place for all of them): the object sizes below are libsel4's
 * `seL4_*Bits` constants for hypervisor-enabled configurations as recalled from
 * `libsel4/sel4_arch_include/<arch>/sel4/sel4_arch/constants.h`; the reference documents in
 * /work/shared/reference do not list them. The IRQ line counts are the simulator's choice.
 * The list register count (4) is stated for the VMM model in platforms.md section 1.3.
 */
export type Arch = 'aarch64' | 'aarch32' | 'x86_64' | 'ia32';

export type ObjectType =
  | 'Untyped'
  | 'TCB'
  | 'Endpoint'
  | 'Notification'
  | 'CNode'
  | 'SchedContext'
  | 'Reply'
  | 'Frame'
  | 'VSpace'
  | 'PageTable'
  | 'VCPU';

export interface ArchConfig {
  readonly arch: Arch;
  readonly family: 'arm' | 'x86';
  readonly wordBits: 32 | 64;
  /** Frame sizes this architecture maps, smallest first, as log2 of bytes. */
  readonly pageBits: readonly number[];
  /** seL4 names for each frame size, same order as `pageBits`. */
  readonly pageNames: readonly string[];
  /** Size (log2 bytes) of each fixed-size object; absent: the type does not exist here. */
  readonly objectBits: Readonly<Partial<Record<ObjectType, number>>>;
  /** seL4_SlotBits: a CNode of radix r occupies 2^(r + slotBits) bytes. */
  readonly slotBits: number;
  readonly minUntypedBits: number;
  readonly maxUntypedBits: number;
  readonly minSchedContextBits: number;
  /** Lowest virtual address above the user range (mappings at or above it are refused). */
  readonly userTop: number;
  /** Hardware interrupt lines the IRQControl cap can hand out (0 .. irqLines-1). */
  readonly irqLines: number;
  /** vGIC list registers per VCPU (ARM only; 0 on x86). */
  readonly listRegisters: number;
  /** Whether the architecture has I/O ports (x86). */
  readonly ioPorts: boolean;
}

const GiB = 2 ** 30;

export const ARCHES: Readonly<Record<Arch, ArchConfig>> = {
  aarch64: {
    arch: 'aarch64', family: 'arm', wordBits: 64,
    pageBits: [12, 21, 30], pageNames: ['seL4_ARM_SmallPageObject', 'seL4_ARM_LargePageObject', 'seL4_ARM_HugePageObject'],
    objectBits: { TCB: 11, Endpoint: 4, Notification: 5, Reply: 5, VSpace: 12, PageTable: 12, VCPU: 12 },
    slotBits: 5, minUntypedBits: 4, maxUntypedBits: 47, minSchedContextBits: 7,
    userTop: 2 ** 40, irqLines: 1020, listRegisters: 4, ioPorts: false,
  },
  aarch32: {
    arch: 'aarch32', family: 'arm', wordBits: 32,
    pageBits: [12, 16, 20, 24], pageNames: ['seL4_ARM_SmallPageObject', 'seL4_ARM_LargePageObject', 'seL4_ARM_SectionObject', 'seL4_ARM_SuperSectionObject'],
    objectBits: { TCB: 10, Endpoint: 4, Notification: 4, Reply: 4, VSpace: 14, PageTable: 12, VCPU: 12 },
    slotBits: 4, minUntypedBits: 4, maxUntypedBits: 29, minSchedContextBits: 7,
    userTop: 0xe000_0000, irqLines: 1020, listRegisters: 4, ioPorts: false,
  },
  x86_64: {
    arch: 'x86_64', family: 'x86', wordBits: 64,
    pageBits: [12, 21, 30], pageNames: ['seL4_X86_4K', 'seL4_X86_LargePageObject', 'seL4_X64_HugePageObject'],
    objectBits: { TCB: 11, Endpoint: 4, Notification: 5, Reply: 5, VSpace: 12, PageTable: 12 },
    slotBits: 5, minUntypedBits: 4, maxUntypedBits: 47, minSchedContextBits: 7,
    userTop: 0x7fff_ffff_f000, irqLines: 256, listRegisters: 0, ioPorts: true,
  },
  ia32: {
    arch: 'ia32', family: 'x86', wordBits: 32,
    pageBits: [12, 22], pageNames: ['seL4_X86_4K', 'seL4_X86_LargePageObject'],
    objectBits: { TCB: 10, Endpoint: 4, Notification: 4, Reply: 4, VSpace: 12, PageTable: 12 },
    slotBits: 4, minUntypedBits: 4, maxUntypedBits: 29, minSchedContextBits: 7,
    userTop: 0xe000_0000, irqLines: 256, listRegisters: 0, ioPorts: true,
  },
};

export function archConfig(arch: Arch): ArchConfig {
  return ARCHES[arch];
}

/**
 * Size in bits of one object of `type` with the given size argument (CNode: radix in slots;
 * Untyped and SchedContext: log2 bytes; Frame: log2 bytes, one of `pageBits`). Returns a
 * string naming the problem when the combination is invalid, for the caller to turn into the
 * error seL4 gives.
 */
export function objectSizeBits(cfg: ArchConfig, type: ObjectType, sizeBits: number): number | 'invalid-type' | 'too-small' | 'range' {
  // seL4's decodeUntypedInvocation: "too small" requests are InvalidArgument, sizes above
  // seL4_MaxUntypedBits are RangeError.
  const check = (min: number, bytesBits: number) => (sizeBits < min ? 'too-small' : bytesBits > cfg.maxUntypedBits ? 'range' : bytesBits);
  switch (type) {
    case 'Untyped':
      return check(cfg.minUntypedBits, sizeBits);
    case 'CNode':
      return check(1, sizeBits + cfg.slotBits);
    case 'SchedContext':
      return check(cfg.minSchedContextBits, sizeBits);
    case 'Frame':
      return cfg.pageBits.includes(sizeBits) ? sizeBits : 'invalid-type';
    default: {
      const b = cfg.objectBits[type];
      return b === undefined ? 'invalid-type' : b;
    }
  }
}

export const GIB = GiB;
