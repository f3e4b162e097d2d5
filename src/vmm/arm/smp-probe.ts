import type { ArmVm, Platform } from '../../platform';
import { Kernel, type Blocking } from '../../sel4';
import type { GuestMachine, GuestOS } from '../guest-machine';
import { configureSmp, type SmpBuild } from '../smp-config';
import { PSCI_FN, VcpuPoweredOff } from './psci';
import { ArmVmm } from './vmm';
import { NoVmAppError } from './no-vm-app';

type Command = (m: GuestMachine) => Blocking<unknown>;
interface Queued {
  readonly vcpu: number;
  readonly cmd: Command;
  done: boolean;
  value?: unknown;
}

/** What the stub guest's interrupt handler saw: which vCPU took which line, when. */
export interface TakenIrq {
  readonly vcpu: number;
  readonly irq: number;
  readonly time: number;
}

/** Guest-physical offset (from RAM base) of the words where each secondary writes its "online" mark. */
const ONLINE_MARKS = 0x1000;
/** Where the stub says its secondaries start (a kernel's secondary_entry); the stub only passes it on. */
const SECONDARY_ENTRY = 0x80000;
/** The stub's timer tick while idle (WFI with a deadline), as a tickless kernel would sleep. */
const TICK_NS = 1_000_000;

/**
 * A minimal SMP guest until the guest model boots on Arm: every vCPU runs the same loop — take
 * and EOI any pending interrupt (recorded), else run the next command queued for it, else WFI
 * until the next tick. A secondary started by CPU_ON first writes its vCPU id + 1 into its
 * online word in guest RAM (the context id says which word), as a kernel's secondary_start
 * marks its CPU online for the boot CPU to see.
 */
export class SmpStubGuest implements GuestOS {
  readonly queue: Queued[] = [];
  readonly taken: TakenIrq[] = [];
  /** Secondaries that entered the guest: vCPU id, CPU_ON's entry and context id. */
  readonly started: { vcpu: number; entry: number; contextId: number; time: number }[] = [];

  *boot(m: GuestMachine): Blocking<void> {
    yield* this.loop(m);
  }

  *secondary(m: GuestMachine, entry: number, contextId: number): Blocking<void> {
    this.started.push({ vcpu: m.vcpuId ?? -1, entry, contextId, time: m.now() });
    yield* m.write32(m.ram.base + ONLINE_MARKS + 4 * contextId, (m.vcpuId ?? -1) + 1);
    yield* this.loop(m);
  }

  private *loop(m: GuestMachine): Blocking<void> {
    const me = m.vcpuId ?? 0;
    for (;;) {
      const irq = yield* m.acknowledgeInterrupt();
      if (irq !== null) {
        this.taken.push({ vcpu: me, irq, time: m.now() });
        yield* m.endOfInterrupt(irq);
        continue;
      }
      const next = this.queue.find((c) => c.vcpu === me && !c.done);
      if (next) {
        try {
          next.value = yield* next.cmd(m);
        } finally {
          // A command that powered the vCPU off ends here too: it is not run again.
          next.done = true;
        }
        continue;
      }
      yield* m.idle(m.now() + TICK_NS);
    }
  }
}

/** The VM app an SMP build uses for a board: vm_minimal when the board has it, else its first Arm app. */
export function smpApp(p: Platform): { app: string; vm: ArmVm } | null {
  const names = Object.keys(p.apps).sort((a, b) => (a === 'vm_minimal' ? -1 : b === 'vm_minimal' ? 1 : 0));
  for (const app of names) {
    const vm = Object.values(p.apps[app].vms).find((v): v is ArmVm => v.kind === 'arm');
    if (vm) return { app, vm };
  }
  return null;
}

export interface SmpProbeOptions {
  readonly platform: Platform;
  /** `-DNUM_NODES=` as given. */
  readonly numNodes?: string;
  /** The VM's `num_vcpus` attribute (default: the app's). */
  readonly numVcpus?: number;
  readonly seed?: number;
}

/**
 * An Arm SMP system for unit tests and the SMP scenarios: the build rules (smp-config) decide
 * KernelMaxNumNodes — the kernel's cores — and the VMM applies `num_vcpus`; the VM_Arm VMM runs
 * the stub guest. Throws `SmpConfigureError` when the configure step refuses the build.
 */
export class SmpProbe {
  readonly build: SmpBuild;
  readonly kernel: Kernel;
  readonly vmm: ArmVmm;
  readonly guest = new SmpStubGuest();
  readonly app: string;
  private readonly out: { source: string; text: string }[] = [];

