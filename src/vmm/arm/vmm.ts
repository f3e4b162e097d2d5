import { InitCaps, ObjectAllocator, msg, type CPtr, type Fault, type Kernel, type Received, type Sys, type TCB, type VCPU } from '../../sel4';
import type { Platform } from '../../platform';
import { ConsoleDevice, GuestMemory, VmCore, VmmTracer, VMM_OP, createVmResources, hex, type FaultResolution, type SerialSink, type VmResources } from '../core';
import { zfLogAt } from '../crossvm/gen2/zf-log';
import type { GuestOS } from '../guest-machine';
import { PciBus, camOffset } from '../pci';
import { ArmMachine } from './machine';
import { UNKNOWN_BADGE, VGIC_LOG_FILE, armFatalLines, unknownBadge } from './messages';
import { GICD_SIZE, VTIMER_PPI, Vgic } from './vgic';

export interface ArmVmmOptions {
  readonly kernel: Kernel;
  readonly platform: Platform;
  /** `vm0`. */
  readonly name: string;
  /** The VMM component's CNode, as a cap in the root CNode. */
  readonly cnode: CPtr;
  readonly ram: { readonly base: number; readonly size: number };
  readonly cmdline: string;
  readonly serial: SerialSink;
  readonly guest: GuestOS;
  /** VMM thread priority; the vCPU runs one below (default 100). */
  readonly priority?: number;
  /** DEFINE_MODULE init functions: run in the VMM thread after the devices exist, before the vCPU starts. */
  readonly modules?: readonly ((vmm: ArmVmm) => void)[];
}

/** Thrown by the VMM thread when libsel4vm would abort (ZF_LOGF): the VMM thread stops. */
export class VmmAbort extends Error {}

/**
 * The `VM_Arm` VMM: a VMM thread whose endpoint receives the vCPU's faults (stage-2 data
 * aborts, vGIC maintenance), badge-0 IRQ messages from its IRQ server thread (passthrough
 * interrupts) and, through its bound notification, async events (seL4GlobalAsynch badges), in
 * one loop as camkes-vm's main.c does. The vCPU is a TCB bound to a VCPU object, running the guest.
 */
export class ArmVmm {
  readonly vm: VmCore;
  readonly vgic: Vgic;
  readonly pci = new PciBus();
  readonly machine: ArmMachine;
  readonly tracer: VmmTracer;
  readonly res: VmResources;
  private readonly asyncHandlers: { badge: number; callback: (badge: number) => void }[] = [];
  private readonly consoleHandler: CPtr | null;
  private sysRef: Sys | null = null;
  private ep: CPtr = -1;
  private vcpuCap: CPtr = -1;
  vcpuThread: TCB | null = null;
  /** The shared cross-VM line (free_plat_interrupts[0]), -1 when the board has none. */
  readonly crossVmIrq: number;

