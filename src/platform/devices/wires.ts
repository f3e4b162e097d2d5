/**
 * How a simulated device meets the machine: its interrupt output drives a line of the kernel
 * model's interrupt controller, and its register window is either I/O ports on the machine's bus
 * or device frames whose loads and stores reach the device instead of memory.
 */
import type { Frame, IOPortDevice, Machine } from '../../sel4';

/** A device's interrupt output (INTx#, an SPI wire): the device says whether it is requesting. */
export interface InterruptOutput {
  set(active: boolean): void;
}

/**
 * Connects an output to machine line `line`. Level: the line follows the request (asserted until
 * the driver clears the cause). Edge: each inactive→active transition is one edge, so a cause
 * that stays pending gives no second interrupt until it is cleared and raised again.
 */
export function machineLine(machine: Machine, line: number, trigger: 'level' | 'edge'): InterruptOutput {
  let active = false;
  return {
    set(next: boolean) {
      if (next === active) return;
      active = next;
      if (trigger === 'level') {
        if (next) machine.assertIRQ(line);
        else machine.deassertIRQ(line);
      } else if (next) machine.pulseIRQ(line);
    },
  };
}

/** An output that only counts, for models run without a kernel. */
export class RecordingOutput implements InterruptOutput {
  active = false;
  /** Inactive→active transitions so far. */
  raised = 0;
  set(next: boolean): void {
    if (next && !this.active) this.raised++;
    this.active = next;
  }
}

/** A memory-mapped register block: offsets from the start of the window. */
export interface MmioDevice {
  readonly name: string;
  /** Bytes the window decodes; reads beyond it return 0, writes are ignored. */
  readonly windowSize: number;
  mmioRead(offset: number, size: 1 | 2 | 4): number;
  mmioWrite(offset: number, size: 1 | 2 | 4, value: number): void;
}

/**
 * Makes device frames decode to the device: `frames[i]` covers window offsets from
 * `i * frame.size`. Every access path of a Frame (what a VSpace load/store or a byte copy uses)
 * is redirected, so a guest with the frames mapped talks to the device directly, as with real
 * passthrough. Returns a function that restores plain memory behaviour.
 */
export function attachMmio(device: MmioDevice, frames: readonly Frame[]): () => void {
  const saved: (() => void)[] = [];
  let base = 0;
  for (const f of frames) {
    const at = base;
    const inWin = (o: number, n: number) => at + o + n <= device.windowSize;
    const orig = { readU: f.readU, writeU: f.writeU, readByte: f.readByte, writeByte: f.writeByte, read: f.read, write: f.write };
    f.readU = (o, size) => (inWin(o, size) ? device.mmioRead(at + o, size) >>> 0 : 0);
    f.writeU = (o, size, v) => {
      if (inWin(o, size)) device.mmioWrite(at + o, size, v);
    };
    f.readByte = (o) => f.readU(o, 1);
    f.writeByte = (o, v) => f.writeU(o, 1, v);
    f.read = (o, out, outOffset = 0, len = out.length - outOffset) => {
      for (let i = 0; i < len; i++) out[outOffset + i] = f.readU(o + i, 1);
    };
    f.write = (o, data) => data.forEach((b, i) => f.writeU(o + i, 1, b));
    saved.push(() => Object.assign(f, orig));
    base += f.size;
  }
  return () => saved.forEach((s) => s());
}

/** Connects an I/O-port register block at [first, first + span) of the machine's port bus. */
export function attachPorts(machine: Machine, first: number, span: number, device: IOPortDevice): void {
  machine.attachIOPorts(first, first + span - 1, device);
}

/** Little-endian sub-word access to 32-bit registers, as PCI devices decode byte enables. */
export function readSub(reg: number, offset: number, size: 1 | 2 | 4): number {
  const shift = (offset & 3) * 8;
  const mask = size === 4 ? 0xffffffff : (1 << (size * 8)) - 1;
  return (reg >>> shift) & mask;
}
