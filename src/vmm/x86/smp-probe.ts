// x86 counterpart of the Arm SmpProbe: the Init VMM built with the SMP configure rules and a stub
// guest that records the machine(s) it is given. libsel4vm has no x86 guest SMP, so the VMM
// thread is the one vCPU; what the stub saw is the evidence.
import type { Platform } from '../../platform';
import { Kernel, type Blocking } from '../../sel4';
import type { GuestMachine, GuestOS } from '../guest-machine';
import { configureSmp, type SmpBuild } from '../smp-config';
import { X86Vmm } from './vmm';

export interface X86SmpProbeOptions {
  readonly platform: Platform;
  /** `-DNUM_NODES=` as given. */
  readonly numNodes?: string;
  /** The VM's `num_vcpus` as the app sets it (the configure rules check it). */
  readonly numVcpus?: number;
  readonly seed?: number;
}

/** Virtual-time bound of the stub guest's boot. */
const BOOT_LIMIT_NS = 1e9;

export class X86SmpProbe {
  readonly build: SmpBuild;
  readonly kernel: Kernel;
  /** Every machine the VMM handed the guest (one per vCPU it runs). */
  readonly machines = new Set<GuestMachine>();
  /** The guest ran on a machine and completed a load from its RAM. */
  booted = false;

  /** Throws `SmpConfigureError` when the configure step refuses the build. */
  constructor(o: X86SmpProbeOptions) {
    this.build = configureSmp({ platform: o.platform, numNodes: o.numNodes, numVcpus: o.numVcpus ?? 1 });
    this.kernel = new Kernel({ arch: o.platform.arch === 'ia32' ? 'ia32' : 'x86_64', seed: o.seed ?? 1, cores: this.build.kernelMaxNumNodes });
    const alloc = this.kernel.allocator();
    const cnode = alloc.must('CNode', 'vm0 cnode', 10);
    const machines = this.machines;
    const booted = () => void (this.booted = true);
    const guest: GuestOS = {
      *boot(m: GuestMachine): Blocking<void> {
        machines.add(m);
        yield* m.read32(m.ram.base);
        booted();
        for (;;) yield* m.idle(null);
      },
    };
    new X86Vmm({ kernel: this.kernel, name: 'vm0', cnode, serial: { write: () => undefined }, ramMb: 16, cmdline: '', guest, rootSlot: () => alloc.slot() }).start();
    const k = this.kernel;
    k.run({ until: () => this.booted || k.now > BOOT_LIMIT_NS });
  }
}
