import { InitCaps, ObjectAllocator, type Blocking, type CPtr, type Kernel, type Sys, type TCB } from '../../sel4';
import { ConsoleDevice, createVmResources, GuestMemory, VmCore, VMM_OP, VmmTracer, type SerialSink, type VmResources } from '../core';
import type { GuestOS } from '../guest-machine';
import { Com1, COM1_IRQ } from './com1';
import { picBadge, X86Machine, ASYNC_EVENT_BIT } from './machine';
import { I8259Pair } from './pic';
import { PciConfigPorts, type PciConfigSpace } from './pci-ports';
import { VmcallRegistry, type VmcallHandler } from './vmcall';

/**
 * Where guest RAM starts in guest-physical memory. UNCONFIRMED: platforms.md 3.3 says guest RAM
 * (`guest_ram_mb`) is allocated from the region 0x10003000-0xa0000000 below the cross-VM devices
 * at 0xa0000000; the model puts it at the first 256 MiB boundary of that region, in one range.
 */
export const X86_GUEST_RAM_BASE = 0x1000_0000;

export interface X86VmmOptions {
  readonly kernel: Kernel;
  /** `vm0`. */
  readonly name: string;
  /** The VMM's CNode as a cap in the root CNode (the VM component's CSpace). */
  readonly cnode: CPtr;
  readonly serial: SerialSink;
  readonly ramMb: number;
  readonly cmdline: string;
  /** 32 for the tutorial's i386 guest. */
  readonly wordBits?: 32 | 64;
  readonly priority?: number;
  /** The guest to boot once initialisation is done; null runs the VMM without a guest. */
  readonly guest: GuestOS | null;
  /** A free slot of the root CNode (for the badged cap console input is signalled through). */
  readonly rootSlot: () => CPtr;
  /** The VM component's VSpace as a cap in the root CNode (default: a new VSpace for the VMM). */
  readonly vspaceRoot?: CPtr;
  /** The vPCI bus behind 0xcf8/0xcfc (`src/vmm/pci`); absent: every device reads all ones. */
  readonly pci?: PciConfigSpace | null;
  /** CONFIG_X86_64_VTX_64BIT_GUESTS as the build resolved it (`src/vmm/guest-mode.ts`); default off. */
  readonly vtx64BitGuests?: boolean;
}

/** Initialisation done in the VMM thread before the guest boots (main_continued). */
export type VmmInit = (sys: Sys, vmm: X86Vmm) => Blocking<void>;

/**
 * The x86 `Init` component's VMM for one VM (libsel4vmm era: `vmm_t`, `reg_new_handler`): one
 * thread that initialises the cross-VM glue and any extra vmcall handlers, then runs the guest in
 * VMEnter and handles its exits.
 */
export class X86Vmm {
  readonly vm: VmCore;
  readonly machine: X86Machine;
  readonly resources: VmResources;
  readonly vmcalls = new VmcallRegistry();
  readonly pic = new I8259Pair();
  readonly com1: Com1;
  private readonly inits: VmmInit[] = [];
  private alloc: ObjectAllocator | null = null;
  private inputCap: CPtr | null = null;
  thread: TCB | null = null;
  private guest: GuestOS | null;

  constructor(readonly o: X86VmmOptions) {
    this.guest = o.guest;
    const ramBytes = o.ramMb * 1024 * 1024;
    this.resources = createVmResources({ kernel: o.kernel, name: o.name, cnode: o.cnode, ramBytes, vspaceRoot: o.vspaceRoot });
    const tracer = new VmmTracer(o.kernel.trace, `${o.name}:vmm`);
    const memory = new GuestMemory({ name: o.name, vspace: this.resources.eptObject, vspaceCap: this.resources.ept, tracer });
    memory.addRam(X86_GUEST_RAM_BASE, ramBytes);
    const console = new ConsoleDevice(o.serial, o.name);
    this.vm = new VmCore({ name: o.name, arch: 'x86', wordBits: o.wordBits ?? 32, cmdline: o.cmdline, kernel: o.kernel, memory, console, serial: o.serial, tracer });
    this.com1 = new Com1(console);
    this.machine = new X86Machine(this.vm, {
      pic: this.pic,
      com1: this.com1,
      pci: new PciConfigPorts(o.pci ?? null),
      vmcalls: this.vmcalls,
      asyncCap: this.resources.notification,
      asyncNtfn: this.resources.notificationObject,
      cpuid: { vtx64BitGuests: o.vtx64BitGuests ?? false },
    });
    console.onInput = () => this.signalConsole();
  }

