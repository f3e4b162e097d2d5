/* eslint-disable require-yield -- file operations are generators by contract; several complete without blocking. */
import type { Blocking } from '../../sel4';
import { CONSOLE_RXQ, CONSOLE_TXQ } from '../../vmm/virtio/layout';
import { EAGAIN, EINVAL } from '../kernel/errno';
import { WaitQueue, type GuestKernel, type GuestStep, type IrqReturn } from '../kernel/kernel';
import { ECHO, ICANON, TCGETS, TCSETS } from '../kernel/tty';
import { O_NONBLOCK, type FileOps } from '../kernel/vfs';
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
 * canonical input with echo (like the serial console's line discipline), output through the
 * transmit queue. Received bytes come in through the interrupt.
 */
export class VirtioConsoleDriver {
  lflag = ICANON | ECHO;
  private line: number[] = [];
  private ready: Uint8Array[] = [];
  private readonly outQueue: number[] = [];
  readonly rq: WaitQueue;

  private constructor(
    private readonly k: GuestKernel,
    private readonly dev: VirtioPciDevice,
    private readonly pool: DmaPool,
    private readonly rx: DriverVirtqueue<number>,
    private readonly tx: DriverVirtqueue<number>,
  ) {
    this.rq = new WaitQueue(k);
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
    let added = false;
    while (this.rx.free > 0 && this.rx.free > this.rx.layout.num - RX_POSTED) {
      const buf = this.pool.alloc(RX_BUF);
      if (buf === null) break;
      if (!(yield* this.rx.add([{ addr: buf, len: RX_BUF, write: true }], buf))) {
        this.pool.free(buf);
        break;
      }
      added = true;
    }
    if (added) yield* this.dev.kick(this.rx);
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
      for (const b of bytes) this.receive(b);
    }
    yield* this.fillRx();
    yield* this.flush();
    return 'IRQ_HANDLED';
  }

  /** n_tty: ICRNL, erase, ^D, echo through hvc0 itself. */
  private receive(byte: number): void {
    const c = byte === 13 ? 10 : byte;
    const echo = (b: number[]) => {
      if (this.lflag & ECHO) this.queueOutput(Uint8Array.from(b));
    };
    if (!(this.lflag & ICANON)) {
      this.ready.push(Uint8Array.of(c));
      echo([c]);
      this.rq.wakeUp();
      return;
    }
    if (c === 0x7f || c === 0x08) {
      if (this.line.length) {
        this.line.pop();
        echo([8, 32, 8]);
      }
      return;
    }
    if (c === 4 || c === 10) {
      if (c === 10) {
        this.line.push(c);
        echo([c]);
      }
      this.ready.push(Uint8Array.from(this.line));
      this.line = [];
      this.rq.wakeUp();
      return;
    }
    this.line.push(c);
    echo([c]);
  }

  readonly ops: FileOps = {
    read: (f, _p, count) => this.read(f.flags, count),
    write: (_f, _p, bytes) => this.write(bytes),
    ioctl: (_f, _p, cmd, arg) => this.ioctl(cmd, arg),
    poll: (_f, table) => {
      table?.push(this.rq);
      return (this.ready.length ? 0x41 : 0) | 0x4;
    },
  };

  private *read(flags: number, count: number): GuestStep<Uint8Array | number> {
    while (!this.ready.length) {
      if (flags & O_NONBLOCK) return -EAGAIN;
      yield* this.k.sleepOn([this.rq], null);
    }
    const head = this.ready[0];
    const out = head.slice(0, count);
    if (out.length === head.length) this.ready.shift();
    else this.ready[0] = head.slice(count);
    return out;
  }

  private *write(bytes: Uint8Array): GuestStep<number> {
    this.queueOutput(bytes);
    yield* this.flush();
    return bytes.length;
  }

  private *ioctl(cmd: number, arg: number | Uint8Array): GuestStep<number> {
    if (cmd === TCGETS) return this.lflag;
    if (cmd === TCSETS && typeof arg === 'number') {
      this.lflag = arg;
      return 0;
    }
    return -EINVAL;
  }
}
