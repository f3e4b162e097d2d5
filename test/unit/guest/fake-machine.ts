/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import type { Blocking } from '../../../src/sel4';
import type { GuestMachine, GuestOS, VmcallRegisters } from '../../../src/vmm/guest-machine';

const PAGE = 4096;

export interface FakePciDevice {
  readonly device: number;
  readonly vendor: number;
  readonly deviceId: number;
  /** BAR base addresses and sizes (memory, prefetchable). */
  readonly bars: { addr: number; size: number }[];
  readonly irq: number;
}

/**
 * A GuestMachine for unit tests: plain sparse RAM whose pages the test (playing the VMM) can
 * replace with its own frames, read-only pages whose writes go to a fault handler, a recording
 * vmcall handler, a fake interrupt controller, a console with a receive FIFO, and a PCI bus.
 * Machine calls complete at once; `idle` advances virtual time to the deadline or to the next
 * scheduled external event, and yields only when nothing at all is pending.
 */
export class FakeMachine implements GuestMachine {
  readonly arch: 'x86' | 'arm';
  readonly wordBits: 32 | 64;
  readonly ram = { base: 0, size: 64 * 1024 * 1024 };
  readonly cmdline: string;
  readonly name = 'vm0';
  readonly consoleIrq = 4;
  time = 0;
  readonly pages = new Map<number, Uint8Array>();
  readonly readOnly = new Set<number>();
  readonly vmcalls: VmcallRegisters[] = [];
  onVmcall: (regs: VmcallRegisters) => void = () => {};
  onWriteFault: (paddr: number, bytes: Uint8Array) => void = () => {};
  private readonly pending = new Set<number>();
  private readonly inService = new Set<number>();
  readonly eois: number[] = [];
  output = '';
  private readonly input: number[] = [];
  private readonly events: { at: number; fn: () => void }[] = [];
  pci: FakePciDevice[] = [];
  private readonly pciConfig = new Map<number, Uint8Array>();

  constructor(opts: { arch?: 'x86' | 'arm'; wordBits?: 32 | 64; cmdline?: string } = {}) {
    this.arch = opts.arch ?? 'x86';
    this.wordBits = opts.wordBits ?? 32;
    this.cmdline = opts.cmdline ?? 'console=ttyS0,115200 debug';
  }

  now(): number {
    return this.time;
  }

  page(paddr: number): Uint8Array {
    const n = Math.floor(paddr / PAGE);
    let p = this.pages.get(n);
    if (!p) {
      p = new Uint8Array(PAGE);
      this.pages.set(n, p);
    }
    return p;
  }

  peek(paddr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.page(paddr + i)[(paddr + i) % PAGE];
    return out;
  }

  poke(paddr: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.page(paddr + i)[(paddr + i) % PAGE] = bytes[i];
  }

  *read(paddr: number, length: number): Blocking<Uint8Array> {
    return this.peek(paddr, length);
  }

  *write(paddr: number, bytes: Uint8Array): Blocking<void> {
    if (this.readOnly.has(Math.floor(paddr / PAGE))) this.onWriteFault(paddr, bytes);
    else this.poke(paddr, bytes);
  }

  *read32(paddr: number): Blocking<number> {
    const b = yield* this.read(paddr, 4);
    return new DataView(b.buffer).getUint32(0, true);
  }

  *write32(paddr: number, value: number): Blocking<void> {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    yield* this.write(paddr, b);
  }

  *vmcall(regs: VmcallRegisters): Blocking<number> {
    this.vmcalls.push(regs);
    this.onVmcall(regs);
    return regs.eax;
  }

  *ioIn(): Blocking<number> {
    return 0xff;
  }

  *ioOut(): Blocking<void> {}

  raise(line: number): void {
    this.pending.add(line);
  }

