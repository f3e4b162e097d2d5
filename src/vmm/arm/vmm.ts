import { InitCaps, ObjectAllocator, msg, type CPtr, type Fault, type Kernel, type Notification, type Received, type Sys, type TCB } from '../../sel4';
import type { Platform } from '../../platform';
import { ConsoleDevice, GuestMemory, VmCore, VmmTracer, VMM_OP, createVmResources, hex, type FaultResolution, type SerialSink, type VmResources } from '../core';
import { zfLogAt } from '../crossvm/gen2/zf-log';
import { NUM_VCPUS_LOG_SITE, vmmVcpuCount } from '../smp-config';
import type { GuestOS } from '../guest-machine';
import { PciBus, camOffset } from '../pci';
import { ArmMachine } from './machine';
import { VCPU_FAULT_LABEL } from './psci';
import { ArmVcpus } from './smp';
import { UNKNOWN_BADGE, VGIC_LOG_FILE, armFatalLines, unknownBadge } from './messages';
import { GICD_SIZE, VTIMER_PPI, Vgic } from './vgic';
import { requireGicv2 } from './gic-support';

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
  /**
   * SMP (smp.ts): the VM's `num_vcpus` attribute (default 1) and the build's CONFIG_MAX_NUM_NODES
   * (default 1). The VMM caps the first by the second as VM_Arm's main.c does (smp-config.ts).
   */
  readonly numVcpus?: number;
  readonly maxNumNodes?: number;
  /**
   * A Notification cap in the VMM's CNode to bind to the VMM thread instead of a new one: the
   * VM instance's CAmkES global endpoint, where seL4GlobalAsynch badges (e.g. `done`) arrive.
   */
  readonly boundNotification?: CPtr;
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
  /** SMP: every vCPU of the VM and the virtual power device (PSCI) that starts them. */
  readonly vcpus: ArmVcpus;
  /** VM_Arm's error log about `num_vcpus`, printed when the VMM thread starts (null: none). */
  private readonly numVcpusLog: string | null;
  /** SMP: the vCPU whose fault the VMM is handling (distributor accesses are banked per vCPU). */
  private faultingVcpu = 0;
  /** The shared cross-VM line (free_plat_interrupts[0]), -1 when the board has none. */
  readonly crossVmIrq: number;
  /** The notification bound to the VMM thread (async events arrive here). */
  readonly asyncNotification: Notification;

  constructor(readonly o: ArmVmmOptions) {
    const p = o.platform;
    if (!p.gic) throw new Error(`${p.name}: an Arm board needs a gic section`);
    // VM_Arm is built against libsel4vm's gicv2.h, which refuses a platform it has no GIC address for.
    requireGicv2(p);
    const k = o.kernel;
    this.tracer = new VmmTracer(k.trace, `${o.name}:vmm`);
    this.res = createVmResources({ kernel: k, name: o.name, cnode: o.cnode, ramBytes: o.ram.size });
    const bound = o.boundNotification === undefined ? null : this.res.cnode.capAt(o.boundNotification)?.object;
    if (bound && bound.type !== 'Notification') throw new Error(`${o.name}: boundNotification slot ${o.boundNotification} holds no Notification`);
    this.asyncNotification = (bound as Notification | null) ?? this.res.notificationObject;
    const memory = new GuestMemory({ name: o.name, vspace: this.res.eptObject, vspaceCap: this.res.ept, tracer: this.tracer });
    memory.addRam(o.ram.base, o.ram.size);
    const console = new ConsoleDevice(o.serial, o.name);
    this.vm = new VmCore({ name: o.name, arch: 'arm', wordBits: p.arch === 'aarch64' ? 64 : 32, cmdline: o.cmdline, kernel: k, memory, console, serial: o.serial, tracer: this.tracer });
    const smp = vmmVcpuCount(o.numVcpus ?? 1, o.maxNumNodes ?? 1);
    this.numVcpusLog = smp.log;
    this.vgic = new Vgic(smp.vcpus, k.cfg.listRegisters, {
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
    const devices = {
      kernel: k,
      pciCfgBase: p.vpci?.cfg.base ?? null,
      consoleIrq: line ?? -1,
      onConsoleDrained: () => line !== undefined && k.machine.deassertIRQ(line),
      numVcpus: smp.vcpus,
    };
    this.machine = new ArmMachine(this.vm, devices);
    this.vcpus = new ArmVcpus({
      kernel: k,
      vm: this.vm,
      vgic: this.vgic,
      guest: o.guest,
      numVcpus: smp.vcpus,
      machineFor: (id) => (id === 0 ? this.machine : new ArmMachine(this.vm, { ...devices, vcpuId: id })),
      cspace: this.res.cnode,
      vspace: this.res.eptObject,
    });
    console.onInput = () => {
      if (line !== undefined) k.machine.assertIRQ(line);
    };
  }

  private readonly firstFree: CPtr;

  /** The VMM thread's endpoint, where badge-0 IRQ messages go (passthrough/route-arm.ts); valid once the thread runs. */
  get endpoint(): CPtr {
    return this.ep;
  }

  get sys(): Sys {
    if (!this.sysRef) throw new Error(`${this.o.name}: VMM used before its thread started`);
    return this.sysRef;
  }

  /** Spawns the VMM thread; it sets up the devices, runs the modules, starts the vCPU and serves. */
  start(): TCB {
    const prio = this.o.priority ?? 100;
    return this.o.kernel.spawn({ name: `${this.o.name}:vmm`, priority: prio, cspace: this.res.cnode, boundNotification: this.asyncNotification }, (sys) => this.main(sys, prio));
  }

  /** Characters typed at the serial console for this guest (the passthrough UART raises its line). */
  input(text: string): void {
    this.tracer.event(VMM_OP.consoleIn, 'uart', text.length);
    this.vm.console.input(text);
  }

  /** register_async_event_handler: `callback` runs when every bit of `badge` is in a received badge. */
  registerAsyncEventHandler(badge: number, callback: (badge: number) => void): number {
    this.asyncHandlers.push({ badge, callback });
    return 0;
  }

  private *main(sys: Sys, prio: number): Generator<unknown, unknown, unknown> {
    this.sysRef = sys;
    if (this.numVcpusLog) this.o.serial.write(this.vm.vmmSource, zfLogAt(NUM_VCPUS_LOG_SITE, this.numVcpusLog));
    const memory = this.vm.memory;
    const alloc = new ObjectAllocator(sys, [this.res.untyped], this.firstFree);
    memory.bind(sys, alloc);
    this.ep = alloc.must('Endpoint', `${this.o.name}:vmm ep`);
    this.vcpuCap = alloc.must('VCPU', `${this.o.name} vcpu0`);
    const vcpuCap = this.vcpuCap;
    this.vgic.attachVcpu(0, { injectIRQ: (virq, prio2, group, idx) => sys.vcpuInjectIRQ(vcpuCap, virq, prio2, group, idx) });
    // The guest's virtual timer PPI is registered for VPPI events; its ack is the kernel's.
    this.vgic.registerIrq(0, VTIMER_PPI, () => undefined);
    // SMP: the other vCPUs' VCPU objects, fault endpoints and vGIC interfaces (none with one vCPU).
    this.vcpus.bind(sys);
    this.vcpus.create(sys, alloc, this.res.self, this.ep, vcpuCap);
    this.addDevices();
    try {
      for (const m of this.o.modules ?? []) m(this);
      this.startIrqServer(sys, alloc, prio);
      this.vcpuThread = this.vcpus.startBoot(prio - 1);
      for (;;) {
        const r = yield* sys.recv(this.ep);
        // A fault's badge is the faulting vCPU's id (vCPU 0's endpoint cap is unbadged).
        if (r.fault) this.handleFault(r.fault, r.badge);
        else if (r.label === VCPU_FAULT_LABEL) this.vcpus.handleVcpuFault(this.vcpus.fromBadge(r.badge), r);
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
      read: (off, size) => this.vgic.read(this.faultingVcpu, off, size),
      write: (off, size, v) => this.vgic.write(this.faultingVcpu, off, size, v),
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

  private handleFault(f: Fault, badge: number): void {
    const sys = this.sys;
    const vcpu = this.vcpus.fromBadge(badge);
    this.faultingVcpu = vcpu.id;
    if (f.type === 'seL4_Fault_VGICMaintenance') {
      this.vgic.handleMaintenance(vcpu.id, f.idx);
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
    vcpu.machine.lastResolution = r;
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
    this.tracer.event(VMM_OP.asyncEvent, this.asyncNotification.name, badge);
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
