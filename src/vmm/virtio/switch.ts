import { errorAt } from '../../diagnostics';
import { dictGet, type Value } from '../../camkes/resolve';
import { parseMac, type NetWire } from './net';

/** One `vswitch_layout` entry: the peer's MAC and the VM's own virtqueue ids towards it. */
export interface VswitchEntry {
  readonly mac: string;
  readonly sendId: number;
  readonly recvId: number;
}

const STRUCT = "{ string mac_addr; int send_id; int recv_id; }";

/**
 * Reads a VM's `vswitch_layout` attribute (struct vswitch_mapping, reference A.17:
 * `string mac_addr; int send_id; int recv_id;`). Anything else is an error at the value.
 */
export function parseVswitchLayout(v: Value | undefined): VswitchEntry[] {
  if (!v) return [];
  if (v.kind !== 'list') throw errorAt(v.pos, `vswitch_layout: expected a list of ${STRUCT}, got a ${v.kind}`);
  return v.items.map((it) => {
    if (it.kind !== 'dict') throw errorAt(it.pos, `vswitch_layout: expected an entry ${STRUCT}, got a ${it.kind}`);
    const field = (name: string, kind: 'string' | 'int'): Value => {
      const f = dictGet(it, { kind: 'string', value: name, pos: it.pos });
      if (!f || f.kind !== kind) throw errorAt(f?.pos ?? it.pos, `vswitch_layout: entry needs ${kind} '${name}'${f ? `, got a ${f.kind}` : ''}`);
      return f;
    };
    const mac = field('mac_addr', 'string') as Extract<Value, { kind: 'string' }>;
    try {
      parseMac(mac.value);
    } catch (e) {
      throw errorAt(mac.pos, `vswitch_layout: ${(e as Error).message}`);
    }
    const id = (n: string) => Number((field(n, 'int') as Extract<Value, { kind: 'int' }>).value);
    return { mac: mac.value.toUpperCase(), sendId: id('send_id'), recvId: id('recv_id') };
  });
}

/** A link out of the switch: frames for `mac` go into `wire` (the seL4VirtQueues ring to that VM). */
export interface SwitchPort {
  readonly mac: string;
  /** The link's name (its seL4VirtQueues connection), for the trace. */
  readonly name: string;
  readonly wire: NetWire;
}

export interface SwitchCounters {
  /** Unicast frames sent out of a link. */
  forwarded: number;
  /** Broadcast frames flooded. */
  broadcast: number;
  /** Frames arriving from a link for this VM (its receive queue). */
  local: number;
  /** Unicast to a MAC no port has (and runt frames without an Ethernet header). */
  dropped: number;
}

/**
 * What the switch did with one frame: where it came from (a link's name, or null for the VM's own
 * transmit queue) and the links it went out of; none (and not for this VM) when it was dropped.
 */
export type SwitchObserver = (dst: string, from: string | null, out: readonly SwitchPort[], local: boolean) => void;

export interface SwitchOptions {
  /** The VM's own MAC (`vswitch_mac_address`). */
  readonly mac: string;
  /** Puts a frame into the VM's receive queue. */
  readonly local: (frame: Uint8Array) => void;
  readonly observe?: SwitchObserver;
}

const BROADCAST = 'FF:FF:FF:FF:FF:FF';

function macText(b: Uint8Array): string {
  return [...b.subarray(0, 6)].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/**
 * The virtio-net switch in a VMM with several virtqueue links (vm_multi's vm0, bridging vm1 and
 * vm2). A frame, from the VM's transmit queue or arriving from a link, goes out of the link whose
 * peer MAC is its destination; a frame for the VM's own MAC goes to its receive queue; a broadcast
 * goes to every link but the one it came on, and to the VM when it came from a link; unicast to
 * a MAC no port has is dropped and counted. UNCONFIRMED (upstream's switch code is not in the
 * reference): that frames between two links are switched in the VMM, not by vm0's guest; and
 * that only the all-ones address floods (other group addresses are dropped as unknown unicast).
 */
export class VirtualSwitch implements NetWire {
  readonly counters: SwitchCounters = { forwarded: 0, broadcast: 0, local: 0, dropped: 0 };
  private readonly byMac = new Map<string, SwitchPort>();
  private readonly byName = new Map<string, SwitchPort>();
  private readonly mac: string;

  constructor(
    readonly ports: readonly SwitchPort[],
    private readonly o: SwitchOptions,
  ) {
    this.mac = macText(parseMac(o.mac));
    for (const p of ports) {
      const mac = macText(parseMac(p.mac));
      if (this.byMac.has(mac) || mac === this.mac) throw new RangeError(`vswitch: two ports for ${mac}`);
      this.byMac.set(mac, p);
      this.byName.set(p.name, p);
    }
  }

  /** A frame from the VM's own transmit queue. */
  transmit(frame: Uint8Array): void {
    this.forward(frame, null);
  }

  /** A frame drained from link `link`'s ring. */
  arrive(frame: Uint8Array, link: string): void {
    const from = this.byName.get(link);
    if (!from) throw new RangeError(`vswitch: no port for the link ${link}`);
    this.forward(frame, from);
  }

  private forward(frame: Uint8Array, from: SwitchPort | null): void {
    const observe = this.o.observe ?? (() => {});
    const src = from?.name ?? null;
    if (frame.length < 14) {
      this.counters.dropped++;
      observe('', src, [], false);
      return;
    }
    const dst = macText(frame);
    if (dst === BROADCAST) {
      const out = this.ports.filter((p) => p !== from);
      this.counters.broadcast++;
      observe(dst, src, out, from !== null);
      for (const p of out) p.wire.transmit(frame);
      if (from) this.toVm(frame);
      return;
    }
    if (dst === this.mac && from) {
      observe(dst, src, [], true);
      this.toVm(frame);
      return;
    }
    const p = this.byMac.get(dst);
    if (!p || p === from) {
      this.counters.dropped++;
      observe(dst, src, [], false);
      return;
    }
    this.counters.forwarded++;
    observe(dst, src, [p], false);
    p.wire.transmit(frame);
  }

  private toVm(frame: Uint8Array): void {
    this.counters.local++;
    this.o.local(frame);
  }
}
