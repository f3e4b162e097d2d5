import { done, FINISHED, type AccessFault, type Blocking, type Sys } from '../../sel4';
import type { GuestMachine, VmcallRegisters } from '../guest-machine';
import { hex, type FaultResolution } from './memory';
import { VMM_OP } from './trace';
import type { VmCore } from './vm';

/**
 * The part of `GuestMachine` every architecture shares: guest-physical memory through the VM's
 * EPT / stage-2 VSpace, with misses handled as VM exits; the lifecycle (a dead VM never runs guest
 * code again). Architecture VMMs (`x86/`, `arm/`) add the exits, the interrupt controller, the
 * console registers and PCI configuration access.
 */
export abstract class VcpuMachine implements GuestMachine {
  abstract readonly arch: 'x86' | 'arm';
  abstract readonly consoleIrq: number;
  readonly wordBits: 32 | 64;
  readonly cmdline: string;
  readonly name: string;
  private sysRef: Sys | null = null;

  constructor(readonly vm: VmCore) {
    this.wordBits = vm.o.wordBits;
    this.cmdline = vm.o.cmdline;
    this.name = vm.name;
  }

  get ram(): { readonly base: number; readonly size: number } {
    const r = this.vm.memory.ram;
    if (!r.length) return { base: 0, size: 0 };
    return { base: r[0].base, size: r[r.length - 1].base + r[r.length - 1].size - r[0].base };
  }

  /** The system calls of the thread the guest runs on (the x86 VMM thread / the Arm vCPU thread). */
  attach(sys: Sys): void {
    this.sysRef = sys;
  }

  protected get sys(): Sys {
    if (!this.sysRef) throw new Error(`${this.name}: guest machine used before its vCPU thread started`);
    return this.sysRef;
  }

  now(): number {
    return this.vm.kernel.now;
  }

  // --- Memory --------------------------------------------------------------------------------

  // Each access first tries the EPT / stage-2 mapping directly and, when it hits, completes
  // without a generator; a miss starts over in the exit loop (repeating the attempt changes nothing).

  read(paddr: number, length: number): Blocking<Uint8Array> {
    if (this.vm.alive) {
      const r = this.vm.memory.read(paddr, length);
      if (r instanceof Uint8Array) return done(r);
    }
    return this.readExiting(paddr, length);
  }

  private *readExiting(paddr: number, length: number): Blocking<Uint8Array> {
    for (;;) {
      yield* this.online();
      const r = this.vm.memory.read(paddr, length);
      if (r instanceof Uint8Array) return r;
      if (this.vm.memory.mmioAt(r.addr) && !isAccessSize(length)) return yield* this.bytewiseRead(paddr, length);
      const res = yield* this.memoryExit(r, isAccessSize(length) ? length : 1);
      if (res.kind === 'emulated') return le(res.value, length);
    }
  }

  write(paddr: number, bytes: Uint8Array): Blocking<void> {
    if (this.vm.alive && !this.vm.memory.write(paddr, bytes)) return FINISHED;
    return this.writeExiting(paddr, bytes);
  }

  private *writeExiting(paddr: number, bytes: Uint8Array): Blocking<void> {
    for (;;) {
      yield* this.online();
      const f = this.vm.memory.write(paddr, bytes);
      if (!f) return;
      if (this.vm.memory.mmioAt(f.addr) && !isAccessSize(bytes.length)) {
        for (let i = 0; i < bytes.length; i++) yield* this.store(paddr + i, 1, bytes[i]);
        return;
      }
      const size = isAccessSize(bytes.length) ? bytes.length : 1;
      const res = yield* this.memoryExit(f, size, size === bytes.length ? fromLe(bytes) : bytes[f.addr - paddr]);
      if (res.kind === 'emulated') return;
    }
  }

  read32(paddr: number): Blocking<number> {
    if (this.vm.alive) {
      const r = this.vm.memory.load(paddr, 4);
      if (typeof r === 'number') return done(r);
    }
    return this.load(paddr, 4);
  }

