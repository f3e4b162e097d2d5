import { SPURIOUS_IRQ, msg, type AccessFault, type Blocking, type Kernel } from '../../sel4';
import { VcpuMachine, VMM_OP, type FaultResolution, type VmCore } from '../core';
import type { VmcallRegisters } from '../guest-machine';
import { armFatalLines } from './messages';
import { CPU_OFF_REPLY_LABEL, VCPU_FAULT_LABEL, VcpuPoweredOff, mpidrOf, smcHsr } from './psci';

/** Where the guest's PCI configuration accesses go: the board's vPCI CFG window (CAM layout). */
export interface ArmMachineDevices {
  readonly kernel: Kernel;
  readonly pciCfgBase: number | null;
  /** The console's interrupt (SPI + 32) and what the guest reads/writes through it. */
  readonly consoleIrq: number;
  /** Received bytes were taken: the UART lowers its line when its FIFO is empty. */
  onConsoleDrained(): void;
  /** SMP (src/vmm/arm/smp.ts): which vCPU this machine is; default 0, the boot vCPU. */
  readonly vcpuId?: number;
  /** SMP: the vCPUs the VMM created, one cpu node each in the guest's device tree (default 1). */
  readonly numVcpus?: number;
}

/**
 * The guest's view of an Arm VM: memory through the stage-2 VSpace of the vCPU thread, where
 * every miss is a VMFault the kernel sends to the VMM thread (which emulates, backs RAM or stops
 * the VM and then replies); the GIC CPU interface through the kernel's VCPU object (IAR and
 * EOIR on the list registers; an EOI raises the maintenance fault); WFI in the kernel (WFI traps
 * are disabled on these builds, KernelArmDisableWFIWFETraps); PCI configuration through the CFG
 * window; the console UART passed through (its data path is the device itself).
 */
export class ArmMachine extends VcpuMachine {
  readonly arch = 'arm' as const;
  readonly consoleIrq: number;
  /** SMP: one ArmMachine per vCPU, each attached to its own vCPU thread. */
  readonly vcpuId: number;
  /** What the VMM thread did about the last fault, read by the faulting vCPU after the reply. */
  lastResolution: FaultResolution | null = null;

  constructor(
    vm: VmCore,
    private readonly dev: ArmMachineDevices,
  ) {
    super(vm);
    this.consoleIrq = dev.consoleIrq;
    this.vcpuId = dev.vcpuId ?? 0;
  }

  /** SMP: the guest DTB's /cpus MPIDRs (the VMM generates one cpu node per vCPU). */
  get cpus(): readonly number[] {
    return Array.from({ length: this.dev.numVcpus ?? 1 }, (_, i) => mpidrOf(i));
  }

  /** SMP: this vCPU's MPIDR affinity value (what PSCI CPU_ON's target names). */
  get mpidr(): number {
    return mpidrOf(this.vcpuId);
  }

  protected exitName(): string {
    return 'DATA_ABORT';
  }

  protected fatalLines(reason: string): string[] {
    return armFatalLines(reason);
  }

  protected *offline(): Blocking<never> {
    const t = this.sys.thread;
    for (;;) {
      this.dev.kernel.core.suspend(t);
      yield;
    }
  }

  /**
   * A stage-2 abort: the access is made again through the vCPU thread's VSpace so that the
   * kernel raises the VMFault (address, size, write value) to the VMM; the reply resumes the
   * vCPU: empty restarts the access (RAM just backed), a value completes it (emulated device).
   */
  protected override *memoryExit(f: AccessFault, size: 1 | 2 | 4, value = 0): Blocking<FaultResolution> {
    this.lastResolution = null;
    let v = 0;
    if (f.kind === 'read') v = yield* this.sys.load(f.addr, size);
    else yield* this.sys.store(f.addr, size, value);
    const r = this.lastResolution as FaultResolution | null;
    if (!r || r.kind === 'retry') return { kind: 'retry' };
    if (r.kind === 'fatal') return yield* this.offline();
    return { kind: 'emulated', value: f.kind === 'read' ? v : 0 };
  }

  // A guest model calling an x86-only operation is a bug in that model, not a modelled outcome.
  // eslint-disable-next-line require-yield
  *vmcall(regs: VmcallRegisters): Blocking<number> {
    throw new Error(`${this.name}: vmcall (EAX ${regs.eax}) is an x86 instruction; an Arm guest has HVC/SMC`);
  }

