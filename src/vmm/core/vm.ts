import type { Kernel } from '../../sel4';
import type { GuestMemory } from './memory';
import type { ConsoleDevice, SerialSink } from './serial';
import { VMM_OP, type VmmTracer } from './trace';

/** Whether the guest can still run. A dead VM never runs guest code again. */
export type VmState = { readonly kind: 'running' } | { readonly kind: 'dead'; readonly reason: string; readonly time: number };

export interface VmCoreOptions {
  /** `vm0`. */
  readonly name: string;
  readonly arch: 'x86' | 'arm';
  readonly wordBits: 32 | 64;
  readonly cmdline: string;
  readonly kernel: Kernel;
  readonly memory: GuestMemory;
  readonly console: ConsoleDevice;
  readonly serial: SerialSink;
  readonly tracer: VmmTracer;
}

/**
 * What every VMM has for one VM, whatever the architecture: the guest-physical memory map, the
 * console device, the serial output for the VMM's own messages, the trace, and the lifecycle.
 */
export class VmCore {
  private st: VmState = { kind: 'running' };
  /** Called once when the VM dies (the system builder records the outcome). */
  onDeath: (s: Extract<VmState, { kind: 'dead' }>) => void = () => undefined;

  constructor(readonly o: VmCoreOptions) {}

  get name(): string {
    return this.o.name;
  }
  get kernel(): Kernel {
    return this.o.kernel;
  }
  get memory(): GuestMemory {
    return this.o.memory;
  }
  get console(): ConsoleDevice {
    return this.o.console;
  }
  get tracer(): VmmTracer {
    return this.o.tracer;
  }
  get state(): VmState {
    return this.st;
  }
  get alive(): boolean {
    return this.st.kind === 'running';
  }
  /** Source name of the VMM's own output on the serial console. */
  get vmmSource(): string {
    return `${this.o.name}:vmm`;
  }

  /** The VMM's `printf`: text to the serial output as written (include the newline). */
  printf(text: string): void {
    this.o.serial.write(this.vmmSource, text);
  }

  /**
   * The VM dies: the lines the VMM prints (each gets a newline), then the vCPU goes offline.
   * Later calls change nothing (upstream prints once: the vCPU never runs again).
   */
  die(reason: string, lines: readonly string[]): void {
    if (this.st.kind === 'dead') return;
    for (const l of lines) this.printf(l + '\n');
    const dead = { kind: 'dead' as const, reason, time: this.o.kernel.now };
    this.st = dead;
    this.o.tracer.event(VMM_OP.fatal, this.o.name, reason, 'vcpu offline');
    this.onDeath(dead);
  }
}
