import type { Blocking } from '../../sel4';
import { WaitQueue, type GuestKernel } from '../kernel/kernel';
import { checksum, ETH_P_ARP, ETH_P_IP, ethFrame, formatIp, ipv4Packet, macEq, BROADCAST_MAC, type Ipv4 } from './packet';

/** A network device driver the stack transmits through (virtio_net's eth0). */
export interface NetDevice {
  readonly name: string;
  readonly mac: Uint8Array;
  transmit(frame: Uint8Array): Blocking<boolean>;
}

export interface IfCounters {
  rxPackets: number;
  txPackets: number;
  rxBytes: number;
  txBytes: number;
  rxDropped: number;
}

export class NetInterface {
  ip: number | null = null;
  mask = 0;
  up = false;
  readonly counters: IfCounters = { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0 };
  constructor(readonly dev: NetDevice, readonly index: number) {}
  get name(): string {
    return this.dev.name;
  }
}

/** sll_pkttype of a received frame. */
export type PacketType = 'host' | 'broadcast' | 'otherhost';

/** An AF_PACKET socket bound to one interface and ethertype (arping's). */
export interface PacketSocket {
  readonly iface: NetInterface;
  readonly ethertype: number;
  readonly queue: { frame: Uint8Array; type: PacketType }[];
  readonly wq: WaitQueue;
}

/** A raw IPPROTO_ICMP socket (busybox ping's): every ICMP packet addressed to this host. */
export interface IcmpSocket {
  readonly queue: Ipv4[];
  readonly wq: WaitQueue;
}

interface Neighbour {
  mac: Uint8Array | null;
  lastRequest: number;
  pending: { iface: NetInterface; packet: Uint8Array }[];
}

/** Linux's default neighbour retransmit time (neigh retrans_time_ms 1000) and queue length. */
const ARP_RETRANS_NS = 1_000_000_000;
const ARP_UNRES_QLEN = 3;
/** Linux ip_default_ttl. */
export const IP_DEFAULT_TTL = 64;

/**
 * The guest's minimal network stack: Ethernet, ARP (answering requests for our address, the
 * neighbour cache, resolution with a queue of pending packets), IPv4 on connected subnets and
 * ICMP echo (the kernel answers echo requests; replies go to raw ICMP sockets). Receive runs in
 * the driver's interrupt handler; what it transmits goes straight to the driver.
 */
export class NetStack {
  readonly ifaces: NetInterface[] = [];
  private readonly neigh = new Map<number, Neighbour>();
  readonly packetSockets = new Set<PacketSocket>();
  readonly icmpSockets = new Set<IcmpSocket>();
  private ipId = 0;

  constructor(readonly k: GuestKernel) {}

  register(dev: NetDevice): NetInterface {
    const i = new NetInterface(dev, this.ifaces.length + 2);
    this.ifaces.push(i);
    return i;
  }

  iface(name: string): NetInterface | null {
    return this.ifaces.find((i) => i.name === name) ?? null;
  }

  /** The interface whose connected subnet holds `dst` (the model has no gateways). */
  route(dst: number): NetInterface | null {
    return this.ifaces.find((i) => i.up && i.ip !== null && ((i.ip ^ dst) & i.mask) >>> 0 === 0) ?? null;
  }

  neighbour(ip: number): Uint8Array | null {
    return this.neigh.get(ip)?.mac ?? null;
  }

  *sendFrame(iface: NetInterface, frame: Uint8Array): Blocking<boolean> {
    const ok = yield* iface.dev.transmit(frame);
    if (ok) {
      iface.counters.txPackets++;
      iface.counters.txBytes += frame.length;
    }
    return ok;
  }

  *sendArp(iface: NetInterface, op: 1 | 2, dstMac: Uint8Array, targetMac: Uint8Array, senderIp: number, targetIp: number): Blocking<boolean> {
    const a = new Uint8Array(28);
    const dv = new DataView(a.buffer);
    dv.setUint16(0, 1);
    dv.setUint16(2, ETH_P_IP);
    a[4] = 6;
    a[5] = 4;
    dv.setUint16(6, op);
    a.set(iface.dev.mac, 8);
    dv.setUint32(14, senderIp);
    a.set(targetMac, 18);
    dv.setUint32(24, targetIp);
    return yield* this.sendFrame(iface, ethFrame(dstMac, iface.dev.mac, ETH_P_ARP, a));
  }