  /**
   * SMP addition: SMC with function id `fid` and x1..x3 = `args`, trapped by seL4 to the VMM as a
   * VCPU fault on this vCPU's fault endpoint (see psci.ts for the message); returns x0..x3.
   * CPU_OFF does not return (throws VcpuPoweredOff); a VM stopped by the VMM never resumes.
   */
  *smc(fid: number, args: readonly number[]): Blocking<number[]> {
    yield* this.online();
    const ep = this.sys.thread.faultHandler;
    if (ep === null) throw new Error(`${this.name}: vCPU ${this.vcpuId} has no fault endpoint to trap an SMC to`);
    const r = yield* this.sys.call(ep, msg(VCPU_FAULT_LABEL, smcHsr(this.wordBits), fid >>> 0, ...[0, 1, 2].map((i) => args[i] ?? 0)));
    if (r.label === CPU_OFF_REPLY_LABEL) throw new VcpuPoweredOff(this.vcpuId);
    return [...r.mrs];
  }

  // eslint-disable-next-line require-yield
  *ioIn(port: number): Blocking<number> {
    throw new Error(`${this.name}: port I/O (0x${port.toString(16)}) does not exist on Arm`);
  }

  // eslint-disable-next-line require-yield
  *ioOut(port: number): Blocking<void> {
    throw new Error(`${this.name}: port I/O (0x${port.toString(16)}) does not exist on Arm`);
  }

  /** GICC_IAR through the GICV frame: the list register's virq, now active; null when spurious. */
  *acknowledgeInterrupt(): Blocking<number | null> {
    yield* this.online();
    const irq = this.sys.acknowledgeInterrupt();
    if (irq === SPURIOUS_IRQ) return null;
    this.vm.tracer.event(VMM_OP.ackIrq, 'vgic', irq);
    return irq;
  }

  /** GICC_EOIR: frees the list register; the kernel's maintenance fault lets the VMM refill it. */
  *endOfInterrupt(line: number): Blocking<void> {
    yield* this.online();
    yield* this.sys.endOfInterrupt(line);
  }

  /** WFI: the kernel idles the vCPU until a list register is pending, or the guest's timer deadline. */
  *idle(deadline: number | null): Blocking<void> {
    yield* this.online();
    const k = this.dev.kernel;
    const t = this.sys.thread;
    const vcpu = t.vcpu;
    if (!vcpu) return;
    while (!vcpu.hasPending()) {
      if (deadline !== null && k.now >= deadline) return;
      this.vm.tracer.event(VMM_OP.hlt, 'WFI', deadline === null ? 'no timer' : deadline);
      // The generic timer's deadline, which the kernel model does not have: wake the vCPU then.
      const cancel = deadline === null ? null : k.at(deadline, () => (t.state === 'WaitingForInterrupt' ? k.core.wake(t, undefined) : undefined), `${this.name}:vtimer`);
      k.core.block(t, 'WaitingForInterrupt', vcpu, 'WFI');
      yield;
      cancel?.();
    }
  }

  /**
   * Not part of GuestMachine: the vCPU spends `ns` without looking at its interrupts (a guest
   * busy elsewhere). Register-level probes use it to wait for their next command while an
   * interrupt stays pending.
   */
  *hold(ns: number): Blocking<void> {
    yield* this.online();
    yield* this.sys.sleep(ns);
  }

  *pciConfigRead(device: number, fn: number, offset: number, size: 1 | 2 | 4): Blocking<number> {
    if (this.dev.pciCfgBase === null) return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
    return yield* this.load(this.dev.pciCfgBase + camAddress(device, fn, offset), size);
  }

  *pciConfigWrite(device: number, fn: number, offset: number, size: 1 | 2 | 4, value: number): Blocking<void> {
    if (this.dev.pciCfgBase === null) return;
    yield* this.store(this.dev.pciCfgBase + camAddress(device, fn, offset), size, value);
  }

  /** The console UART is passed through: bytes go to the device, not through the VMM. */
  *consoleWrite(bytes: Uint8Array): Blocking<void> {
    yield* this.online();
    this.vm.tracer.event(VMM_OP.consoleOut, 'uart', bytes.length);
    this.vm.console.transmit(bytes);
  }

  *consoleRead(max: number): Blocking<Uint8Array> {
    yield* this.online();
    const got = this.vm.console.receive(max);
    if (this.vm.console.pending === 0) this.dev.onConsoleDrained();
    return got;
  }
}

function camAddress(device: number, fn: number, offset: number): number {
  return ((device & 0x1f) << 11) | ((fn & 7) << 8) | (offset & 0xff);
}
