import type { Blocking } from '../../sel4';
import { CONSOLE_RXQ, CONSOLE_TXQ } from '../../vmm/virtio/layout';
import type { GuestKernel, GuestStep, IrqReturn } from '../kernel/kernel';
import { LineDiscipline } from '../kernel/tty';
import type { FileOps } from '../kernel/vfs';
import type { DmaPool } from './net';
import type { VirtioPciDevice } from './pci';
import type { DriverVirtqueue } from './virtqueue';

/** HVC_MAJOR (drivers/tty/hvc/hvc_console.c): /dev/hvc0 is 229:0. */
export const HVC_MAJOR = 229;
/** Linux posts PAGE_SIZE receive buffers on the port's in_vq. */
const RX_BUF = 4096;
const RX_POSTED = 4;
/** hvc writes go out in chunks of at most this many bytes (N_OUTBUF). */
const TX_CHUNK = 16;

/**
 * drivers/char/virtio_console.c (single port, no MULTIPORT) with the hvc tty on top: /dev/hvc0,
 * with the same n_tty `LineDiscipline` as the serial console and output through the transmit
 * queue. Received bytes come in through the interrupt.
 */
export class VirtioConsoleDriver {
  private readonly outQueue: number[] = [];
  /** The hvc tty's n_tty: echoes go out through hvc0 itself. */
  private readonly ldisc: LineDiscipline;
  readonly ops: FileOps;

  private constructor(
    private readonly k: GuestKernel,
    private readonly dev: VirtioPciDevice,
    private readonly pool: DmaPool,
    private readonly rx: DriverVirtqueue<number>,
    private readonly tx: DriverVirtqueue<number>,
  ) {
    this.ldisc = new LineDiscipline(k, (bytes) => this.queueOutput(bytes));
    this.ops = this.ldisc.fileOps((bytes) => this.write(bytes));
  }

  static *probe(k: GuestKernel, dev: VirtioPciDevice, pool: DmaPool): Blocking<VirtioConsoleDriver | null> {
    yield* dev.begin([]);
    const rx = yield* dev.setupQueue<number>(CONSOLE_RXQ, pool.alloc);
    const tx = yield* dev.setupQueue<number>(CONSOLE_TXQ, pool.alloc);
    if (!rx || !tx) {
      yield* dev.failed();
      return null;
    }
    const d = new VirtioConsoleDriver(k, dev, pool, rx, tx);
    yield* dev.driverOk();
    yield* d.fillRx();
    return d;
  }

  private *fillRx(): Blocking<void> {
    if (yield* this.rx.postReceiveBuffers(this.pool, RX_BUF, RX_POSTED)) yield* this.dev.kick(this.rx);
  }

  /** Queues bytes for hvc0 (also the kernel console when `console=hvc0`); `flush` sends them. */
  queueOutput(bytes: Uint8Array): void {
    for (const b of bytes) this.outQueue.push(b);
  }

  /** put_chars: the queued bytes into the transmit queue, one buffer per chunk, then a kick. */
  *flush(): Blocking<void> {
    yield* this.reclaimTx();
    let added = false;
    while (this.outQueue.length && this.tx.free > 0) {
      const chunk = Uint8Array.from(this.outQueue.slice(0, TX_CHUNK));
      const buf = this.pool.alloc(chunk.length);
      if (buf === null) break;
      yield* this.dev.m.write(buf, chunk);
      if (!(yield* this.tx.add([{ addr: buf, len: chunk.length, write: false }], buf))) {
        this.pool.free(buf);
        break;
      }
      this.outQueue.splice(0, chunk.length);
      added = true;
    }
    if (added) yield* this.dev.kick(this.tx);
  }

  private *reclaimTx(): Blocking<void> {
    for (let u = yield* this.tx.getUsed(); u; u = yield* this.tx.getUsed()) this.pool.free(u.token);
  }

  *interrupt(): Blocking<IrqReturn> {
    const isr = yield* this.dev.isr();
    if (!isr) return 'IRQ_NONE';
    yield* this.reclaimTx();
    for (let u = yield* this.rx.getUsed(); u; u = yield* this.rx.getUsed()) {
      const bytes = yield* this.dev.m.read(u.token, u.len);
      this.pool.free(u.token);
      this.ldisc.receive(bytes);
    }
    yield* this.fillRx();
    yield* this.flush();
    return 'IRQ_HANDLED';
  }

  private *write(bytes: Uint8Array): GuestStep<number> {
    this.queueOutput(bytes);
    yield* this.flush();
    return bytes.length;
  }
}
