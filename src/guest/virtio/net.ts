import type { Blocking } from '../../sel4';
import { NET_RXQ, NET_TXQ, VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS, VIRTIO_NET_HDR_SIZE } from '../../vmm/virtio/layout';
import type { IrqReturn } from '../kernel/kernel';
import type { NetDevice, NetInterface, NetStack } from './netstack';
import type { DmaAlloc, VirtioPciDevice } from './pci';
import type { DriverVirtqueue } from './virtqueue';

/** Receive buffer: the header plus a full Ethernet frame (ETH_FRAME_LEN 1514). */
const RX_BUF = VIRTIO_NET_HDR_SIZE + 1514;
/** Receive buffers kept posted (Linux fills the whole ring; the model posts this many). */
const RX_POSTED = 32;

export interface DmaPool {
  alloc: DmaAlloc;
  free(addr: number): void;
}

/**
 * drivers/net/virtio_net.c reduced to what vm_virtio_net exercises: MAC from the configuration
 * space, receive buffers posted at open, one header + frame per transmit, the used rings drained
 * in the (shared) interrupt handler, received frames handed to the stack.
 */
export class VirtioNetDriver implements NetDevice {
  readonly mac: Uint8Array;
  iface: NetInterface | null = null;
  private constructor(
    readonly name: string,
    private readonly dev: VirtioPciDevice,
    private readonly pool: DmaPool,
    private readonly stack: NetStack,
    mac: Uint8Array,
    private readonly rx: DriverVirtqueue<number>,
    private readonly tx: DriverVirtqueue<number>,
  ) {
    this.mac = mac;
  }

  /** virtnet_probe: negotiate, read the MAC, set up both queues, DRIVER_OK, post receive buffers. */
  static *probe(name: string, dev: VirtioPciDevice, pool: DmaPool, stack: NetStack): Blocking<VirtioNetDriver | null> {
    yield* dev.begin([VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS]);
    const mac = new Uint8Array(6);
    if (dev.has(VIRTIO_NET_F_MAC)) for (let i = 0; i < 6; i++) mac[i] = yield* dev.config(i, 1);
    const rx = yield* dev.setupQueue<number>(NET_RXQ, pool.alloc);
    const tx = yield* dev.setupQueue<number>(NET_TXQ, pool.alloc);
    if (!rx || !tx) {
      yield* dev.failed();
      return null;
    }
    const d = new VirtioNetDriver(name, dev, pool, stack, mac, rx, tx);
    yield* dev.driverOk();
    yield* d.fillRx();
    d.iface = stack.register(d);
    return d;
  }

  private *fillRx(): Blocking<void> {
    if (yield* this.rx.postReceiveBuffers(this.pool, RX_BUF, RX_POSTED)) yield* this.dev.kick(this.rx);
  }

  /** start_xmit: a zeroed header and the frame in one device-readable buffer. */
  *transmit(frame: Uint8Array): Blocking<boolean> {
    yield* this.reclaimTx();
    const buf = this.pool.alloc(VIRTIO_NET_HDR_SIZE + frame.length);
    if (buf === null) return false;
    const bytes = new Uint8Array(VIRTIO_NET_HDR_SIZE + frame.length);
    bytes.set(frame, VIRTIO_NET_HDR_SIZE);
    yield* this.dev.m.write(buf, bytes);
    if (!(yield* this.tx.add([{ addr: buf, len: bytes.length, write: false }], buf))) {
      this.pool.free(buf);
      return false;
    }
    yield* this.dev.kick(this.tx);
    return true;
  }

  private *reclaimTx(): Blocking<void> {
    for (let u = yield* this.tx.getUsed(); u; u = yield* this.tx.getUsed()) this.pool.free(u.token);
  }

  /** vp_interrupt → vring_interrupt: ISR first (acknowledges), then both used rings. */
  *interrupt(): Blocking<IrqReturn> {
    const isr = yield* this.dev.isr();
    if (!isr) return 'IRQ_NONE';
    yield* this.reclaimTx();
    for (let u = yield* this.rx.getUsed(); u; u = yield* this.rx.getUsed()) {
      const bytes = yield* this.dev.m.read(u.token, u.len);
      this.pool.free(u.token);
      if (this.iface && u.len > VIRTIO_NET_HDR_SIZE) yield* this.stack.receive(this.iface, bytes.slice(VIRTIO_NET_HDR_SIZE));
    }
    yield* this.fillRx();
    return 'IRQ_HANDLED';
  }
}
