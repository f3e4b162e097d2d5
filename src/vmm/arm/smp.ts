import { AllRights, type Blocking, type CNode, type CPtr, type Kernel, type Received, type Sys, type TCB, type VCPU, type VSpace } from '../../sel4';
import { VMM_OP, type VmCore } from '../core';
import type { GuestOS } from '../guest-machine';
import type { ArmMachine } from './machine';
import { CPU_OFF_REPLY_LABEL, HSR_EC, VcpuPoweredOff, handlePsci, psciName, type PowerHost, type PowerState } from './psci';
import { VTIMER_PPI, type Vgic } from './vgic';

/**
 * The line the VMM prints when a vCPU fault has no handler, here an SMC from a 32-bit guest.
 * UNCONFIRMED: the reference says only that exynos5422 and TK1 have "no virtual power device to
 * start vCPUs at runtime" (platforms.md §1.8); the model's reading is that the VMM handles SMC
 * only as the AArch64 exception class, so a 32-bit guest's SMC (EC 0x13) is an unknown vCPU
 * fault and the vCPU is not resumed. The function, file, line and wording are the model's.
 */
export const unhandledVcpuFault = (vm: string, hsr: number): string =>
  `handle_vcpu_fault@vcpu_fault.c:0 Unhandled VCPU fault from [${vm}]: HSR 0x${hsr.toString(16).padStart(8, '0')}`;

/** The reason a VM stops after PSCI SYSTEM_OFF (its `VmState` reason; nothing is printed). */
export const SYSTEM_OFF_REASON = 'PSCI SYSTEM_OFF';

export interface VcpuSlot {
  readonly id: number;
  readonly machine: ArmMachine;
  /** The VCPU object's cap in the VMM's CNode. */
  readonly vcpuCap: CPtr;
  /** This vCPU's fault endpoint cap (vCPU 0: the VMM's endpoint; others: minted with badge = id). */
  readonly faultEp: CPtr;
  /** Where the vCPU waits after CPU_OFF for its next CPU_ON (-1 with a single vCPU: nothing could turn it on). */
  readonly powerNtfn: CPtr;
  power: PowerState;
  thread: TCB | null;
  start: { readonly entry: number; readonly contextId: number } | null;
}

export interface ArmVcpusOptions {
  readonly kernel: Kernel;
  readonly vm: VmCore;
  readonly vgic: Vgic;
  readonly guest: GuestOS;
  /** The effective vCPU count (smp-config's `vcpus`). */
  readonly numVcpus: number;
  /** Creates the machine of vCPU `id` (vCPU 0's is the VMM's `machine`). */
  readonly machineFor: (id: number) => ArmMachine;
  /** The vCPU threads' CSpace (the VMM's CNode) and VSpace (the guest-physical stage 2). */
  readonly cspace: CNode;
  readonly vspace: VSpace;
}

/**
 * The VM's vCPUs, as VM_Arm creates them at start (vm_create_vcpu for each of `num_vcpus`: a
 * VCPU object, its own vGIC CPU interface, the virtual timer PPI registered per vCPU), and the
 * virtual power device that starts and stops them at the guest's request (PSCI over SMC).
 * vCPU 0 boots the guest; a secondary gets its TCB when CPU_ON first names it, on core
 * `id mod cores` (vm_assign_vcpu_target), bound to its VCPU object, with a fault endpoint badged
 * with its id so that the VMM knows which vCPU faulted.
 */
export class ArmVcpus implements PowerHost {
  readonly slots: VcpuSlot[] = [];
  readonly wordBits: 32 | 64;

  constructor(private readonly o: ArmVcpusOptions) {
    this.wordBits = o.vm.o.wordBits;
  }

  get numVcpus(): number {
    return this.o.numVcpus;
  }

  /**
   * In the VMM thread: vCPU 0 uses the VCPU object and endpoint the VMM already made; the others
   * get theirs here. Every vCPU's list registers are reached through its own VCPU object.
   */
  create(sys: Sys, alloc: { must(type: 'VCPU' | 'Notification', name: string): CPtr; slot(): CPtr }, cnodeSelf: CPtr, ep: CPtr, vcpu0: CPtr): void {
    const name = this.o.vm.name;
    for (let id = 0; id < this.o.numVcpus; id++) {
      const vcpuCap = id === 0 ? vcpu0 : alloc.must('VCPU', `${name} vcpu${id}`);
      let faultEp = ep;
      const powerNtfn = this.o.numVcpus > 1 ? alloc.must('Notification', `${name} vcpu${id} power`) : -1;
      if (id > 0) {
        faultEp = alloc.slot();
        const r = sys.cnodeMint(cnodeSelf, faultEp, cnodeSelf, ep, AllRights, id);
        if (r !== 'seL4_NoError') throw new Error(`${name}: cannot mint vCPU ${id}'s fault endpoint: ${r}`);
        this.o.vgic.attachVcpu(id, { injectIRQ: (virq, prio, group, idx) => sys.vcpuInjectIRQ(vcpuCap, virq, prio, group, idx) });
        // The guest's virtual timer PPI, per vCPU; its ack is the kernel's (as for vCPU 0).
        this.o.vgic.registerIrq(id, VTIMER_PPI, () => undefined);
      }
      this.slots.push({ id, machine: this.o.machineFor(id), vcpuCap, faultEp, powerNtfn, power: id === 0 ? 'on' : 'off', thread: null, start: null });
    }
  }

