import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstantiatedSystem } from '../camkes/instantiate';
import type { ResolvedConnection } from '../camkes/resolve';
import { serialServerModel } from '../camkes/components';
import { InitCaps, type CNode, type CPtr, type Frame, type Notification } from '../sel4';
import type { Platform } from '../platform';
import { errorAt } from '../diagnostics';
import type { ArmVmm } from '../vmm/arm';
import { configureVirtio, virtioOptionsIn, type VirtioOption } from '../vmm/virtio-config';
import {
  createVirtioConsole, createVirtioNet, FrameRing, VirtioIoSpace, virtioMemoryOf, WIRE_DELIVERY_NS,
  type NetWire, type VirtioConsoleBackend, type VirtioNetBackend, type VirtioPciTransport,
} from '../vmm/virtio';
import { parseVswitchLayout, VirtualSwitch } from '../vmm/virtio/switch';

/** 32 KiB of shared memory per seL4VirtQueues connection (platforms.md 2.1: "32 KiB queues"). */
export const VIRTQUEUE_FRAMES = 8;

/** The virtio options the app's `settings.cmake` sets, checked against the board (the configure step). */
export function appVirtioOptions(appDir: string, platform: Platform): ReadonlySet<VirtioOption> {
  const f = join(appDir, 'settings.cmake');
  const opts = existsSync(f) ? virtioOptionsIn(readFileSync(f, 'utf8')) : [];
  return opts.length ? configureVirtio(platform, opts) : new Set();
}

/** One direction of a virtio-net link: the sender's transmit queue into the receiver's receive queue. */
export interface VirtqueueLink {
  /** The seL4VirtQueues connection. */
  readonly name: string;
  /** The same connection as resolved (what the isolation analysis attributes `frames` to). */
  readonly connection: ResolvedConnection;
  readonly from: string;
  /** The sender's VirtQueueDrv interface (`send`, vm_multi's vm0 also `send2`). */
  readonly fromInterface: string;
  readonly to: string;
  /** The receiver's VirtQueueDev interface (`recv`, vm_multi's vm0 also `recv2`). */
  readonly toInterface: string;
  readonly ring: FrameRing;
  /** The connection's shared memory (both VMMs hold caps to these). */
  readonly frames: readonly Frame[];
  /** Badge of the receiver's global endpoint this link signals. */
  readonly badge: number;
}

interface ArmDevices {
  net?: { transport: VirtioPciTransport; net: VirtioNetBackend };
  console?: { transport: VirtioPciTransport; console: VirtioConsoleBackend };
}

/**
 * The virtio devices of a system's VMs and what joins them (VM_Arm with VmPCISupport and a
 * virtio option): a virtio-net device on each VM whose `send`/`recv` interfaces are connected by
 * seL4VirtQueues, MAC from `vswitch_mac_address`; a virtio-console device on each VM whose
 * `batch` goes to a SerialServer. Devices sit on the VMM's vPCI bus with the board's virtio line
 * and are reached through the vPCI IO window; they are added in the VMM thread as a DEFINE_MODULE
 * init (`armModule`). Links between VMMs are kernel objects made at build time (`link`): frames
 * both VMMs hold and a notification cap, minted with a badge of the receiver's global endpoint,
 * in the sender's CNode — the receiver drains the ring in its own thread when that badge arrives.
 */
export class SystemVirtio {
  readonly devices = new Map<string, ArmDevices>();
  readonly links: VirtqueueLink[] = [];
  /** VM → the SerialServer its hvc0 goes to and whose input switch feeds it (set as each VMM's module runs). */
  readonly consoleServers = new Map<string, string>();
  /** The virtio-net switch of each VM with more than one link out (vm_multi's vm0). */
  readonly switches = new Map<string, VirtualSwitch>();
  /** A link into a switching VM → the switch port (link out) whose layout entry's recv_id it is. */
  private readonly switchPortOf = new Map<VirtqueueLink, string>();
  private readonly vmms = new Map<string, ArmVmm>();
  private readonly usedBadges = new Map<string, number>();

  constructor(
    readonly sys: InstantiatedSystem,
    readonly platform: Platform,
    readonly options: ReadonlySet<VirtioOption>,
  ) {}

  get enabled(): boolean {
    return this.options.size > 0;
  }

  private connections(kind: 'seL4VirtQueues' | 'seL4SerialServer'): ResolvedConnection[] {
    return this.sys.connections.map((c) => c.connection).filter((c) => c.connector.name === kind);
  }

