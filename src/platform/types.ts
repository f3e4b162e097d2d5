import type { SourcePos } from '../diagnostics';

export type Arch = 'aarch64' | 'aarch32' | 'x86_64' | 'ia32';
export type Family = 'arm' | 'x86';

/** Two sources that disagree about one value, kept side by side (platforms.md CONFLICT marks). */
export interface Conflict {
  /** The key of the section the conflict is about. */
  readonly key: string;
  readonly values: readonly { readonly value: unknown; readonly source: string }[];
  readonly note?: string;
  readonly pos: SourcePos;
}

/** Where a section's values come from and how sure they are. Every section carries one. */
export interface Provenance {
  /** Reference section and upstream `repo:path`, e.g. `platforms.md §2.6; seL4/seL4:src/plat/...`. */
  readonly source: string;
  readonly note?: string;
  /** Keys of the section the reference marks UNCONFIRMED; `['*']` for the whole section. */
  readonly unconfirmed: readonly string[];
  readonly conflicts: readonly Conflict[];
  /** Where the section starts, for messages that point back at the board file. */
  readonly pos: SourcePos;
}

export interface Region {
  readonly base: number;
  readonly size: number;
}

export interface Sel4Info extends Provenance {
  /** The `-DPLATFORM=` value. */
  readonly platform: string;
  readonly kernelPlatform: string;
  readonly armPlatform?: string;
  /** KernelSel4Arch values the port builds (`arm_hyp` is 32-bit Arm with hypervisor). */
  readonly kernelArchs: readonly string[];
}

export type GuestMode = 32 | 64;
export interface GuestInfo extends Provenance {
  /** Word sizes of the guests the VMM runs on this board; empty when there is no VMM. */
  readonly modes: readonly GuestMode[];
}

/** How far the CAmkES VMM supports a board: built and tested, present but untested, only a header, or not at all. */
export type VmmSupport = 'supported' | 'untested' | 'header-only' | 'unsupported';
export interface HypervisorInfo extends Provenance {
  /** seL4 can be built with hypervisor support (KernelArmHypervisorSupport / KernelVTX). */
  readonly kernel: boolean;
  readonly vmm: VmmSupport;
}

export interface CoresInfo extends Provenance {
  readonly count: number;
  readonly cpu: string;
}

export interface SmpInfo extends Provenance {
  /** The seL4 port runs SMP (KernelMaxNumNodes > 1). */
  readonly kernel: boolean;
  /** VMM apps may be built with more than one node / vCPU. */
  readonly supported: boolean;
  readonly maxVcpus: number;
  /** The exact configure-time error when SMP VMs are requested, if the build refuses them. */
  readonly buildError?: string;
}

export interface GicInfo extends Provenance {
  readonly version: 2 | 3;
  readonly distributor: number;
  readonly cpuInterface?: number;
  /** GICH: the hypervisor's vCPU control frame. */
  readonly vcpuControl?: number;
  /** GICV: mapped at the guest's CPU-interface address. */
  readonly vcpuInterface?: number;
  readonly redistributor?: number;
  /** Device-tree path of the GIC node (vmlinux.h GIC_NODE_PATH). */
  readonly node: string;
}

export interface PicInfo extends Provenance {
  readonly hostController: 'ioapic' | 'pic';
  readonly maxIoapics: number;
  /** Host IRQ numbers available to user level. */
  readonly hostUserIrqs: { readonly first: number; readonly last: number };
  readonly guestPicLines: number;
  readonly guestLapic: boolean;
  readonly guestIoapic: boolean;
  /** Fixed guest IRQ lines by device (pit, com1, virtio_net, ...). */
  readonly lines: Readonly<Record<string, number>>;
}

export interface InterruptsInfo extends Provenance {
  /** The highest interrupt number; for x86 guests the highest guest PIC line. */
  readonly maxIrq: number;
  /** vmlinux.h free_plat_interrupts: lines no device uses, handed to virtio and cross-VM. */
  readonly free: readonly number[];
}

export interface TimerInfo extends Provenance {
  /** The DTS timer PPIs in their order (secure phys, non-secure phys, virtual, hyp). */
  readonly ppis: readonly number[];
  readonly kernelIrq: number;
  readonly vtimerIrq: number;
  readonly frequencyHz: number;
}

export interface ConsoleInfo extends Provenance {
  readonly device?: string;
  readonly uart?: Region;
  readonly ioport?: number;
  readonly irq?: number;
  readonly path?: string;
  readonly cmdline?: string;
}

export interface VpciInfo extends Provenance {
  readonly cfg: Region;
  readonly io: Region;
  readonly mem: Region;
  /** The PCI memory window, where cross-VM connection BARs are placed. */
  readonly window: Region;
  readonly gicAddressCells: number;
  /** VmPCISupport can be enabled for this board. */
  readonly enabled: boolean;
}

