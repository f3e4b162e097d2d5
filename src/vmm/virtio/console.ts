import { CONSOLE_RXQ, CONSOLE_TXQ, PCI_CLASS_COMMUNICATION_OTHER, VIRTIO_ID_CONSOLE, VIRTIO_PCI_DEVICE_CONSOLE } from './layout';
import type { VirtioBackend, VirtioPciTransport } from './transport';

/**
 * The virtio-console device (VMM side), single port (hvc0, no MULTIPORT): what the guest writes
 * to the transmit queue goes to `output` (the serial server's client interface), and what the
 * serial server sends (`input`) fills the receive buffers the driver posted; bytes that find no
 * buffer wait until the driver posts one (a console must not lose typed input).
 */
export class VirtioConsoleBackend implements VirtioBackend {
  readonly kind = 'virtio-console';
  readonly deviceType = VIRTIO_ID_CONSOLE;
  readonly pciDeviceId = VIRTIO_PCI_DEVICE_CONSOLE;
  readonly classCode = PCI_CLASS_COMMUNICATION_OTHER;
  readonly numQueues = 2;
  readonly hostFeatures = 0;
  private t: VirtioPciTransport | null = null;
  private pendingInput: number[] = [];

  constructor(private readonly output: (bytes: Uint8Array) => void) {}

  attach(t: VirtioPciTransport): void {
    this.t = t;
  }

  configRead(): number {
    return 0;
  }

  reset(): void {}

  /** Bytes waiting for a receive buffer. */
  get pending(): number {
    return this.pendingInput.length;
  }

  kick(q: number): void {
    if (q === CONSOLE_TXQ || q === -1) this.transmit();
    if (q === CONSOLE_RXQ || q === -1) this.deliver();
  }

  /** Input from the serial server (typed at the console, routed to this VM). */
  input(bytes: Uint8Array | string): void {
    const b = typeof bytes === 'string' ? Uint8Array.from(bytes, (c) => c.charCodeAt(0) & 0xff) : bytes;
    for (const x of b) this.pendingInput.push(x);
    this.deliver();
  }

  private transmit(): void {
    const t = this.t!;
    let any = false;
    for (let c = t.pop(CONSOLE_TXQ); c; c = t.pop(CONSOLE_TXQ)) {
      const bytes = t.queue(CONSOLE_TXQ)!.gather(c);
      if (bytes && bytes.length) this.output(bytes);
      t.queue(CONSOLE_TXQ)!.push(c.head, 0);
      any = true;
    }
    if (any) t.usedBuffers(CONSOLE_TXQ);
  }

  private deliver(): void {
    const t = this.t;
    if (!t || !t.driverOk || !this.pendingInput.length) return;
    let any = false;
    while (this.pendingInput.length) {
      const c = t.pop(CONSOLE_RXQ);
      if (!c) break;
      const vq = t.queue(CONSOLE_RXQ)!;
      const n = vq.scatter(c, Uint8Array.from(this.pendingInput));
      this.pendingInput = this.pendingInput.slice(n);
      vq.push(c.head, n);
      any = true;
    }
    if (any) t.usedBuffers(CONSOLE_RXQ);
  }
}