  constructor(readonly o: SmpProbeOptions) {
    const p = o.platform;
    const target = smpApp(p);
    if (!target) throw new NoVmAppError(p.name);
    this.app = target.app;
    const numVcpus = o.numVcpus ?? target.vm.numVcpus;
    this.build = configureSmp({ platform: p, numNodes: o.numNodes, numVcpus });
    this.kernel = new Kernel({ arch: p.arch === 'aarch32' ? 'aarch32' : 'aarch64', seed: o.seed ?? 1, cores: this.build.kernelMaxNumNodes, untyped: [{ sizeBits: 31, count: 2, paddr: 0x1_0000_0000 }] });
    const cnode = this.kernel.allocator().must('CNode', 'vm0 cnode', 12);
    this.vmm = new ArmVmm({
      kernel: this.kernel,
      platform: p,
      name: 'vm0',
      cnode,
      // The stub touches a few pages; 16 MiB at the app's RAM base keeps the board's layout.
      ram: { base: target.vm.ram.base, size: Math.min(target.vm.ram.size, 0x1000000) },
      cmdline: target.vm.cmdline ?? '',
      serial: { write: (source, text) => void this.out.push({ source, text }) },
      guest: this.guest,
      numVcpus,
      maxNumNodes: this.build.kernelMaxNumNodes,
    });
    this.vmm.start();
    // Let the VMM thread create the vCPUs and start the boot vCPU (nothing of the guest runs yet).
    this.kernel.run({ until: () => this.vmm.vcpuThread !== null || !this.vmm.vm.alive, maxSteps: 100_000 });
  }

  /** Runs `cmd` on vCPU `vcpu` (bounded in virtual time); done false if it never completed. */
  run<T>(vcpu: number, cmd: Command, limitNs = 1e9): { done: boolean; value: T } {
    const q: Queued = { vcpu, cmd, done: false };
    this.guest.queue.push(q);
    const k = this.kernel;
    const end = k.now + limitNs;
    k.run({ until: () => q.done || k.now > end });
    return { done: q.done, value: q.value as T };
  }

  /** An SMC from vCPU `vcpu`: x0..x3, or null when it never returned (CPU_OFF, or the VM stopped). */
  smc(vcpu: number, fid: number, args: readonly number[]): number[] | null {
    let off = false;
    const r = this.run<number[]>(vcpu, function* (m) {
      if (!m.smc) throw new Error(`${m.name}: the machine has no SMC`);
      try {
        return yield* m.smc(fid, args);
      } catch (e) {
        // Let it through: the vCPU's code ends at CPU_OFF.
        if (e instanceof VcpuPoweredOff) off = true;
        throw e;
      }
    });
    return r.done && !off ? r.value : null;
  }

  /** CPU_ON from the boot vCPU for vCPU `target` (by its MPIDR), entry point and context id = target. */
  cpuOn(target: number, from = 0): number | null {
    const fid = this.vmm.vm.o.wordBits === 64 ? PSCI_FN.CPU_ON_64 : PSCI_FN.CPU_ON_32;
    const x = this.smc(from, fid, [target, this.vmm.machine.ram.base + SECONDARY_ENTRY, target]);
    return x ? x[0] : null;
  }

  /** Whether the boot vCPU sees vCPU `target`'s online mark in guest RAM within `ns`. */
  waitOnline(target: number, ns = 1e8): boolean {
    return this.run<boolean>(0, function* (m) {
      const end = m.now() + ns;
      for (;;) {
        if ((yield* m.read32(m.ram.base + ONLINE_MARKS + 4 * target)) === target + 1) return true;
        if (m.now() >= end) return false;
        yield* m.idle(m.now() + TICK_NS);
      }
    }).value;
  }

  /** The guest turns the distributor on (GICD_CTLR), from the boot vCPU. */
  enableDistributor(): void {
    const gicd = this.o.platform.gic!.distributor;
    this.run(0, (m) => m.write32(gicd, 1));
  }

  /** vCPU `vcpu` enables `irq` in its (banked, for irq < 32) GICD_ISENABLER. */
  enableIrq(vcpu: number, irq: number): boolean {
    const gicd = this.o.platform.gic!.distributor;
    return this.run(vcpu, (m) => m.write32(gicd + 0x100 + 4 * Math.floor(irq / 32), 2 ** (irq % 32))).done;
  }

  /** vCPU `from` writes GICD_SGIR (SGI id 3:0, CPU target list 23:16, filter 25:24). */
  writeSgir(from: number, value: number): boolean {
    const gicd = this.o.platform.gic!.distributor;
    return this.run(from, (m) => m.write32(gicd + 0xf00, value)).done;
  }

  /** Lets virtual time pass so every vCPU runs its loop (takes pending interrupts). */
  settle(ns = 1e7): void {
    const k = this.kernel;
    const end = k.now + ns;
    k.run({ until: () => k.now >= end });
  }

  /** Interrupts the stub's handler took on `vcpu`, in order. */
  taken(vcpu: number): number[] {
    return this.guest.taken.filter((t) => t.vcpu === vcpu).map((t) => t.irq);
  }

  /** The core vCPU `i`'s thread runs on, or null when it has no thread yet. */
  coreOf(i: number): number | null {
    return this.vmm.vcpus.slots[i]?.thread?.core ?? null;
  }

  vmmLog(): string {
    return this.out.filter((x) => x.source === 'vm0:vmm').map((x) => x.text).join('');
  }
}