  get name(): string {
    return this.o.name;
  }

  /** The VMM thread's allocator over its RAM pool and free slots (valid once the thread runs). */
  get allocator(): ObjectAllocator {
    if (!this.alloc) throw new Error(`${this.o.name}: VMM allocator used before the VMM thread started`);
    return this.alloc;
  }

  /** The guest to boot (replaces the one given at construction); call before `start()`. */
  attachGuest(guest: GuestOS): void {
    if (this.thread) throw new Error(`${this.o.name}: attachGuest after the VMM started`);
    this.guest = guest;
  }

  /** Adds initialisation run in order in the VMM thread before the guest boots. */
  addInit(init: VmmInit): void {
    this.inits.push(init);
  }

  /** reg_new_handler(&vmm, fn, token): 0, or -1 for a token already taken (not replaced). */
  regNewHandler(token: number, name: string, fn: VmcallHandler): 0 | -1 {
    const r = this.vmcalls.register(token, name, fn);
    this.vm.tracer.event(VMM_OP.regHandler, name, token, String(r));
    return r;
  }

  /**
   * libsel4vmm `vmm_create_async_event_notification_cap`: a cap to the VMM's notification minted
   * with `badge` (which must carry BIT(27)), in the VMM's CSpace; null after printing `Invalid badge`.
   */
  createAsyncEventNotificationCap(sys: Sys, badge: number): CPtr | null {
    if (!(badge & ASYNC_EVENT_BIT)) {
      this.vm.printf('vmm_create_async_event_notification_cap@vmm.c:264 Invalid badge\n');
      return null;
    }
    const slot = this.allocator.slot();
    const r = sys.cnodeMint(this.resources.self, slot, this.resources.self, this.resources.notification, { read: false, write: true, grant: false, grantReply: false }, badge);
    return r === 'seL4_NoError' ? slot : null;
  }

  /** Characters typed at the serial console for this guest (input goes to vm0 by default). */
  input(text: string): void {
    this.vm.tracer.event(VMM_OP.consoleIn, 'COM1', text.length);
    this.vm.console.input(text);
  }

  private signalConsole(): void {
    const root = this.o.kernel.root;
    if (this.inputCap === null) {
      const slot = this.o.rootSlot();
      root.cnodeMint(InitCaps.seL4_CapInitThreadCNode, slot, this.o.cnode, this.resources.notification, { read: false, write: true, grant: false, grantReply: false }, picBadge(COM1_IRQ));
      this.inputCap = slot;
    }
    root.signal(this.inputCap);
  }

  /** Spawns the VMM thread (`vm0:vmm`). */
  start(): TCB {
    const r = this.resources;
    this.thread = this.o.kernel.spawn(
      { name: `${this.o.name}:vmm`, priority: this.o.priority ?? 100, cspace: r.cnode, vspace: r.vspaceObject, boundNotification: r.notificationObject },
      (sys) => this.body(sys),
    );
    return this.thread;
  }

  private *body(sys: Sys): Generator<unknown, unknown, unknown> {
    this.alloc = new ObjectAllocator(sys, [this.resources.untyped], this.resources.firstFree);
    this.vm.memory.bind(sys, this.alloc);
    this.machine.attach(sys);
    for (const init of this.inits) {
      yield* init(sys, this);
      // A failed ZF_LOGF / assert in main_continued aborts the VMM: the thread ends here.
      if (!this.vm.alive) return;
    }
    if (this.guest) yield* this.guest.boot(this.machine);
    // The guest powered off: the VMM loop keeps taking events, with no vCPU to enter.
    for (;;) yield* sys.wait(this.resources.notification);
  }
}
