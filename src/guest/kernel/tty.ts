/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { EAGAIN, EINVAL } from './errno';
import { WaitQueue, type GuestKernel, type GuestStep, type IrqReturn } from './kernel';
import { O_NONBLOCK, type FileOps } from './vfs';

export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const ICANON = 0o2;
export const ECHO = 0o10;

/**
 * n_tty, the line discipline of every tty here (the serial console and hvc0): canonical input
 * with echo, ICRNL, erase and ^D, or raw bytes when ICANON is off. Echoes go to the tty's own
 * output, written once per received batch (n_tty queues them in its echo buffer and
 * `flush_echoes` writes them when the whole received buffer is processed).
 */
export class LineDiscipline {
  lflag = ICANON | ECHO;
  private line: number[] = [];
  /** Completed input: each entry is what one canonical read returns. */
  private ready: Uint8Array[] = [];
  /** Echoes of the bytes received so far in this batch (n_tty's echo buffer). */
  private readonly echoes: number[] = [];
  readonly rq: WaitQueue;

  constructor(
    private readonly k: GuestKernel,
    /** The tty's output (the console device, the hvc transmit queue). */
    private readonly output: (bytes: Uint8Array) => void,
  ) {
    this.rq = new WaitQueue(k);
  }

  /** n_tty_receive_buf: one received batch through the discipline, then its echoes. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) this.receiveByte(b);
    if (!this.echoes.length) return;
    this.output(Uint8Array.from(this.echoes));
    this.echoes.length = 0;
  }

  private echo(bytes: number[]): void {
    if (this.lflag & ECHO) for (const b of bytes) this.echoes.push(b);
  }

  private receiveByte(byte: number): void {
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
    if (c === 4 || c === 10) {
      if (c === 10) {
        this.line.push(c);
        this.echo([c]);
      }
      this.ready.push(Uint8Array.from(this.line));
      this.line = [];
      this.rq.wakeUp();
      return;
    }
    this.line.push(c);
    this.echo([c]);
  }

  /** The tty's file operations; `write` is the driver's output path. */
  fileOps(write: (bytes: Uint8Array) => GuestStep<number>): FileOps {
    return {
      read: (f, _p, count) => this.read(f.flags, count),
      write: (_f, _p, bytes) => write(bytes),
      ioctl: (_f, _p, cmd, arg) => this.ioctl(cmd, arg),
      poll: (_f, table) => {
        table?.push(this.rq);
        return (this.ready.length ? 0x41 : 0) | 0x4;
      },
    };
  }

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

  private *ioctl(cmd: number, arg: number | Uint8Array): GuestStep<number> {
    if (cmd === TCGETS) return this.lflag;
    if (cmd === TCSETS && typeof arg === 'number') {
      this.lflag = arg;
      return 0;
    }
    return -EINVAL;
  }
}

/**
 * The serial console tty (ttyS0, also /dev/console), fed from the console device's receive FIFO
 * by its interrupt. Output goes to the console device as written: the model has no ONLCR
 * (UNCONFIRMED choice), so the serial console's lines carry no `\r`.
 */
export class ConsoleTty {
  private readonly ldisc: LineDiscipline;
  readonly ops: FileOps;

  constructor(private readonly k: GuestKernel) {
    this.ldisc = new LineDiscipline(k, (bytes) => k.consoleWrite(bytes));
    this.ops = this.ldisc.fileOps((bytes) => this.write(bytes));
  }

  /** The receive interrupt: drain the FIFO through the line discipline. */
  *interrupt(): Generator<void, IrqReturn, unknown> {
    let any = false;
    for (;;) {
      const bytes = yield* this.k.machine.consoleRead(256);
      if (!bytes.length) break;
      any = true;
      this.ldisc.receive(bytes);
    }
    return any ? 'IRQ_HANDLED' : 'IRQ_NONE';
  }

  private *write(bytes: Uint8Array): GuestStep<number> {
    this.k.consoleWrite(bytes.slice());
    return bytes.length;
  }
}