  /** The DEFINE_MODULE init adding VM `name`'s virtio devices; null when it has none. */
  armModule(name: string): ((v: ArmVmm) => void) | null {
    const net = (this.options.has('VmVirtioNetVirtqueue') || this.options.has('VmVirtioNetArping')) && this.connections('seL4VirtQueues').some((c) => c.from.some((e) => e.instance.name === name));
    const serial = this.options.has('VmVirtioConsole') ? this.connections('seL4SerialServer').find((c) => c.from.some((e) => e.instance.name === name && e.interface.name === 'batch')) : undefined;
    if (!net && !serial) return null;
    return (v) => {
      this.vmms.set(name, v);
      const p = this.platform;
      const memory = virtioMemoryOf(v.vm.memory);
      const io = new VirtioIoSpace();
      const d: ArmDevices = {};
      // INTx is level-triggered: at the guest's EOI a line some device still asserts (ISR not yet
      // read) is pending again, which the vGIC's edge-style injection would otherwise lose.
      const asserted = (line: number) => [d.net, d.console].some((x) => x && x.transport.o.irqLine === line && x.transport.isr !== 0);
      const irq = (line: number) => {
        v.vgic.registerIrq(0, line, () => void (asserted(line) && v.vgic.injectIrq(0, line)));
        return () => void v.vgic.injectIrq(0, line);
      };
      if (net) {
        const line = p.virtio.irqs.net!;
        const mac = this.sys.instances.get(name)!.runtime.string('vswitch_mac_address') ?? '';
        d.net = createVirtioNet({ mac, memory, irqLine: line, interrupt: irq(line), log: (t) => v.vm.printf(t) });
        io.add(d.net.transport);
        v.pci.add(d.net.transport.def);
        // One link out (vm_virtio_net's pair): the transmit queue feeds that ring; several
        // (vm_multi's vm0): a switch picks the ring by destination MAC.
        const outs = this.links.filter((l) => l.from === name);
        const wire = outs.length > 1 ? this.vswitch(name, outs, mac, d.net.net) : outs.length ? this.wires.get(outs[0]) : undefined;
        if (wire) d.net.net.connect(wire);
      }
      if (serial) {
        const line = p.virtio.irqs.console!;
        const server = serial.to[0].instance.name;
        const out = this.sys.serial;
        const actor = `${server}:processed_batch__run`;
        // The batch reaches the console only once the server serves (it waits for its
        // TimeServer first); until then the VMM's batch buffer holds it.
        let held = '';
        const output = (bytes: Uint8Array) => {
          held += latin1(bytes);
          if (!this.sys.kernel.threads.some((t) => t.name === actor && t.started)) return;
          out.write(name, held, { op: 'processed_batch', actor });
          held = '';
        };
        d.console = createVirtioConsole({ memory, irqLine: line, interrupt: irq(line), log: (t) => v.vm.printf(t), output });
        io.add(d.console.transport);
        v.pci.add(d.console.transport.def);
        this.serveConsoleInput(name, server, v, d.console.console);
      }
      if (!p.vpci) throw new Error(`${p.name}: virtio needs the board's vPCI windows`);
      v.vm.memory.addMmio({ name: 'vpci io', base: p.vpci.io.base, size: p.vpci.io.size, read: (off, size) => io.read(off, size), write: (off, size, val) => io.write(off, size, val) });
      this.devices.set(name, d);
      for (const l of this.links.filter((x) => x.to === name)) v.registerAsyncEventHandler(l.badge, () => this.deliver(l));
    };
  }