  *acknowledgeInterrupt(): Blocking<number | null> {
    const lines = [...this.pending].filter((l) => !this.inService.has(l)).sort((a, b) => a - b);
    if (!lines.length) return null;
    this.pending.delete(lines[0]);
    this.inService.add(lines[0]);
    return lines[0];
  }

  *endOfInterrupt(line: number): Blocking<void> {
    this.inService.delete(line);
    this.eois.push(line);
    if (line === this.consoleIrq && this.input.length) this.pending.add(line);
  }

  /** Schedules an external event (the VMM or a component acting) at a virtual time. */
  at(time: number, fn: () => void): void {
    this.events.push({ at: time, fn });
    this.events.sort((a, b) => a.at - b.at);
  }

  *idle(deadline: number | null): Blocking<void> {
    for (;;) {
      if ([...this.pending].some((l) => !this.inService.has(l))) return;
      const ev = this.events[0];
      if (ev && (deadline === null || ev.at <= deadline)) {
        this.events.shift();
        this.time = Math.max(this.time, ev.at);
        ev.fn();
        continue;
      }
      if (deadline !== null) {
        this.time = Math.max(this.time, deadline);
        return;
      }
      yield;
    }
  }

  *pciConfigRead(device: number, fn: number, offset: number, size: 1 | 2 | 4): Blocking<number> {
    const cfg = this.config(device, fn);
    if (!cfg) return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + cfg[offset + i];
    return v;
  }

  *pciConfigWrite(device: number, fn: number, offset: number, size: 1 | 2 | 4, value: number): Blocking<void> {
    const cfg = this.config(device, fn);
    if (!cfg) return;
    const dev = this.pci.find((d) => d.device === device)!;
    if (offset >= 0x10 && offset < 0x28 && size === 4) {
      const bar = dev.bars[(offset - 0x10) / 4];
      // Sizing: the writable address bits are those above the BAR's size.
      const v = bar ? ((value >>> 0) & ~(bar.size - 1) & ~0xf) | 8 : 0;
      new DataView(cfg.buffer).setUint32(offset, v >>> 0, true);
      return;
    }
    for (let i = 0; i < size; i++) cfg[offset + i] = (value >>> (8 * i)) & 0xff;
  }

  private config(device: number, fn: number): Uint8Array | null {
    const dev = this.pci.find((d) => d.device === device);
    if (!dev || fn !== 0) return null;
    let cfg = this.pciConfig.get(device);
    if (!cfg) {
      cfg = new Uint8Array(256);
      const dv = new DataView(cfg.buffer);
      dv.setUint16(0, dev.vendor, true);
      dv.setUint16(2, dev.deviceId, true);
      dv.setUint32(8, (0x0500 << 16) | 1, true);
      dev.bars.forEach((b, i) => dv.setUint32(0x10 + 4 * i, (b.addr | 8) >>> 0, true));
      cfg[0x3c] = dev.irq;
      cfg[0x3d] = 1;
      this.pciConfig.set(device, cfg);
    }
    return cfg;
  }

  *consoleWrite(bytes: Uint8Array): Blocking<void> {
    this.output += new TextDecoder().decode(bytes);
  }

  *consoleRead(max: number): Blocking<Uint8Array> {
    return Uint8Array.from(this.input.splice(0, max));
  }

  /** The operator types at the serial console. */
  type(text: string): void {
    for (const b of new TextEncoder().encode(text)) this.input.push(b);
    this.raise(this.consoleIrq);
  }
}

/** Runs a guest OS on the fake machine; `settle` resumes it until it idles with nothing pending. */
export class Runner {
  private readonly gen: Blocking<void>;
  constructor(readonly m: FakeMachine, os: GuestOS) {
    this.gen = os.boot(m);
  }
  settle(): void {
    const r = this.gen.next();
    if (r.done) throw new Error('guest stopped');
  }
  /** Types a line after settling, then settles again. */
  typeLine(text: string): void {
    this.m.type(text + '\n');
    this.settle();
  }
}
