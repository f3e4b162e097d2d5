/**
 * The serial output every part of a system prints to (guest console bytes through the VMM's
 * serial emulation, VMM `printf`/`ZF_LOG*`, native components' `printf`), one stream as on
 * hardware. The CAmkES runtime and the system builder provide the implementation; the VMM only
 * needs to write to it.
 */
export interface SerialSink {
  /** `text` as written by `source` (`vm0` for guest console bytes, `vm0:vmm` for the VMM). */
  write(source: string, text: string): void;
}

/**
 * The VMM's console device as the guest sees it: a transmit path to the serial output and a
 * receive FIFO filled by whoever types at the console. Arch code wraps it in the register
 * interface (x86 COM1 8250, Arm virtual UART) and raises the console IRQ when `onInput` fires.
 */
export class ConsoleDevice {
  private fifo: number[] = [];
  private head = 0;
  /** Called after bytes arrive (the arch device raises its interrupt line). */
  onInput: () => void = () => undefined;

  constructor(
    private readonly sink: SerialSink,
    /** Source name for guest output, e.g. `vm0`. */
    readonly source: string,
  ) {}

  transmit(bytes: Uint8Array): void {
    if (bytes.length) this.sink.write(this.source, latin1(bytes));
  }

  /** Bytes typed at the console for this guest. */
  input(text: string): void {
    for (let i = 0; i < text.length; i++) this.fifo.push(text.charCodeAt(i) & 0xff);
    this.onInput();
  }

  get pending(): number {
    return this.fifo.length - this.head;
  }

  receive(max: number): Uint8Array {
    const n = Math.max(0, Math.min(max, this.pending));
    const out = Uint8Array.from(this.fifo.slice(this.head, this.head + n));
    this.head += n;
    if (this.head === this.fifo.length) {
      this.fifo = [];
      this.head = 0;
    }
    return out;
  }
}

export function latin1(bytes: Uint8Array): string {
  // Short writes (an echoed keystroke, a short line) without a view; longer ones decoded natively.
  if (bytes.length === 1) return String.fromCharCode(bytes[0]);
  if (bytes.length <= 16) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}
