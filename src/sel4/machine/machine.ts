import type { KernelCore } from '../kernel/core';
import { pulseLine, setLine, type IRQTable } from '../object/irq';
import type { IOPortDevice } from '../object/ioport';
import { KernelUsageError } from '../api/errors';

/**
 * The hardware side that device models drive: interrupt lines into the interrupt controller
 * and, on x86, the I/O port bus. Calls are made from timer callbacks (`kernel.at`) or threads.
 */
export class Machine {
  private readonly ports: { first: number; last: number; device: IOPortDevice }[] = [];

  constructor(
    private readonly k: KernelCore,
    private readonly irqs: IRQTable,
  ) {}

  private line(line: number) {
    if (!this.irqs.has(line)) throw new KernelUsageError(`IRQ line ${line} does not exist on ${this.k.cfg.arch} (0..${this.k.cfg.irqLines - 1})`);
    return this.irqs.get(line);
  }

  /** Level-triggered source raises its line (fires on the rising edge and again after each Ack while high). */
  assertIRQ(line: number): void {
    setLine(this.k, this.line(line), true);
  }

  deassertIRQ(line: number): void {
    setLine(this.k, this.line(line), false);
  }

  /** Edge-triggered source: one edge; edges while the kernel has the line masked coalesce into one. */
  pulseIRQ(line: number): void {
    pulseLine(this.k, this.line(line));
  }

  /** Connects a device model to the ports [first, last]. */
  attachIOPorts(first: number, last: number, device: IOPortDevice): void {
    this.ports.push({ first, last, device });
  }

  /** A port no device decodes reads as all ones, as an undriven ISA bus does. */
  ioIn(port: number, size: 1 | 2 | 4): number {
    const d = this.ports.find((p) => port >= p.first && port <= p.last);
    return d ? d.device.in(port, size) >>> 0 : size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
  }

  ioOut(port: number, size: 1 | 2 | 4, value: number): void {
    const d = this.ports.find((p) => port >= p.first && port <= p.last);
    if (d) d.device.out(port, size, value);
  }
}