  /**
   * ip_output for a locally generated packet: 'unreachable' when no interface holds `dst`
   * (sendto fails with ENETUNREACH); otherwise sent, or queued behind ARP resolution.
   */
  *sendIpv4(dst: number, protocol: number, payload: Uint8Array, ttl = IP_DEFAULT_TTL): Blocking<'sent' | 'queued' | 'unreachable'> {
    const iface = this.route(dst);
    if (!iface || iface.ip === null) return 'unreachable';
    this.ipId = (this.ipId + 1) & 0xffff;
    const packet = ipv4Packet(iface.ip, dst, protocol, ttl, this.ipId, payload);
    const n = this.neigh.get(dst) ?? { mac: null, lastRequest: -Infinity, pending: [] };
    this.neigh.set(dst, n);
    if (n.mac) {
      yield* this.sendFrame(iface, ethFrame(n.mac, iface.dev.mac, ETH_P_IP, packet));
      return 'sent';
    }
    n.pending.push({ iface, packet });
    if (n.pending.length > ARP_UNRES_QLEN) n.pending.shift();
    const now = this.k.machine.now();
    if (now - n.lastRequest >= ARP_RETRANS_NS) {
      n.lastRequest = now;
      yield* this.sendArp(iface, 1, BROADCAST_MAC, new Uint8Array(6), iface.ip, dst);
    }
    return 'queued';
  }

  /** netif_receive_skb: a frame the driver took off its receive queue. */
  *receive(iface: NetInterface, frame: Uint8Array): Blocking<void> {
    if (frame.length < 14 || !iface.up) {
      iface.counters.rxDropped++;
      return;
    }
    const dst = frame.subarray(0, 6);
    const type: PacketType = macEq(dst, iface.dev.mac) ? 'host' : macEq(dst, BROADCAST_MAC) ? 'broadcast' : 'otherhost';
    if (type === 'otherhost') return;
    iface.counters.rxPackets++;
    iface.counters.rxBytes += frame.length;
    const ethertype = (frame[12] << 8) | frame[13];
    for (const s of this.packetSockets) {
      if (s.iface === iface && s.ethertype === ethertype) {
        s.queue.push({ frame: frame.slice(), type });
        s.wq.wakeUp();
      }
    }
    const body = frame.subarray(14);
    if (ethertype === ETH_P_ARP) yield* this.arpReceive(iface, body);
    else if (ethertype === ETH_P_IP) yield* this.ipReceive(iface, body);
  }

  private *arpReceive(iface: NetInterface, a: Uint8Array): Blocking<void> {
    if (a.length < 28 || a[4] !== 6 || a[5] !== 4) return;
    const dv = new DataView(a.buffer, a.byteOffset, a.byteLength);
    if (dv.getUint16(0) !== 1 || dv.getUint16(2) !== ETH_P_IP) return;
    const op = dv.getUint16(6);
    const senderMac = a.slice(8, 14);
    const senderIp = dv.getUint32(14);
    const targetIp = dv.getUint32(24);
    const forUs = iface.ip !== null && targetIp === iface.ip;
    const known = this.neigh.get(senderIp);
    // arp_process: a request for us creates the sender's entry; anything updates an existing one.
    if (known || (forUs && op === 1)) {
      const n = known ?? { mac: null, lastRequest: -Infinity, pending: [] };
      n.mac = senderMac;
      this.neigh.set(senderIp, n);
      const queued = n.pending.splice(0);
      for (const p of queued) yield* this.sendFrame(p.iface, ethFrame(senderMac, p.iface.dev.mac, ETH_P_IP, p.packet));
    }
    if (op === 1 && forUs) yield* this.sendArp(iface, 2, senderMac, senderMac, iface.ip!, senderIp);
  }

  private *ipReceive(iface: NetInterface, p: Uint8Array): Blocking<void> {
    if (p.length < 20 || p[0] >> 4 !== 4) return;
    const ihl = (p[0] & 0xf) * 4;
    const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const total = dv.getUint16(2);
    if (ihl < 20 || total > p.length || checksum(p.subarray(0, ihl)) !== 0) {
      iface.counters.rxDropped++;
      return;
    }
    const dst = dv.getUint32(16);
    if (dst !== iface.ip) return;
    const pkt: Ipv4 = { src: dv.getUint32(12), dst, ttl: p[8], protocol: p[9], payload: p.slice(ihl, total) };
    if (pkt.protocol !== 1 || pkt.payload.length < 8 || checksum(pkt.payload) !== 0) return;
    for (const s of this.icmpSockets) {
      s.queue.push(pkt);
      s.wq.wakeUp();
    }
    if (pkt.payload[0] === 8) {
      // icmp_echo: the same identifier, sequence and data back as an echo reply.
      const reply = pkt.payload.slice();
      reply[0] = 0;
      reply[2] = reply[3] = 0;
      const c = checksum(reply);
      reply[2] = c >> 8;
      reply[3] = c & 0xff;
      yield* this.sendIpv4(pkt.src, 1, reply);
    }
  }
}

const stacks = new WeakMap<GuestKernel, NetStack>();

/** The network stack of a guest kernel (created with its first interface). */
export function netStackOf(k: GuestKernel): NetStack {
  let s = stacks.get(k);
  if (!s) {
    s = new NetStack(k);
    stacks.set(k, s);
  }
  return s;
}

export { formatIp };
