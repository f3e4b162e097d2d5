import {
  NET_RXQ, NET_TXQ, PCI_CLASS_NETWORK_ETHERNET, VIRTIO_ID_NET, VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS, VIRTIO_NET_HDR_SIZE,
  VIRTIO_NET_S_LINK_UP, VIRTIO_PCI_DEVICE_NET,
} from './layout';
import type { VirtioBackend, VirtioPciTransport } from './transport';

/** Where a virtio-net device's transmitted frames go (another VM's device, a component). */
export interface NetWire {
  transmit(frame: Uint8Array): void;
}

export interface NetCounters {
  txFrames: number;
  rxFrames: number;
  /** Frames that arrived while the driver had no receive buffer posted (or was not ready). */
  rxDropped: number;
}

/** Parses `02:00:00:00:AA:01`. */
export function parseMac(text: string): Uint8Array {
  const m = /^([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2}):([0-9a-f]{2})$/i.exec(text);
  if (!m) throw new RangeError(`'${text}' is not a MAC address (expected six hex byte pairs separated by ':')`);
  return Uint8Array.from(m.slice(1).map((x) => parseInt(x, 16)));
}

/**
 * The virtio-net device (VMM side): MAC in the configuration space, receiveq 0 and transmitq 1,
 * each frame preceded by the legacy 10-byte virtio_net_hdr. Transmission is taken when the driver
 * notifies the transmit queue; received frames go into the buffers the driver posted on the
 * receive queue. A frame arriving with no buffer posted is dropped (UNCONFIRMED: libvirtio's
 * backlog behaviour is not in the reference; Linux keeps the receive queue full, so it is rare).
 */
export class VirtioNetBackend implements VirtioBackend {
  readonly kind = 'virtio-net';
  readonly deviceType = VIRTIO_ID_NET;
  readonly pciDeviceId = VIRTIO_PCI_DEVICE_NET;
  readonly classCode = PCI_CLASS_NETWORK_ETHERNET;
  readonly numQueues = 2;
  readonly hostFeatures = ((1 << VIRTIO_NET_F_MAC) | (1 << VIRTIO_NET_F_STATUS)) >>> 0;
  readonly counters: NetCounters = { txFrames: 0, rxFrames: 0, rxDropped: 0 };
  private t: VirtioPciTransport | null = null;

  constructor(readonly mac: Uint8Array, private wire: NetWire | null = null) {
    if (mac.length !== 6) throw new RangeError('a MAC address has 6 bytes');
  }

  connect(wire: NetWire): void {
    this.wire = wire;
  }

  attach(t: VirtioPciTransport): void {
    this.t = t;
  }

  configRead(offset: number, size: 1 | 2 | 4): number {
    const cfg = [...this.mac, VIRTIO_NET_S_LINK_UP, 0];
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + (cfg[offset + i] ?? 0);
    return v;
  }

  kick(q: number): void {
    if (q === NET_TXQ || q === -1) this.transmitAll();
  }

  reset(): void {}

  private transmitAll(): void {
    const t = this.t!;
    let any = false;
    for (let c = t.pop(NET_TXQ); c; c = t.pop(NET_TXQ)) {
      const bytes = t.queue(NET_TXQ)!.gather(c);
      if (bytes && bytes.length > VIRTIO_NET_HDR_SIZE) {
        this.counters.txFrames++;
        this.wire?.transmit(bytes.slice(VIRTIO_NET_HDR_SIZE));
      }
      t.queue(NET_TXQ)!.push(c.head, 0);
      any = true;
    }
    if (any) t.usedBuffers(NET_TXQ);
  }

  /** A frame from the wire: into the next posted receive buffer. False when it was dropped. */
  receive(frame: Uint8Array): boolean {
    const t = this.t;
    const c = t && t.driverOk ? t.pop(NET_RXQ) : null;
    if (!t || !c) {
      this.counters.rxDropped++;
      return false;
    }
    const buf = new Uint8Array(VIRTIO_NET_HDR_SIZE + frame.length);
    buf.set(frame, VIRTIO_NET_HDR_SIZE);
    const vq = t.queue(NET_RXQ)!;
    vq.push(c.head, vq.scatter(c, buf));
    this.counters.rxFrames++;
    t.usedBuffers(NET_RXQ);
    return true;
  }
}

/**
 * One end of a point-to-point link between two virtio-net devices (two VMMs joined by
 * seL4VirtQueues, or a VMM and a component). A transmitted frame is copied into the peer's inbox
 * and the peer's doorbell rung; the peer delivers its inbox with `drain()` in its own VMM thread
 * (the doorbell is where the system signals that VMM's notification).
 */
export class WirePort implements NetWire {
  peer: WirePort | null = null;
  private readonly inbox: Uint8Array[] = [];
  private device: { receive(frame: Uint8Array): boolean } | null = null;

  constructor(private readonly doorbell: (port: WirePort) => void) {}

  attach(device: { receive(frame: Uint8Array): boolean }): void {
    this.device = device;
  }

  transmit(frame: Uint8Array): void {
    const p = this.peer;
    if (!p) return;
    p.inbox.push(frame.slice());
    p.doorbell(p);
  }

  get waiting(): number {
    return this.inbox.length;
  }

  /** Delivers every frame that arrived; returns how many. */
  drain(): number {
    let n = 0;
    while (this.inbox.length) {
      const f = this.inbox.shift()!;
      this.device?.receive(f);
      n++;
    }
    return n;
  }
}

/**
 * Two ports wired back to back (vm_virtio_net's two guests). `doorbell(port)` is called when
 * `port` has frames to drain; a system schedules `port.drain()` in that VMM's thread, after
 * WIRE_DELIVERY_NS.
 */
export function backToBack(doorbell: (port: WirePort) => void): [WirePort, WirePort] {
  const a = new WirePort(doorbell);
  const b = new WirePort(doorbell);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/**
 * Virtual time from a frame leaving one VMM to the other VMM taking it: the copy through the
 * shared virtqueue and the wake-up of the other VMM. UNCONFIRMED model figure (the kernel model
 * charges nothing for running code, so without it a ping would report 0.000 ms).
 */
export const WIRE_DELIVERY_NS = 120_000;

export { NET_RXQ, NET_TXQ };