  /**
   * VM `name`'s switch over its links out, each link's peer MAC from the `vswitch_layout` entry
   * whose send_id is the id of the link's sending interface (`<iface>_id`). Forwarding runs in
   * the VM's VMM thread as its transmit queue is processed, so the trace shows it there.
   */
  private vswitch(name: string, outs: readonly VirtqueueLink[], mac: string, dev: VirtioNetBackend): VirtualSwitch {
    const rt = this.sys.instances.get(name)!.runtime;
    const attr = rt.attribute('vswitch_layout');
    const layout = parseVswitchLayout(attr);
    const ports = outs.map((l) => {
      const id = rt.int(`${l.fromInterface}_id`);
      const e = layout.find((x) => x.sendId === id);
      if (!e) {
        const msg = `${name}.vswitch_layout: no entry with send_id ${id ?? '(unset)'} for the link ${l.name} (${name}.${l.fromInterface}_id)`;
        if (attr) throw errorAt(attr.pos, msg);
        throw new Error(msg);
      }
      // The link back from that peer arrives on the interface whose id is the entry's recv_id.
      const back = this.links.find((x) => x.to === name && x.from === l.to && rt.int(`${x.toInterface}_id`) === e.recvId);
      if (!back) {
        const msg = `${name}.vswitch_layout: no link from ${l.to} arrives on an interface with recv_id ${e.recvId}`;
        if (attr) throw errorAt(attr.pos, msg);
        throw new Error(msg);
      }
      this.switchPortOf.set(back, l.name);
      return { mac: e.mac, name: l.name, wire: this.wires.get(l)! };
    });
    const trace = this.sys.kernel.trace;
    const actor = `${name}:vmm`;
    const observe = (dst: string, from: string | null, out: readonly { name: string }[], local: boolean) => {
      // Where the frame came from: the VM's own eth0 or the peer VMM whose link it arrived on.
      const result = `from ${from === null ? 'eth0' : `${outs.find((l) => l.name === from)!.to}:vmm`}`;
      if (!out.length && !local) trace.record({ layer: 'vmm', actor, op: 'vswitch_drop', object: result, value: dst || '(runt)', result: 'unknown destination' });
      for (const p of out) trace.record({ layer: 'vmm', actor, op: 'vswitch_forward', object: p.name, value: dst, result, peer: `${outs.find((l) => l.name === p.name)!.to}:vmm` });
    };
    const sw = new VirtualSwitch(ports, { mac, local: (f) => void dev.receive(f), observe });
    this.switches.set(name, sw);
    return sw;
  }

  /** The receiver's VMM thread takes what arrived on `l` (one badge may stand for many frames). */
  private deliver(l: VirtqueueLink): void {
    const dev = this.devices.get(l.to)?.net?.net;
    const sw = this.switches.get(l.to);
    const due = this.arrived.get(l) ?? 0;
    this.arrived.set(l, 0);
    for (const f of l.ring.drain(due)) {
      if (sw) sw.arrive(f, this.switchPortOf.get(l)!);
      else dev?.receive(f);
    }
  }

  /**
   * Kernel objects of every seL4VirtQueues connection between two VMs: VIRTQUEUE_FRAMES frames
   * (copies in both VMM CNodes) and the doorbell, made by the root task before anything runs.
   * The sender's transmit puts the frame in the ring and signals the doorbell from its VMM
   * thread; the receiver's VMM thread takes the frames whose wire delay has passed.
   */
  link(vmmOf: (name: string) => ArmVmm | undefined): void {
    const k = this.sys.kernel;
    for (const c of this.connections('seL4VirtQueues')) {
      const drv = c.from.find((e) => e.interface.type === 'VirtQueueDrv');
      const dev = c.from.find((e) => e.interface.type === 'VirtQueueDev');
      const sender = drv && vmmOf(drv.instance.name);
      const receiver = dev && vmmOf(dev.instance.name);
      if (!drv || !dev || !sender || !receiver) continue;
      const frames: Frame[] = [];
      for (let i = 0; i < VIRTQUEUE_FRAMES; i++) {
        const slot = rootFrame(this.sys, `${c.name} virtqueue ${i}`);
        frames.push(k.rootCNode.capAt(slot)!.object as Frame);
        for (const vmm of [sender, receiver]) k.root.cnodeCopy(vmm.o.cnode, topFree(vmm.res.cnode), InitCaps.seL4_CapInitThreadCNode, slot, { read: true, write: true, grant: false, grantReply: false });
      }
      const badge = this.nextBadge(dev.instance.name);
      const ntfnSlot = rootCapTo(this.sys, receiver.asyncNotification);
      const bell = topFree(sender.res.cnode);
      k.root.cnodeMint(sender.o.cnode, bell, InitCaps.seL4_CapInitThreadCNode, ntfnSlot, { read: false, write: true, grant: false, grantReply: false }, badge);
      const link: VirtqueueLink = { name: c.name, connection: c, from: drv.instance.name, fromInterface: drv.interface.name, to: dev.instance.name, toInterface: dev.interface.name, ring: new FrameRing(frames), frames, badge };
      this.links.push(link);
      // virtqueue_notify: the sender's VMM thread puts the frame in the shared ring and signals the
      // receiver's endpoint right away, as upstream does. The frame counts as arrived only
      // WIRE_DELIVERY_NS later (the copy and the other VMM's wake-up, which the kernel model does
      // not charge for); then the doorbell rings again so the receiver takes it. A kernel timer
      // cannot signal as the sender's thread (it is not running then), so that second ring is the
      // root task's, through its own copy of the badged cap.
      const rootBell = topFree(k.rootCNode);
      k.root.cnodeMint(InitCaps.seL4_CapInitThreadCNode, rootBell, InitCaps.seL4_CapInitThreadCNode, ntfnSlot, { read: false, write: true, grant: false, grantReply: false }, badge);
      this.wires.set(link, {
        transmit: (frame: Uint8Array) => {
          if (!link.ring.push(frame)) return;
          sender.sys.signal(bell);
          k.after(WIRE_DELIVERY_NS, () => {
            this.arrived.set(link, (this.arrived.get(link) ?? 0) + 1);
            k.root.signal(rootBell);
          });
        },
      });
    }
  }

