import { AllRights, InitCaps, Kernel, type Blocking, type CPtr, type Frame } from '../../sel4';
import type { Platform } from '../../platform';
import { CrossVmConnections, type Gen2ConnectionSpec } from '../crossvm/gen2';
import type { GuestMachine, GuestOS } from '../guest-machine';
import { ArmVmm } from './vmm';

/** One cross-VM connection of a testbed: a dataport shared with a native component, and its events. */
export interface TestbedConnection {
  readonly name?: string;
  readonly size: number;
  /** The guest's emit signals the native component, which prints `Got an event` and, if `answer`, signals back. */
  readonly emit: boolean;
  /** The connection consumes the native component's seL4GlobalAsynch event (its badge). */
  readonly consume: boolean;
}

export interface ArmTestbedOptions {
  readonly platform: Platform;
  readonly guest: (m: GuestMachine) => Blocking<void>;
  readonly ram?: { readonly base: number; readonly size: number };
  readonly connections?: readonly TestbedConnection[];
  /** Guest-physical base of the connections; default the board's `cross_vm.base`, then 0x3F000000. */
  readonly baseAddress?: number;
  /** The seL4GlobalAsynch badge of the consumed event (default 1 << 3). */
  readonly consumeBadge?: number;
  readonly seed?: number;
}

/**
 * A small Arm system for the VMM's own tests and lower-level scenarios: one VM_Arm VMM with a
 * scripted guest, and a native component in the shape of vm_cross_connector's CrossvmInit
 * (waits for `ready`, prints `Got an event`, signals `done` to the VMM's notification with the
 * consume badge). The full system builder (`src/system`) assembles real CAmkES apps instead.
 */
export function armTestbed(o: ArmTestbedOptions) {
  const kernel = new Kernel({ arch: o.platform.arch === 'aarch32' ? 'aarch32' : 'aarch64', seed: o.seed ?? 1, untyped: [{ sizeBits: 31, count: 2, paddr: 0x1_0000_0000 }] });
  const alloc = kernel.allocator();
  const root = InitCaps.seL4_CapInitThreadCNode;
  const cnode = alloc.must('CNode', 'vm0 cnode', 12);
  const out: { source: string; text: string; time: number }[] = [];
  const serial = { write: (source: string, text: string) => void out.push({ source, text, time: kernel.now }) };
  const badge = o.consumeBadge ?? 1 << 3;
  // CAmkES places the connection caps in the VM component's CSpace before the VMM runs.
  let slot = 1;
  const ready = alloc.must('Notification', 'crossvm_init.ready');
  const readyInVm = slot++;
  kernel.root.cnodeCopy(cnode, readyInVm, root, ready, AllRights);
  const dataports = (o.connections ?? []).map((c, i) => {
    const frames: Frame[] = [];
    const caps: CPtr[] = [];
    for (let off = 0; off < c.size; off += 4096) {
      const f = alloc.must('Frame', `crossvm_dp_${i} ${off / 4096}`, 12);
      frames.push(kernel.root.object<Frame>(f)!);
      kernel.root.cnodeCopy(cnode, slot, root, f, AllRights);
      caps.push(slot++);
    }
    return { frames, caps };
  });
  const ram = o.ram ?? { base: 0x40000000, size: 0x1000000 };
  let conns: CrossVmConnections | null = null;
  const events: number[] = [];
  const vmm: ArmVmm = new ArmVmm({
    kernel,
    platform: o.platform,
    name: 'vm0',
    cnode,
    ram,
    cmdline: '',
    serial,
    guest: { boot: (m) => o.guest(m) } satisfies GuestOS,
    modules: o.connections?.length
      ? [
          (v) => {
            const specs: Gen2ConnectionSpec[] = o.connections!.map((c, i) => ({
              dataport: { frames: dataports[i].caps, size: c.size },
              emit: c.emit ? () => void v.sys.signal(readyInVm) : null,
              consumeId: c.consume ? badge : -1,
              name: c.name,
            }));
            if (specs.some((s) => s.consumeId !== -1)) v.registerAsyncEventHandler(badge, (b) => conns?.consume(b, true));
            conns = CrossVmConnections.init(
              { memory: v.vm.memory, pci: v.pci, tracer: v.tracer, irq: v.crossVmIrq, registerIrq: (irq, ack) => v.vgic.registerIrq(0, irq, ack), injectIrq: (irq) => v.vgic.injectIrq(0, irq), printErr: (t) => serial.write(v.vm.vmmSource, t) },
              o.baseAddress ?? o.platform.crossVm.base ?? 0x3f000000,
              specs,
            );
          },
        ]
      : [],
  });
  // The native end's cap to the VMM's notification, badged like CAmkES' seL4GlobalAsynch.
  const done = alloc.slot();
  kernel.root.cnodeMint(root, done, cnode, vmm.res.notification, AllRights, badge);
  kernel.spawn({ name: 'crossvm_init:control', priority: 150 }, function* (sys) {
    for (;;) {
      yield* sys.wait(ready);
      events.push(kernel.now);
      serial.write('crossvm_init', 'Got an event\n');
      sys.signal(done);
    }
  });
  vmm.start();
  const text = (source?: string) => out.filter((x) => source === undefined || x.source === source).map((x) => x.text).join('');
  return {
    kernel,
    vmm,
    out,
    text,
    events,
    dataports,
    /** The connections once the VMM thread ran its modules (null before, or after a failed init). */
    get connections(): CrossVmConnections | null {
      return conns;
    },
    /** The native component signals `done` (as CrossvmInit's done_emit_underlying). */
    emitDone: () => kernel.root.signal(done),
    /** Signals the VMM's notification through a cap with `b` as its badge (another seL4GlobalAsynch sender). */
    signalVmm: (b: number) => {
      const s = alloc.slot();
      kernel.root.cnodeMint(root, s, cnode, vmm.res.notification, AllRights, b);
      kernel.root.signal(s);
    },
    vmmOps: (op?: string) => kernel.trace.all().filter((e) => e.layer === 'vmm' && (op === undefined || e.op === op)),
  };
}

export type ArmTestbed = ReturnType<typeof armTestbed>;