  constructor(readonly o: ArmVmmOptions) {
    const p = o.platform;
    if (!p.gic) throw new Error(`${p.name}: an Arm board needs a gic section`);
    const k = o.kernel;
    this.tracer = new VmmTracer(k.trace, `${o.name}:vmm`);
    this.res = createVmResources({ kernel: k, name: o.name, cnode: o.cnode, ramBytes: o.ram.size });
    const memory = new GuestMemory({ name: o.name, vspace: this.res.eptObject, vspaceCap: this.res.ept, tracer: this.tracer });
    memory.addRam(o.ram.base, o.ram.size);
    const console = new ConsoleDevice(o.serial, o.name);
    this.vm = new VmCore({ name: o.name, arch: 'arm', wordBits: p.arch === 'aarch64' ? 64 : 32, cmdline: o.cmdline, kernel: k, memory, console, serial: o.serial, tracer: this.tracer });
    this.vgic = new Vgic(1, k.cfg.listRegisters, {
      record: (op, object, value, result) => this.tracer.event(op === 'vm_inject_irq' ? VMM_OP.injectIrq : op === 'vgic_maintenance' ? VMM_OP.eoi : VMM_OP.mmioWrite, object, value, result),
      fatal: (func, message) => {
        o.serial.write(this.vm.vmmSource, zfLogAt({ func, file: VGIC_LOG_FILE, line: 0 }, message));
        throw new VmmAbort(message);
      },
    });
    this.crossVmIrq = p.crossVm.irq ?? -1;
    // Root-task work (the capDL loader's): the passthrough console IRQ's handler cap in the VMM's CNode.
    const line = p.console.irq;
    this.consoleHandler = null;
    let next = this.res.firstFree;
    if (line !== undefined && k.root.irqControlGet(InitCaps.seL4_CapIRQControl, line, o.cnode, next) === 'seL4_NoError') this.consoleHandler = next++;
    this.firstFree = next;
    this.machine = new ArmMachine(this.vm, {
      kernel: k,
      pciCfgBase: p.vpci?.cfg.base ?? null,
      consoleIrq: line ?? -1,
      onConsoleDrained: () => line !== undefined && k.machine.deassertIRQ(line),
    });
    console.onInput = () => {
      if (line !== undefined) k.machine.assertIRQ(line);
    };
  }

  private readonly firstFree: CPtr;

  get sys(): Sys {
    if (!this.sysRef) throw new Error(`${this.o.name}: VMM used before its thread started`);
    return this.sysRef;
  }

  /** Spawns the VMM thread; it sets up the devices, runs the modules, starts the vCPU and serves. */
  start(): TCB {
    const prio = this.o.priority ?? 100;
    return this.o.kernel.spawn({ name: `${this.o.name}:vmm`, priority: prio, cspace: this.res.cnode, boundNotification: this.res.notificationObject }, (sys) => this.main(sys, prio));
  }

  /** register_async_event_handler: `callback` runs when every bit of `badge` is in a received badge. */
  registerAsyncEventHandler(badge: number, callback: (badge: number) => void): number {
    this.asyncHandlers.push({ badge, callback });
    return 0;
  }

  private *main(sys: Sys, prio: number): Generator<unknown, unknown, unknown> {
    this.sysRef = sys;
    const memory = this.vm.memory;
    const alloc = new ObjectAllocator(sys, [this.res.untyped], this.firstFree);
    memory.bind(sys, alloc);
    this.ep = alloc.must('Endpoint', `${this.o.name}:vmm ep`);
    this.vcpuCap = alloc.must('VCPU', `${this.o.name} vcpu0`);
    const vcpuCap = this.vcpuCap;
    this.vgic.attachVcpu(0, { injectIRQ: (virq, prio2, group, idx) => sys.vcpuInjectIRQ(vcpuCap, virq, prio2, group, idx) });
    // The guest's virtual timer PPI is registered for VPPI events; its ack is the kernel's.
    this.vgic.registerIrq(0, VTIMER_PPI, () => undefined);
    this.addDevices();
    try {
      for (const m of this.o.modules ?? []) m(this);
      this.startIrqServer(sys, alloc, prio);
      this.startVcpu(sys.object<VCPU>(vcpuCap)!, prio - 1);
      for (;;) {
        const r = yield* sys.recv(this.ep);
        if (r.fault) this.handleFault(r.fault);
        else if (r.badge === 0) this.handleIrqMessage(r);
        else this.handleAsyncEvent(r.badge);
      }
    } catch (e) {
      if (e instanceof VmmAbort) return;
      throw e;
    }
  }