  write32(paddr: number, value: number): Blocking<void> {
    if (this.vm.alive && !this.vm.memory.store(paddr, 4, value)) return FINISHED;
    return this.store(paddr, 4, value);
  }

  protected *load(paddr: number, size: 1 | 2 | 4): Blocking<number> {
    for (;;) {
      yield* this.online();
      const r = this.vm.memory.load(paddr, size);
      if (typeof r === 'number') return r;
      const res = yield* this.memoryExit(r, size);
      if (res.kind === 'emulated') return res.value >>> 0;
    }
  }

  protected *store(paddr: number, size: 1 | 2 | 4, value: number): Blocking<void> {
    for (;;) {
      yield* this.online();
      const f = this.vm.memory.store(paddr, size, value);
      if (!f) return;
      const res = yield* this.memoryExit(f, size, value);
      if (res.kind === 'emulated') return;
    }
  }

  private *bytewiseRead(paddr: number, length: number): Blocking<Uint8Array> {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = yield* this.load(paddr + i, 1);
    return out;
  }

  /**
   * A guest access missed the EPT / stage-2 tables. Default (x86): the exit comes back to the VMM
   * thread, which is the vCPU, and is handled there; Arm overrides it with the fault IPC.
   */
  protected *memoryExit(f: AccessFault, size: 1 | 2 | 4, value = 0): Blocking<FaultResolution> {
    this.vm.tracer.event(VMM_OP.vmexit, this.exitName('memory'), hex(f.addr), f.kind);
    const r = this.vm.memory.resolve(f, size, value);
    if (r.kind === 'fatal') yield* this.fatal(r.reason);
    return r;
  }

  /** The exit reason name the architecture uses (`EPT_VIOLATION`, `VMCALL`...). */
  protected abstract exitName(kind: 'memory'): string;

  /**
   * Returns at once while the VM runs; once it died, blocks the guest forever. Not a generator
   * function: every exit passes here, and a live VM gets a finished generator instead of a new one.
   */
  protected online(): Blocking<void> {
    return this.vm.alive ? FINISHED : this.offline();
  }

  /** The VM dies with the architecture's fatal-error output; never returns. */
  protected *fatal(reason: string): Blocking<never> {
    this.vm.die(reason, this.fatalLines(reason));
    return yield* this.offline();
  }

  /** What the VMM prints when an exit handler fails (x86: VM_FATAL_ERROR and the context dump). */
  protected abstract fatalLines(reason: string): string[];

  /** The vCPU is offline: the guest never runs again (the VMM may still serve async events). */
  protected abstract offline(): Blocking<never>;

  // --- Architecture-specific ------------------------------------------------------------------

  abstract vmcall(regs: VmcallRegisters): Blocking<number>;
  abstract ioIn(port: number, size: 1 | 2 | 4): Blocking<number>;
  abstract ioOut(port: number, size: 1 | 2 | 4, value: number): Blocking<void>;
  abstract acknowledgeInterrupt(): Blocking<number | null>;
  abstract endOfInterrupt(line: number): Blocking<void>;
  abstract idle(deadline: number | null): Blocking<void>;
  abstract pciConfigRead(device: number, fn: number, offset: number, size: 1 | 2 | 4): Blocking<number>;
  abstract pciConfigWrite(device: number, fn: number, offset: number, size: 1 | 2 | 4, value: number): Blocking<void>;
  abstract consoleWrite(bytes: Uint8Array): Blocking<void>;
  abstract consoleRead(max: number): Blocking<Uint8Array>;
}

function isAccessSize(n: number): n is 1 | 2 | 4 {
  return n === 1 || n === 2 || n === 4;
}

function le(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, v = value >>> 0; i < length && i < 4; i++, v >>>= 8) out[i] = v & 0xff;
  return out;
}

function fromLe(bytes: Uint8Array): number {
  return bytes.reduceRight((v, b) => v * 256 + b, 0);
}