export interface VirtioInfo extends Provenance {
  readonly irqs: { readonly net?: number; readonly console?: number; readonly blk?: number; readonly vsock?: number };
  readonly net: boolean;
  readonly console: boolean;
}

export interface CrossVmInfo extends Provenance {
  /** The guest line for consumed events, or undefined when the board has no free line. */
  readonly irq?: number;
  /** Guest-physical base of the connection devices. */
  readonly base?: number;
}

export type BootFormat = 'elf' | 'efi' | 'uimage' | 'binary' | 'multiboot';
export interface BootInfo extends Provenance {
  readonly format: BootFormat;
  readonly image: string;
}

export type Documented = 'supported' | 'unsupported';
export interface Feature {
  /** The feature-matrix cell, or undefined when the board has no matrix row. */
  readonly documented?: Documented;
  readonly untested: boolean;
}
export interface FeaturesInfo extends Provenance {
  /** The matrix row's platform name, or undefined when the matrix has no row for the board. */
  readonly row?: string;
  readonly guestMode?: string;
  readonly smp: Feature;
  readonly multipleVms: Feature;
  readonly virtioPci: Feature;
  readonly virtioConsole: Feature;
  readonly virtioNet: Feature;
  readonly crossVm: Feature;
  readonly notes?: string;
}

export interface ArmVm {
  readonly kind: 'arm';
  readonly name: string;
  readonly ram: { readonly base: number; readonly paddr: number; readonly size: number };
  readonly dtb?: number;
  readonly initrd?: number;
  readonly initrdMax?: number;
  readonly entry: number;
  readonly numVcpus: number;
  readonly dtbPassthrough: readonly string[];
  /** `dtb([{"properties": {...}}])` entries: property (or `name[i]`) to the value it must have. */
  readonly dtbProperties: readonly Readonly<Record<string, string | number>>[];
  readonly irqs: readonly number[];
  readonly dtbIrqs: readonly number[];
  readonly untypedMmios: readonly string[];
  readonly mmios: readonly string[];
  readonly cmdline?: string;
  readonly pos: SourcePos;
}

export interface X86Irq {
  readonly name: string;
  readonly ioapic?: number;
  readonly source: number;
  readonly levelTrig: boolean;
  readonly activeLow: boolean;
  readonly dest: number;
}
export interface X86PciDevice {
  readonly name: string;
  readonly bus: number;
  readonly dev: number;
  readonly fun: number;
  readonly irq: string;
  readonly memory: readonly (Region & { readonly pageBits: number })[];
}
export interface X86Vm {
  readonly kind: 'x86';
  readonly name: string;
  readonly ramMb: number;
  readonly cmdline?: string;
  readonly ioports: readonly { readonly start: number; readonly end: number; readonly pciDevice?: number; readonly name: string }[];
  readonly pciDevices: readonly X86PciDevice[];
  readonly irqs: readonly X86Irq[];
  readonly untypedMmios: readonly string[];
  readonly excludePaddr: readonly Region[];
  readonly pos: SourcePos;
}
export type VmInfo = ArmVm | X86Vm;

export interface AppInfo extends Provenance {
  readonly name: string;
  readonly vms: readonly VmInfo[];
}

/** A board: what the harness needs (name, arch, family, file) and the full validated description. */
export interface Platform {
  readonly name: string;
  readonly arch: Arch;
  readonly family: Family;
  readonly file: string;
  readonly title: string;
  readonly variantOf?: string;
  readonly source: string;
  /** Conflicts that concern the board as a whole. */
  readonly conflicts: readonly Conflict[];
  readonly sel4: Sel4Info;
  readonly guest: GuestInfo;
  readonly hypervisor: HypervisorInfo;
  /** True when the CAmkES VMM supports the board (hypervisor.vmm === 'supported'). */
  readonly vmmSupported: boolean;
  readonly cores: number;
  readonly coresInfo: CoresInfo;
  readonly smp: SmpInfo;
  readonly interrupts: InterruptsInfo;
  readonly maxIrq: number;
  readonly gic?: GicInfo;
  readonly pic?: PicInfo;
  readonly timer?: TimerInfo;
  readonly console: ConsoleInfo;
  readonly vpci?: VpciInfo;
  readonly virtio: VirtioInfo;
  readonly crossVm: CrossVmInfo;
  readonly boot: BootInfo;
  readonly features: FeaturesInfo;
  readonly apps: Readonly<Record<string, AppInfo>>;
  /** The board's device tree source (`platforms/<board>.dts`), when it has one. */
  readonly dtsFile?: string;
}