  slot(id: number): VcpuSlot {
    const s = this.slots[id];
    if (!s) throw new RangeError(`vCPU ${id} does not exist (${this.slots.length} vCPUs)`);
    return s;
  }

  /** The vCPU a fault or VCPU-fault message came from: the badge of its fault endpoint. */
  fromBadge(badge: number): VcpuSlot {
    return this.slot(badge);
  }

  state(id: number): PowerState {
    return this.slot(id).power;
  }

  /** Spawns vCPU 0 running the guest from reset (vcpu_start of the boot vCPU). */
  startBoot(priority: number): TCB {
    const guest = this.o.guest;
    return this.spawn(this.slot(0), priority, (m) => guest.boot(m));
  }

  /** CPU_ON: the first time spawns the vCPU's thread on its core; after CPU_OFF, wakes it. */
  cpuOn(id: number, entry: number, contextId: number): void {
    const s = this.slot(id);
    s.power = 'on';
    s.start = { entry, contextId };
    if (s.thread) {
      // Powered off by CPU_OFF: its thread waits on its power notification.
      this.sysOf().signal(s.powerNtfn);
      return;
    }
    this.spawn(s, this.slot(0).thread!.priority, this.secondaryEntry(entry, contextId));
  }

  private secondaryEntry(entry: number, contextId: number): (m: ArmMachine) => Blocking<void> {
    const guest = this.o.guest;
    return (m) => {
      if (!guest.secondary) throw new Error(`${m.name}: the guest model has no secondary-vCPU entry (GuestOS.secondary) for CPU_ON`);
      return guest.secondary(m, entry, contextId);
    };
  }

  /**
   * The vCPU's thread: runs `first`, then after each CPU_OFF waits for the next CPU_ON and enters
   * the guest's secondary entry (a CPU brought back online starts there, whichever it was).
   * Guest code that returns has nothing left to run: the vCPU stops, still ON for PSCI.
   */
  private spawn(s: VcpuSlot, priority: number, first: (m: ArmMachine) => Blocking<void>): TCB {
    const k = this.o.kernel;
    const machine = s.machine;
    const entryOf = (e: number, c: number) => this.secondaryEntry(e, c);
    const vcpu = this.sysOf().object<VCPU>(s.vcpuCap)!;
    s.thread = k.spawn(
      { name: `${this.o.vm.name}:vcpu${s.id}`, priority, core: s.id % k.core.cores.length, cspace: this.o.cspace, vspace: this.o.vspace, vcpu, faultHandler: s.faultEp },
      function* (sys) {
        machine.attach(sys);
        let run = first;
        for (;;) {
          try {
            yield* run(machine);
            for (;;) {
              k.core.suspend(sys.thread);
              yield;
            }
          } catch (e) {
            if (!(e instanceof VcpuPoweredOff)) throw e;
          }
          // A lone vCPU that turned itself off can never be turned on again.
          while (s.powerNtfn < 0) {
            k.core.suspend(sys.thread);
            yield;
          }
          yield* sys.wait(s.powerNtfn);
          run = entryOf(s.start!.entry, s.start!.contextId);
        }
      },
    );
    return s.thread;
  }

  private sysRef: Sys | null = null;
  /** The VMM thread's system calls (for invocations made on the guest's behalf). */
  bind(sys: Sys): void {
    this.sysRef = sys;
  }
  private sysOf(): Sys {
    if (!this.sysRef) throw new Error(`${this.o.vm.name}: vCPUs used before the VMM thread started`);
    return this.sysRef;
  }

  /**
   * A VCPU-fault message from vCPU `s`: an AArch64 SMC goes to the power device; any other
   * exception class is unknown, the VM stops and the vCPU is not resumed (no reply).
   */
  handleVcpuFault(s: VcpuSlot, r: Received): void {
    const sys = this.sysOf();
    const vm = this.o.vm;
    const [hsr = 0, fid = 0, ...args] = r.mrs;
    const ec = Math.floor(hsr / 2 ** 26) & 0x3f;
    if (ec !== HSR_EC.SMC64) {
      vm.tracer.event(VMM_OP.vmexit, 'VCPU_FAULT', `0x${hsr.toString(16)}`, 'unhandled');
      vm.die(`unhandled VCPU fault (HSR 0x${hsr.toString(16)}) from vCPU ${s.id}`, [unhandledVcpuFault(vm.name, hsr)]);
      return;
    }
    const out = handlePsci(this, fid, args);
    vm.tracer.event(VMM_OP.vmexit, 'SMC', psciName(fid), out.kind === 'return' ? `x0=${out.x[0]}` : out.kind);
    if (out.kind === 'return') sys.reply({ label: 0, mrs: out.x });
    else if (out.kind === 'cpu-off') {
      s.power = 'off';
      sys.reply({ label: CPU_OFF_REPLY_LABEL, mrs: [] });
    } else vm.die(SYSTEM_OFF_REASON, []);
  }
}
