import type { Diagnostic, SourcePos } from '../../diagnostics';

/** What asked for a resource: the `.camkes` (or board file) position and a phrase naming the entry. */
export interface Origin {
  readonly pos: SourcePos;
  /** e.g. `dtb path "/pl011@9000000" (node /pl011@9000000, reg[0])`, `untyped_mmios "0x8040000:12"`. */
  readonly what: string;
}

/**
 * A physical region handed to the VMM. `untyped`: one untyped capability of `sizeBits` (the VMM
 * retypes it, e.g. 1:1 guest RAM); `frames`: device frames of `pageBits` covering [paddr, paddr+size).
 */
export interface PassthroughRegion {
  readonly kind: 'untyped' | 'frames';
  readonly paddr: number;
  readonly size: number;
  readonly pageBits: number;
  /** For `untyped`: log2 of the size. */
  readonly sizeBits?: number;
  /** `device`: a device the guest drives; `ram`: backing for guest RAM; `gicv`: the GIC virtual CPU interface frame. */
  readonly role: 'device' | 'ram' | 'gicv';
  /** The device-tree node the region came from, for `dtb` entries. */
  readonly node?: string;
  readonly origin: Origin;
}

export type IrqTrigger = 'edge' | 'level';

/** An Arm hardware IRQ routed 1:1: the guest sees the same INTID on its vGIC. */
export interface PassthroughIrqSpec {
  readonly irq: number;
  readonly trigger: IrqTrigger;
  readonly node?: string;
  readonly origin: Origin;
}

/** The Arm VMM's passthrough resources for one VM. */
export interface ArmPassthroughPlan {
  readonly family: 'arm';
  readonly vm: string;
  readonly regions: readonly PassthroughRegion[];
  readonly irqs: readonly PassthroughIrqSpec[];
  /** The node each matching `dtb` entry selected, in entry order. */
  readonly selected: readonly { readonly node: string; readonly origin: Origin }[];
  /** `dtb` entries that matched no node: not an error upstream (the entry becomes an empty node). */
  readonly unmatched: readonly Origin[];
}

/** An x86 I/O port range as the guest sees it, [first, last] inclusive. */
export interface X86IoPortRange {
  readonly name: string;
  readonly first: number;
  readonly last: number;
  /** Written `pci_device` (present, even 0, means the range belongs to a PCI device). */
  readonly pciDevice?: number;
  readonly origin: Origin;
}

/** A host IOAPIC pin delivered to the guest on PIC line `dest`. */
export interface X86IrqRoute {
  readonly name: string;
  readonly ioapic: number;
  /** IOAPIC pin (`source`). */
  readonly pin: number;
  readonly trigger: IrqTrigger;
  readonly polarity: 'low' | 'high';
  /** Guest PIC line, and the vector given to the kernel (seL4VMIRQs template). */
  readonly dest: number;
  readonly origin: Origin;
}

export interface X86PciMemory {
  readonly paddr: number;
  readonly size: number;
  readonly pageBits: number;
  readonly origin: Origin;
}

export interface X86PciPassthrough {
  readonly name: string;
  readonly bus: number;
  readonly dev: number;
  readonly fun: number;
  /** `bb:dd.f`, as lspci prints it. */
  readonly bdf: string;
  readonly irq?: X86IrqRoute;
  readonly memory: readonly X86PciMemory[];
  /** The I/O port ranges with the same name. */
  readonly ioports: readonly X86IoPortRange[];
  readonly origin: Origin;
}

/** The x86 Init VMM's passthrough resources for one VM. */
export interface X86PassthroughPlan {
  readonly family: 'x86';
  readonly vm: string;
  /** Which naming the configuration used: `vmN_config.ioports` (seed, before 2019) or `vmN.vm_ioports`. */
  readonly layout: 'vm_config' | 'vm';
  readonly ioports: readonly X86IoPortRange[];
  readonly irqs: readonly X86IrqRoute[];
  readonly pciDevices: readonly X86PciPassthrough[];
  /** `pci_devices_iospace`: one VT-d IOSpace per PCI device. */
  readonly iospace: boolean;
  readonly untypedMmios: readonly PassthroughRegion[];
  /** Findings that do not stop the plan (positioned, severity `warning`). */
  readonly warnings: readonly Diagnostic[];
  /** What Init prints at start-up for this configuration (upstream wording). */
  readonly vmmLog: readonly string[];
}

export type PassthroughPlan = ArmPassthroughPlan | X86PassthroughPlan;

export const hex = (n: number): string => `0x${n.toString(16)}`;