  private addDevices(): void {
    const p = this.o.platform;
    const memory = this.vm.memory;
    memory.addMmio({
      name: 'vgic distributor',
      base: p.gic!.distributor,
      size: GICD_SIZE,
      read: (off, size) => this.vgic.read(0, off, size),
      write: (off, size, v) => this.vgic.write(0, off, size, v),
    });
    if (p.vpci) {
      memory.addMmio({
        name: 'vpci cfg',
        base: p.vpci.cfg.base,
        size: p.vpci.cfg.size,
        read: (off, size) => {
          const a = camOffset(off);
          return this.pci.configRead(a.bus, a.dev, a.fn, a.reg, size);
        },
        write: (off, size, v) => {
          const a = camOffset(off);
          this.pci.configWrite(a.bus, a.dev, a.fn, a.reg, size, v);
        },
      });
    }
  }

  /**
   * Passthrough interrupts: the kernel signals the IRQ server's notification, which sends the
   * VMM a badge-0 IRQ message; the virq's ack acknowledges the seL4 IRQ handler.
   */
  private startIrqServer(sys: Sys, alloc: ObjectAllocator, prio: number): void {
    const line = this.o.platform.console.irq;
    const handler = this.consoleHandler;
    if (line === undefined || handler === null) return;
    const ntfn = alloc.must('Notification', `${this.o.name}:irq server ntfn`);
    sys.irqHandlerSetNotification(handler, ntfn);
    this.vgic.registerIrq(0, line, () => sys.irqHandlerAck(handler));
    const ep = this.ep;
    this.o.kernel.spawn({ name: `${this.o.name}:irq server`, priority: prio + 1, cspace: this.res.cnode }, function* (s) {
      for (;;) {
        yield* s.wait(ntfn);
        yield* s.send(ep, msg(0, line));
      }
    });
  }

  private startVcpu(vcpu: VCPU, prio: number): void {
    const machine = this.machine;
    const guest = this.o.guest;
    this.vcpuThread = this.o.kernel.spawn(
      { name: `${this.o.name}:vcpu0`, priority: prio, cspace: this.res.cnode, vspace: this.res.eptObject, vcpu, faultHandler: this.ep },
      function* (sys) {
        machine.attach(sys);
        yield* guest.boot(machine);
      },
    );
  }

  private handleFault(f: Fault): void {
    const sys = this.sys;
    if (f.type === 'seL4_Fault_VGICMaintenance') {
      this.vgic.handleMaintenance(0, f.idx);
      sys.reply();
      return;
    }
    if (f.type !== 'seL4_Fault_VMFault') {
      this.vm.die(f.type, [`Unexpected fault ${f.type}`]);
      return;
    }
    this.tracer.event(VMM_OP.vmexit, 'DATA_ABORT', hex(f.addr), `${f.kind} ${f.size}`);
    const size = (f.size === 1 || f.size === 2 ? f.size : 4) as 1 | 2 | 4;
    const r: FaultResolution = this.vm.memory.resolve({ addr: f.addr, kind: f.kind, reason: f.reason }, size, f.value ?? 0);
    this.machine.lastResolution = r;
    if (r.kind === 'fatal') {
      // The vCPU is not resumed; the guest never runs again.
      this.vm.die(r.reason, armFatalLines(r.reason));
      return;
    }
    sys.reply(r.kind === 'retry' ? undefined : msg(0, r.value));
  }

  private handleIrqMessage(r: Received): void {
    const irq = r.mrs[0];
    this.tracer.event(VMM_OP.asyncEvent, 'irq server', irq, 'irq message');
    this.vgic.injectIrq(0, irq);
  }

  /** handle_async_event: every handler whose badge bits are all present runs; none → Unknown badge. */
  private handleAsyncEvent(badge: number): void {
    this.tracer.event(VMM_OP.asyncEvent, this.res.notificationObject.name, badge);
    let found = false;
    for (const h of this.asyncHandlers) {
      if ((badge & h.badge) >>> 0 === h.badge >>> 0) {
        found = true;
        h.callback(h.badge);
      }
    }
    if (!found) this.o.serial.write(this.vm.vmmSource, zfLogAt(UNKNOWN_BADGE, unknownBadge(badge)));
  }
}
