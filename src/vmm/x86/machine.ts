import { done, doneValue, FINISHED, NOT_DONE, type Blocking, type CPtr, type Notification } from '../../sel4';
import { hex, VcpuMachine, VMM_OP, type VmCore } from '../core';
import type { CpuidRegisters, VmcallRegisters } from '../guest-machine';
import { COM1_IRQ, type Com1 } from './com1';
import { EXIT_REASON, guestContextLines, VM_FATAL_ERROR_LINE, type ExitInfo } from './context';
import { CPUID_EXIT_REASON, vmCpuid, type CpuidConfig } from './cpuid';
import type { I8259Pair } from './pic';
import { PCI_CONF_ADDR, PCI_CONF_DATA, type PciConfigPorts } from './pci-ports';
import { unknownTokenMessage, type GuestRegisters, type VmcallEntry, type VmcallRegistry } from './vmcall';

/** BIT(27): the badge bit marking a VMM async event (libsel4vmm `VM_ASYNC_EVENT_BADGE`-style check). */
export const ASYNC_EVENT_BIT = 1 << 27;

/** The badge that makes `handle_async_event` raise PIC `line`: BIT(27) | BIT(line + 1). */
export function picBadge(line: number): number {
  return (ASYNC_EVENT_BIT | (1 << (line + 1))) >>> 0;
}

/** VM_PIC_BADGE_IRQ_12 = BIT(27)|BIT(13) = 134225920. */
export const VM_PIC_BADGE_IRQ_12 = picBadge(12);

export interface X86Devices {
  readonly pic: I8259Pair;
  readonly com1: Com1;
  readonly pci: PciConfigPorts;
  readonly vmcalls: VmcallRegistry;
  /** The VMM thread's bound notification: cap in its CSpace and the object (VMEnter's exit test). */
  readonly asyncCap: CPtr;
  readonly asyncNtfn: Notification;
  /** What the CPUID exit handler may expose (default: no 64-bit guest support). */
  readonly cpuid?: CpuidConfig;
}

/**
 * Passthrough hooks (src/vmm/passthrough/route-x86.ts): port ranges the VMM forwards to the host
 * through IOPort caps, and what runs at the guest's EOI of a line (the seL4 IRQ handler's Ack).
 */
export interface X86PassthroughHooks {
  readonly ports: { readonly first: number; readonly last: number; in(port: number, size: 1 | 2 | 4): number; out(port: number, size: 1 | 2 | 4, value: number): void }[];
  readonly onEoi: ((line: number) => void)[];
}

const NO_REGS: GuestRegisters = { eax: 0, ebx: 0, ecx: 0, edx: 0, esi: 0, edi: 0, ebp: 0 };
const VMCALL_EXIT: ExitInfo = Object.freeze({ reason: EXIT_REASON.VMCALL, qualification: 0, instructionLength: 3, guestPhysical: 0 });

/**
 * The x86 `Init` VMM's vCPU as the guest sees it. The VMM thread is the vCPU: guest code runs in
 * that thread (inside VMEnter) and every exit is handled right there, as libsel4vmm's `vmm_run`
 * loop does; a pending signal on the VMM's bound notification ends VMEnter too.
 */
export class X86Machine extends VcpuMachine {
  readonly arch = 'x86' as const;
  readonly consoleIrq = COM1_IRQ;
  /** The registers of the last vmcall (the context dump prints them). */
  regs: GuestRegisters = NO_REGS;
  private readonly vmcallRegs: { -readonly [K in keyof GuestRegisters]: GuestRegisters[K] } = { eax: 0, ebx: 0, ecx: 0, edx: 0, esi: 0, edi: 0, ebp: 0 };
  private exit: ExitInfo = { reason: 0, qualification: 0, instructionLength: 0, guestPhysical: 0 };
  readonly passthrough: X86PassthroughHooks = { ports: [], onEoi: [] };
  /** Trace ids of what every cross-VM round trip records, interned once. */
  private readonly ids: { readonly vmexit: number; readonly vmcall: number; readonly VMCALL: number; readonly HLT: number; readonly i8259: number; readonly injectIrq: number; readonly ackIrq: number; readonly eoi: number; readonly asyncEvent: number; readonly asyncNtfn: number; readonly zero: number };

