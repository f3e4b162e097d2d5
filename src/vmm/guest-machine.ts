import type { Blocking } from '../sel4';

/**
 * The contract between a guest operating system model (`src/guest`) and the virtual machine the
 * VMM gives it (`src/vmm`). It is the guest's whole view of the hardware: everything a guest
 * observes comes through these calls, so every guest-visible outcome is produced by the VMM's
 * modelled mechanism (stage-2/EPT mappings, VM exits, the virtual interrupt controller).
 *
 * Guest code runs on the vCPU's kernel thread (x86: the VMM thread itself, inside VMEnter; Arm:
 * the vCPU TCB whose faults go to the VMM). Calls that can exit to the VMM are generator helpers
 * used with `yield*`: a VM exit blocks the guest until the VMM resumes it, and never returns if
 * the VMM takes the vCPU offline (a fatal VM error).
 */
export interface GuestMachine {
  readonly arch: 'x86' | 'arm';
  /** Width of the guest's general registers: 32 (ia32 / aarch32 guests) or 64. */
  readonly wordBits: 32 | 64;
  /** Guest-physical RAM the guest may use (the guest kernel's memory map). */
  readonly ram: { readonly base: number; readonly size: number };
  /** Kernel command line given by the VM configuration (e.g. `vm0.kernel_cmdline`). */
  readonly cmdline: string;
  /** Name of the VM (`vm0`), for traces. */
  readonly name: string;

  /** Virtual time in nanoseconds (the guest's clocksource). */
  now(): number;

  /**
   * Guest-physical memory. RAM resolves through the stage-2/EPT VSpace to frames; an access that
   * misses or lacks the right exits to the VMM, which emulates the device (MMIO) or stops the VM.
   */
  read(paddr: number, length: number): Blocking<Uint8Array>;
  write(paddr: number, bytes: Uint8Array): Blocking<void>;
  read32(paddr: number): Blocking<number>;
  write32(paddr: number, value: number): Blocking<void>;

  /**
   * x86 only: the KVM hypercall ABI (`vmcall` with EAX token, EBX, ECX, EDX, ESI). Returns the
   * guest's EAX after the VMM resumes it (upstream never writes EAX, so it is the token).
   */
  vmcall(regs: VmcallRegisters): Blocking<number>;
  /** x86 only: port I/O (COM1 0x3f8.., PIC 0x20/0xa0, PCI configuration 0xcf8/0xcfc). */
  ioIn(port: number, size: 1 | 2 | 4): Blocking<number>;
  ioOut(port: number, size: 1 | 2 | 4, value: number): Blocking<void>;

  /**
   * The interrupt acknowledge cycle (x86: INTA from the virtual 8259; Arm: GICC_IAR through the
   * vCPU interface): the highest-priority pending line, now in service, or null if none.
   * Between guest steps the guest kernel calls this, as a CPU samples its IRQ input.
   */
  acknowledgeInterrupt(): Blocking<number | null>;
  /**
   * Optional, performance only: false when `acknowledgeInterrupt()` would return null at once
   * with no side effect (no trace event, no kernel entry), so the guest may skip calling it.
   * A machine that cannot tell cheaply leaves it out (the guest then always calls).
   */
  interruptPossible?(): boolean;
  /** End of interrupt for a line in service (x86: EOI to the PIC; Arm: GICC_EOIR / list register). */
  endOfInterrupt(line: number): Blocking<void>;
  /**
   * HLT / WFI: block until an interrupt is pending for this vCPU or virtual time reaches
   * `deadline` (ns; null for no deadline). Returns at once if one is already pending.
   */
  idle(deadline: number | null): Blocking<void>;

  /**
   * PCI configuration space of the virtual PCI bus (bus 0), as the guest's PCI core reads it
   * (x86 through 0xcf8/0xcfc, Arm through the ECAM window; implementations route these calls
   * through the same emulation). Absent devices read as all ones.
   */
  pciConfigRead(device: number, fn: number, offset: number, size: 1 | 2 | 4): Blocking<number>;
  pciConfigWrite(device: number, fn: number, offset: number, size: 1 | 2 | 4, value: number): Blocking<void>;

