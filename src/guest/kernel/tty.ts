/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { EAGAIN, EINVAL } from './errno';
import { WaitQueue, type GuestKernel, type IrqReturn } from './kernel';
import { O_NONBLOCK, type FileOps } from './vfs';

export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const ICANON = 0o2;
export const ECHO = 0o10;

/**
 * The serial console tty (ttyS0, also /dev/console): the line discipline with canonical input,
 * echo, ICRNL and erase, fed from the console device's receive FIFO by its interrupt.
 * Output goes to the console device as written: the model has no ONLCR (UNCONFIRMED choice), so
 * the serial console's lines carry no `\r`.
 */
export class ConsoleTty {
  lflag = ICANON | ECHO;
  private line: number[] = [];
  /** Completed input: each entry is what one canonical read returns. */
  private ready: Uint8Array[] = [];
  readonly rq: WaitQueue;

  constructor(private readonly k: GuestKernel) {
    this.rq = new WaitQueue(k);
  }

  /** Echoes of the bytes received so far in this batch (n_tty's echo buffer). */
  private echoes: number[] = [];

  private echo(bytes: number[]): void {
    if (this.lflag & ECHO) for (const b of bytes) this.echoes.push(b);
  }

  /**
   * n_tty_receive_buf queues the echo of each byte and flush_echoes writes the queue once the
   * whole received buffer is processed: a batch of typed bytes goes out as one console write.
   */
  private flushEchoes(): void {
    if (!this.echoes.length) return;
    this.k.consoleWrite(Uint8Array.from(this.echoes));
    this.echoes.length = 0;
  }

  /** The receive interrupt: drain the FIFO through the line discipline. */
  *interrupt(): Generator<void, IrqReturn, unknown> {
    let any = false;
    for (;;) {
      const bytes = yield* this.k.machine.consoleRead(256);
      if (!bytes.length) break;
      any = true;
      for (const b of bytes) this.receive(b);
      this.flushEchoes();
    }
    return any ? 'IRQ_HANDLED' : 'IRQ_NONE';
  }

  /** One received byte through the line discipline (its echo waits for `flushEchoes`). */
  private receive(byte: number): void {
    const c = byte === 13 ? 10 : byte;
    if (!(this.lflag & ICANON)) {
      this.ready.push(Uint8Array.of(c));
      this.echo([c]);
      this.rq.wakeUp();
      return;
    }
    if (c === 0x7f || c === 0x08) {
      if (this.line.length) {
        this.line.pop();
        this.echo([8, 32, 8]);
      }
      return;
    }
    if (c === 4) {
      this.ready.push(Uint8Array.from(this.line));
      this.line = [];
      this.rq.wakeUp();
      return;
    }
    this.line.push(c);
    this.echo([c]);
    if (c === 10) {
      this.ready.push(Uint8Array.from(this.line));
      this.line = [];
      this.rq.wakeUp();
    }
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

  private *read(flags: number, count: number): Generator<unknown, Uint8Array | number, unknown> {
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

  private *write(bytes: Uint8Array): Generator<unknown, number, unknown> {
    this.k.consoleWrite(bytes.slice());
    return bytes.length;
  }

  private *ioctl(cmd: number, arg: number | Uint8Array): Generator<unknown, number, unknown> {
    if (cmd === TCGETS) return this.lflag;
    if (cmd === TCSETS && typeof arg === 'number') {
      this.lflag = arg;
      return 0;
    }
    return -EINVAL;
  }
}
