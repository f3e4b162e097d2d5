import type { Blocking } from '../../sel4';
import type { GuestMachine } from '../../vmm/guest-machine';
import type { VirtioConsoleDriver } from './console';

/** Whether the kernel command line makes hvc0 the console (`console=hvc0`, the last console= wins). */
export function consoleIsHvc(cmdline: string): boolean {
  const all = [...cmdline.matchAll(/(?:^|\s)console=([^\s,]+)/g)].map((m) => m[1]);
  return all.length > 0 && all[all.length - 1] === 'hvc0';
}

/**
 * `console=hvc0`: the kernel's console output goes to the virtio console instead of the board's
 * UART. Until virtio_console registers hvc0 the records stay in the log buffer and are replayed
 * when it registers, as Linux does for a console named on the command line; afterwards every
 * console write is put on hvc0's transmit queue. Everything else is the machine's own.
 */
export class HvcConsole {
  private driver: VirtioConsoleDriver | null = null;
  private readonly early: Uint8Array[] = [];
  readonly machine: GuestMachine;

  constructor(private readonly base: GuestMachine) {
    // Methods are bound once: the guest calls read/write on every memory access.
    const bound = new Map<PropertyKey, unknown>();
    const write = (bytes: Uint8Array) => this.write(bytes);
    this.machine = new Proxy(base, {
      get(t, p) {
        if (p === 'consoleWrite') return write;
        const v: unknown = Reflect.get(t, p, t);
        if (typeof v !== 'function') return v;
        let b = bound.get(p);
        if (!b) bound.set(p, (b = (v as (...a: unknown[]) => unknown).bind(t)));
        return b;
      },
    });
  }

  get registered(): boolean {
    return this.driver !== null;
  }

  private *write(bytes: Uint8Array): Blocking<void> {
    if (!this.driver) {
      this.early.push(bytes.slice());
      return;
    }
    this.driver.queueOutput(bytes);
    yield* this.driver.flush();
  }

  /** register_console(hvc0): replays what the kernel printed so far. */
  *register(driver: VirtioConsoleDriver): Blocking<void> {
    this.driver = driver;
    for (const b of this.early.splice(0)) driver.queueOutput(b);
    yield* driver.flush();
  }

  /** The UART the machine had (for messages about the console itself). */
  get uart(): GuestMachine {
    return this.base;
  }
}