  constructor(
    vm: VmCore,
    readonly dev: X86Devices,
  ) {
    super(vm);
    const t = vm.tracer;
    this.ids = {
      vmexit: t.intern(VMM_OP.vmexit),
      vmcall: t.intern(VMM_OP.vmcall),
      VMCALL: t.intern('VMCALL'),
      HLT: t.intern('HLT'),
      i8259: t.intern('i8259'),
      injectIrq: t.intern(VMM_OP.injectIrq),
      ackIrq: t.intern(VMM_OP.ackIrq),
      eoi: t.intern(VMM_OP.eoi),
      asyncEvent: t.intern(VMM_OP.asyncEvent),
      asyncNtfn: t.intern(dev.asyncNtfn.name),
      zero: t.intern('0'),
    };
  }

  protected exitName(): string {
    return 'EPT_VIOLATION';
  }

  protected override *memoryExit(f: import('../../sel4').AccessFault, size: 1 | 2 | 4, value = 0) {
    this.exit = { reason: EXIT_REASON.EPT_VIOLATION, qualification: f.kind === 'write' ? 2 : 1, instructionLength: 0, guestPhysical: f.addr };
    return yield* super.memoryExit(f, size, value);
  }

  protected fatalLines(): string[] {
    return [VM_FATAL_ERROR_LINE, ...guestContextLines(this.exit, this.regs)];
  }

  /**
   * vcpu->online = 0: the VMM loop no longer enters the guest; it keeps taking async events from
   * its notification (and drops what it would have injected), so it shows as waiting there.
   */
  protected *offline(): Blocking<never> {
    for (;;) {
      const badge = yield* this.sys.wait(this.dev.asyncCap);
      this.vm.tracer.event(VMM_OP.asyncEvent, this.dev.asyncNtfn.name, badge, 'dropped: vcpu offline');
    }
  }

  // --- vmcall -----------------------------------------------------------------------------------

  vmcall(r: VmcallRegisters): Blocking<number> {
    if (!this.vm.alive) return this.offline();
    // One register block per vCPU, rewritten per vmcall: handlers read it during the call only.
    const regs = this.vmcallRegs;
    regs.eax = r.eax >>> 0;
    regs.ebx = (r.ebx ?? 0) >>> 0;
    regs.ecx = (r.ecx ?? 0) >>> 0;
    regs.edx = (r.edx ?? 0) >>> 0;
    regs.esi = (r.esi ?? 0) >>> 0;
    this.regs = regs;
    this.exit = VMCALL_EXIT;
    this.vm.tracer.eventIds(this.ids.vmexit, this.ids.VMCALL, regs.eax);
    const h = this.dev.vmcalls.get(regs.eax);
    if (!h) {
      // libsel4vmm logs, skips the instruction and resumes: the guest sees no error.
      this.vm.printf(unknownTokenMessage(regs.eax) + '\n');
      this.vm.tracer.event(VMM_OP.vmcallUnknown, `token ${regs.eax}`, regs.eax, 'skipped');
      return done(regs.eax);
    }
    // A handler that completes without blocking (EMIT, ACK) is answered without a generator.
    const b = h.fn(regs, this.sys);
    const ret = doneValue(b);
    if (ret === 0) {
      this.vmcallReturned(h, regs, 0);
      return done(regs.eax);
    }
    return this.vmcallWaiting(h, regs, ret === NOT_DONE ? b : done(ret));
  }

