import type { Platform } from '../../platform';
import type { Blocking } from '../../sel4';
import { EVENT_BAR } from '../crossvm/gen2';
import type { GuestMachine } from '../guest-machine';
import { armTestbed, type ArmTestbed, type TestbedConnection } from './testbed';

type Command = (m: GuestMachine) => Blocking<unknown>;

/** vm_cross_connector's two connections (reference §8.3): conn_0 emits `ready` and consumes `done`. */
export const VM_CROSS_CONNECTOR_CONNECTIONS: readonly TestbedConnection[] = [
  { name: 'conn_0', size: 4096, emit: true, consume: true },
  { name: 'conn_1', size: 4096, emit: false, consume: false },
];

/**
 * Drives an Arm VM at the register level for the lower-level generation-2 scenarios: each call
 * makes the guest perform one access (as `connection.ko` or a UIO user would) and runs the
 * system until it completes. Everything observed comes from the VMM, vGIC and vPCI models.
 */
export class Gen2Probe {
  readonly tb: ArmTestbed;
  private readonly queue: { cmd: Command; done: boolean; value?: unknown }[] = [];

  constructor(readonly platform: Platform, connections = VM_CROSS_CONNECTOR_CONNECTIONS) {
    const queue = this.queue;
    const machine = () => this.tb.vmm.machine;
    this.tb = armTestbed({
      platform,
      connections,
      guest: function* (m) {
        for (;;) {
          const next = queue.find((c) => !c.done);
          if (!next) {
            yield* machine().hold(1_000_000);
            continue;
          }
          next.value = yield* next.cmd(m);
          next.done = true;
        }
      },
    });
  }

  /** Runs the guest command to completion (bounded in virtual time); undefined if it never completes. */
  private run<T>(cmd: Command, limitNs = 1e9): { done: boolean; value: T } {
    const c: { cmd: Command; done: boolean; value?: unknown } = { cmd, done: false };
    this.queue.push(c);
    const k = this.tb.kernel;
    const end = k.now + limitNs;
    k.run({ until: () => c.done || k.now > end });
    return { done: c.done, value: c.value as T };
  }

  /** Guest-physical address of connection `i`'s event BAR, as the guest's PCI core reads BAR0. */
  eventBar(i: number): number {
    return this.run<number>(function* (m) {
      return ((yield* m.pciConfigRead(1 + i, 0, 0x10, 4)) & ~0xf) >>> 0;
    }).value;
  }

  pciRead(dev: number, offset: number, size: 1 | 2 | 4): number {
    return this.run<number>((m) => m.pciConfigRead(dev, 0, offset, size)).value;
  }

  /** BAR `bar` of device `dev` sized as the guest's PCI core does: all ones, read, restore. */
  barSize(dev: number, bar: number): number {
    const off = 0x10 + 4 * bar;
    return this.run<number>(function* (m) {
      const old = yield* m.pciConfigRead(dev, 0, off, 4);
      yield* m.pciConfigWrite(dev, 0, off, 4, 0xffffffff);
      const mask = yield* m.pciConfigRead(dev, 0, off, 4);
      yield* m.pciConfigWrite(dev, 0, off, 4, old);
      return ((~(mask & ~0xf) >>> 0) + 1) >>> 0;
    }).value;
  }

  write(conn: number, offset: number, size: 1 | 2 | 4, value: number): void {
    const at = this.eventBar(conn) + offset;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (value >>> (8 * i)) & 0xff;
    this.run((m) => m.write(at, bytes));
  }

  readRegister(conn: number, offset: number): number {
    const at = this.eventBar(conn) + offset;
    return this.run<number>((m) => m.read32(at)).value;
  }

  readName(conn: number): string {
    const at = this.eventBar(conn) + EVENT_BAR.NAME;
    const bytes = this.run<Uint8Array>((m) => m.read(at, 50)).value;
    const end = bytes.indexOf(0);
    return new TextDecoder('latin1').decode(end < 0 ? bytes : bytes.subarray(0, end));
  }

  /** As connection.ko's request_irq: the distributor on and the device's interrupt line enabled. */
  enableInterrupt(conn: number): number {
    const gicd = this.platform.gic!.distributor;
    return this.run<number>(function* (m) {
      const line = yield* m.pciConfigRead(1 + conn, 0, 0x3c, 1);
      yield* m.write32(gicd, 1);
      yield* m.write32(gicd + 0x100 + 4 * Math.floor(line / 32), 1 << line % 32);
      return line;
    }).value;
  }

  /** The guest waits (WFI) up to `ns` for an interrupt and acknowledges it: the line, or null. */
  takeInterrupt(ns = 1e8): number | null {
    return this.run<number | null>(function* (m) {
      const end = m.now() + ns;
      for (;;) {
        const irq = yield* m.acknowledgeInterrupt();
        if (irq !== null || m.now() >= end) return irq;
        yield* m.idle(end);
      }
    }).value;
  }

  endOfInterrupt(line: number): void {
    this.run((m) => m.endOfInterrupt(line));
  }

  /** Lets virtual time pass so that the native component and the VMM run. */
  settle(ns = 1e7): void {
    const k = this.tb.kernel;
    const end = k.now + ns;
    k.run({ until: () => k.now >= end });
  }

  /** The native component signals `done` (its seL4GlobalAsynch emit). */
  componentEmitsDone(): void {
    this.tb.emitDone();
    this.settle();
  }

  vmmLog(): string {
    return this.tb.text('vm0:vmm');
  }

  componentLog(): string {
    return this.tb.text('crossvm_init');
  }
}