  /** Bytes the guest writes to its console device (x86 COM1, Arm virtual UART). */
  consoleWrite(bytes: Uint8Array): Blocking<void>;
  /**
   * Bytes waiting in the console device's receive FIFO (typed by the operator at the serial
   * console), at most `max`; empty when none. The device raises `consoleIrq` when bytes arrive.
   */
  consoleRead(max: number): Blocking<Uint8Array>;
  /** The console's interrupt line as the guest numbers it (x86 COM1: 4; Arm: the UART's SPI + 32). */
  readonly consoleIrq: number;

  // --- SMP (optional; README "Contract changes") ------------------------------------------------

  /**
   * Arm only: the SMC instruction, function id `fid` in x0 and `args` in x1..x3 (SMC Calling
   * Convention). seL4 traps it to the VMM, whose virtual power device answers PSCI
   * (`src/vmm/arm/psci.ts`: VERSION 0x84000000, CPU_ON 0xC4000003 / 0x84000003 with (target
   * MPIDR, entry point, context id), CPU_OFF 0x84000002, AFFINITY_INFO 0xC4000004 / 0x84000004,
   * SYSTEM_OFF 0x84000008; anything else NOT_SUPPORTED -1). Returns x0..x3 (x0 signed: PSCI
   * codes are negative). Never returns after a successful CPU_OFF (the call throws
   * `VcpuPoweredOff`, which the guest must let through: that vCPU's code ends there), nor when
   * the VMM stops the VM. Absent on x86 (single vCPU).
   */
  smc?(fid: number, args: readonly number[]): Blocking<number[]>;
  /** Which vCPU this machine is: 0 for the boot vCPU, i for the i-th secondary. */
  readonly vcpuId?: number;
  /** This vCPU's MPIDR affinity value: what CPU_ON / AFFINITY_INFO name it by. */
  readonly mpidr?: number;
  /**
   * The MPIDRs of the `/cpus` nodes of the guest's device tree, which the VMM generates with one
   * cpu node per vCPU it created (`num_vcpus` as capped); the guest kernel brings these CPUs up.
   * Absent: the machine gives the guest no device tree (x86, unit-test machines).
   */
  readonly cpus?: readonly number[];

  // --- Guest mode (optional; README "Contract changes") -----------------------------------------

  /**
   * x86 only: the CPUID instruction (EAX = `leaf`, ECX = `subleaf`). It always exits to the VMM
   * under VT-x; the result is the VMM's emulation (`src/vmm/x86/cpuid.ts`): the host's values
   * with what the VMM cannot give the guest hidden (PAE, PSE, MSR and long mode unless the build
   * supports 64-bit guests). Absent on Arm.
   */
  cpuid?(leaf: number, subleaf: number): Blocking<CpuidRegisters>;
}

/** EAX..EDX after CPUID. */
export interface CpuidRegisters {
  readonly eax: number;
  readonly ebx: number;
  readonly ecx: number;
  readonly edx: number;
}

export interface VmcallRegisters {
  readonly eax: number;
  readonly ebx?: number;
  readonly ecx?: number;
  readonly edx?: number;
  readonly esi?: number;
}

/**
 * What the VMM runs on its vCPU: a guest operating system. `boot` runs from reset forever (or
 * until the guest powers off); the guest drives itself through `GuestMachine`.
 */
export interface GuestOS {
  boot(machine: GuestMachine): Blocking<void>;
  /**
   * Optional (SMP): what a secondary vCPU runs once PSCI CPU_ON started it, on that vCPU's own
   * machine: `entry` and `contextId` are CPU_ON's arguments (x0 = context id at entry). Also run
   * when a vCPU is turned on again after CPU_OFF. Returning stops the vCPU.
   */
  secondary?(machine: GuestMachine, entry: number, contextId: number): Blocking<void>;
}