  private *vmcallWaiting(h: VmcallEntry, regs: GuestRegisters, b: Blocking<number>): Blocking<number> {
    const ret = yield* b;
    this.vmcallReturned(h, regs, ret);
    // A failing handler: the instruction is not skipped and the VM dies (vmm.c lines 93-98).
    if (ret !== 0) yield* this.fatal(`vmcall handler "${h.name}" (token ${regs.eax}) returned ${ret}`);
    return regs.eax;
  }

  private vmcallReturned(h: VmcallEntry, regs: GuestRegisters, ret: number): void {
    this.vm.tracer.eventIds(this.ids.vmcall, h.traceId >= 0 ? h.traceId : (h.traceId = this.vm.tracer.intern(h.name)), regs.eax, ret === 0 ? this.ids.zero : String(ret));
  }

  // --- CPUID ------------------------------------------------------------------------------------

  *cpuid(leaf: number, subleaf: number): Blocking<CpuidRegisters> {
    yield* this.online();
    this.exit = { reason: CPUID_EXIT_REASON, qualification: 0, instructionLength: 2, guestPhysical: 0 };
    const r = vmCpuid(leaf, subleaf, this.dev.cpuid ?? { vtx64BitGuests: false });
    this.vm.tracer.event(VMM_OP.vmexit, 'CPUID', hex(leaf >>> 0), `edx ${hex(r.edx)}`);
    return r;
  }

  // --- Port I/O -----------------------------------------------------------------------------------

  *ioIn(port: number, size: 1 | 2 | 4): Blocking<number> {
    yield* this.online();
    this.exit = { reason: EXIT_REASON.IO, qualification: port << 16, instructionLength: 1, guestPhysical: 0 };
    const v = this.portIn(port, size);
    this.vm.tracer.event(VMM_OP.ioIn, hex(port), size, hex(v));
    return v;
  }

  *ioOut(port: number, size: 1 | 2 | 4, value: number): Blocking<void> {
    yield* this.online();
    this.exit = { reason: EXIT_REASON.IO, qualification: port << 16, instructionLength: 1, guestPhysical: 0 };
    this.vm.tracer.event(VMM_OP.ioOut, hex(port), hex(value >>> 0), String(size));
    this.portOut(port, size, value);
  }

  private portIn(port: number, size: 1 | 2 | 4): number {
    const d = this.dev;
    if (d.pic.handles(port)) return d.pic.ioIn(port);
    if (d.com1.handles(port)) return d.com1.ioIn(port);
    if (d.pci.handles(port)) return d.pci.ioIn(port, size);
    const p = this.passthrough.ports.find((r) => port >= r.first && port <= r.last);
    if (p) return p.in(port, size);
    // UNCONFIRMED: ports with no emulation read as a floating ISA bus (all ones).
    return size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff;
  }

  private portOut(port: number, size: 1 | 2 | 4, value: number): void {
    const d = this.dev;
    if (d.pic.handles(port)) d.pic.ioOut(port, value);
    else if (d.com1.handles(port)) d.com1.ioOut(port, value);
    else if (d.pci.handles(port)) d.pci.ioOut(port, size, value);
    else this.passthrough.ports.find((r) => port >= r.first && port <= r.last)?.out(port, size, value);
    // UNCONFIRMED: writes to ports with no emulation are dropped.
  }

  // --- Console (COM1) ---------------------------------------------------------------------------

  /** `rep outsb` to THR: one I/O exit for the whole string. */
  *consoleWrite(bytes: Uint8Array): Blocking<void> {
    yield* this.online();
    this.vm.tracer.event(VMM_OP.consoleOut, 'COM1', bytes.length);
    this.dev.com1.console.transmit(bytes);
  }

  /** Reads RBR while LSR.DR is set, at most `max` bytes. */
  *consoleRead(max: number): Blocking<Uint8Array> {
    yield* this.online();
    return this.dev.com1.console.receive(max);
  }

  // --- Interrupts -------------------------------------------------------------------------------