  private readonly wires = new Map<VirtqueueLink, NetWire>();
  /** Frames of a link whose wire delay has passed and that the receiver has not taken yet. */
  private readonly arrived = new Map<VirtqueueLink, number>();

  /**
   * The SerialServer routes typed input to VM `vm` (its getchar client): the bytes wait in the
   * server and the VMM is signalled on its global endpoint; its thread then fills the console's
   * receive queue.
   */
  private serveConsoleInput(vm: string, server: string, v: ArmVmm, console: VirtioConsoleBackend): void {
    const k = this.sys.kernel;
    const badge = this.nextBadge(vm);
    const slot = topFree(k.rootCNode);
    k.root.cnodeMint(InitCaps.seL4_CapInitThreadCNode, slot, InitCaps.seL4_CapInitThreadCNode, rootCapTo(this.sys, v.asyncNotification), { read: false, write: true, grant: false, grantReply: false }, badge);
    let pending = '';
    v.registerAsyncEventHandler(badge, () => {
      const t = pending;
      pending = '';
      if (t) console.input(t);
    });
    const rt = this.sys.instances.get(server)!.runtime;
    this.consoleServers.set(vm, server);
    serialServerModel(rt)?.attach(vm, (t) => {
      pending += t;
      k.root.signal(slot);
    });
    // The board's UART is not the guest's console here: what is typed reaches the SerialServer.
    (v as { input: (t: string) => void }).input = (t) => serialServerModel(rt)?.type(t);
  }

  /** The next seL4GlobalAsynch badge of `vm`'s global endpoint (bits from 1 upward, camkes-tool order). */
  private nextBadge(vm: string): number {
    const rt = this.sys.instances.get(vm)!.runtime;
    const base = rt.int('global_endpoint_base') ?? 0;
    let used = this.usedBadges.get(vm) ?? base;
    for (const h of rt.interfaces.values()) if (h.kind === 'consumes-global') used |= h.badge;
    for (let bit = 1; bit < 1 << 27; bit *= 2) {
      if (used & bit) continue;
      this.usedBadges.set(vm, (used | bit) >>> 0);
      return (base | bit) >>> 0;
    }
    throw new Error(`${vm}: global endpoint badges exhausted`);
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/** The highest empty slot of a CNode (the VMM's own allocator fills its CNode from the bottom). */
function topFree(cn: CNode): CPtr {
  for (let i = cn.size - 1; i > 0; i--) if (!cn.capAt(i)) return i;
  throw new Error(`CNode "${cn.name}" is full`);
}

/** The root task's original cap to `ntfn` (instantiation made it there). */
function rootCapTo(sys: InstantiatedSystem, ntfn: Notification): CPtr {
  const cn = sys.kernel.rootCNode;
  for (const s of cn.used()) if (s.index > 0 && s.cap?.object === ntfn) return s.index;
  throw new Error(`the root task holds no cap to ${ntfn.name}`);
}

/** A 4 KiB frame retyped by the root task from a boot untyped into a free root slot. */
function rootFrame(sys: InstantiatedSystem, name: string): CPtr {
  const k = sys.kernel;
  const slot = topFree(k.rootCNode);
  for (const u of k.untyped) {
    if (u.device) continue;
    if (k.root.untypedRetype(u.cptr, { type: 'Frame', sizeBits: 12, offset: slot, name }) === 'seL4_NoError') return slot;
  }
  throw new Error(`no untyped memory left for ${name}`);
}