  /** VMEnter returns when the bound notification is signalled: take the badge and handle it. */
  private takeAsync(): void {
    if (!this.dev.asyncNtfn.active) return;
    const badge = this.sys.poll(this.dev.asyncCap);
    if (badge) this.handleAsyncEvent(badge);
  }

  /**
   * camkes-vm Init `handle_async_event`: a badge with BIT(27) raises every PIC line whose badge
   * bits are all present (coalesced signals raise several lines at once).
   */
  handleAsyncEvent(badge: number): void {
    this.vm.tracer.eventIds(this.ids.asyncEvent, this.ids.asyncNtfn, badge);
    if (!(badge & ASYNC_EVENT_BIT)) return;
    for (let line = 0; line < 16; line++) {
      const b = picBadge(line);
      if ((badge & b) >>> 0 !== b) continue;
      if (line === COM1_IRQ && !this.dev.com1.interrupting) continue;
      this.dev.pic.raise(line);
      this.vm.tracer.eventIds(this.ids.injectIrq, this.ids.i8259, line);
    }
  }

  /** See GuestMachine: a dead VM, a signalled notification (takeAsync polls it) or a pending line. */
  interruptPossible(): boolean {
    return !this.vm.alive || this.dev.asyncNtfn.active || this.dev.pic.hasPending();
  }

  acknowledgeInterrupt(): Blocking<number | null> {
    if (!this.vm.alive) return this.offline();
    this.takeAsync();
    const line = this.dev.pic.acknowledge();
    if (line !== null) this.vm.tracer.eventIds(this.ids.ackIrq, this.ids.i8259, line);
    return done(line);
  }

  endOfInterrupt(line: number): Blocking<void> {
    if (!this.vm.alive) return this.offline();
    this.dev.pic.endOfInterrupt(line);
    this.vm.tracer.eventIds(this.ids.eoi, this.ids.i8259, line);
    for (const f of this.passthrough.onEoi) f(line);
    // The 8250 keeps its interrupt asserted while received data is waiting.
    if (line === COM1_IRQ && this.dev.com1.interrupting) this.dev.pic.raise(COM1_IRQ);
    return FINISHED;
  }

  /** HLT: the VMM waits on its notification (or the guest's next timer) until a line is pending. */
  *idle(deadline: number | null): Blocking<void> {
    yield* this.online();
    this.takeAsync();
    if (this.dev.pic.hasPending()) return;
    this.vm.tracer.eventIds(this.ids.vmexit, this.ids.HLT, deadline === null ? 'no timer' : deadline);
    for (;;) {
      if (this.dev.pic.hasPending() || !this.vm.alive) return;
      const now = this.now();
      if (deadline !== null && now >= deadline) return;
      const badge = deadline === null ? yield* this.sys.wait(this.dev.asyncCap) : yield* this.sys.waitTimeout(this.dev.asyncCap, deadline - now);
      if (badge === null) return;
      this.handleAsyncEvent(badge);
    }
  }

  // --- PCI configuration through 0xcf8 / 0xcfc --------------------------------------------------

  *pciConfigRead(device: number, fn: number, offset: number, size: 1 | 2 | 4): Blocking<number> {
    yield* this.ioOut(PCI_CONF_ADDR, 4, configAddress(device, fn, offset));
    return yield* this.ioIn(PCI_CONF_DATA + (offset & 3), size);
  }

  *pciConfigWrite(device: number, fn: number, offset: number, size: 1 | 2 | 4, value: number): Blocking<void> {
    yield* this.ioOut(PCI_CONF_ADDR, 4, configAddress(device, fn, offset));
    yield* this.ioOut(PCI_CONF_DATA + (offset & 3), size, value);
  }
}

function configAddress(device: number, fn: number, offset: number): number {
  return (0x8000_0000 | ((device & 0x1f) << 11) | ((fn & 7) << 8) | (offset & 0xfc)) >>> 0;
}
