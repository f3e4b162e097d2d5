import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBuildrootGuest, type BuildrootGuest, type BuildrootGuestOptions } from '../../../src/guest';
import type { VmcallRegisters } from '../../../src/vmm/guest-machine';
import type { Blocking } from '../../../src/sel4';
import { ChrdevTable } from '../../../src/guest/kernel/chrdev';
import { GuestKernel } from '../../../src/guest/kernel/kernel';
import { Kmalloc, PageAllocator } from '../../../src/guest/kernel/mm';
import { resetPids } from '../../../src/guest/kernel/process';
import type { GuestSystem } from '../../../src/guest/kernel/system';
import { newDir, Vfs } from '../../../src/guest/kernel/vfs';
import { FakeMachine, Runner } from './fake-machine';

export const APPS = join(__dirname, '..', '..', '..', 'apps');
export const app = (p: string): string => readFileSync(join(APPS, p), 'utf8');

/**
 * Plays the Gen-1 VMM and the native components around a fake machine: SHARE remaps the guest
 * pages onto "component frames" (the fake's page store), INIT writes the magic through the VMM's
 * own view of the context page, ACK unlocks, EMIT calls the test's emit handler.
 */
export class Gen1Vmm {
  context: number | null = null;
  acks = 0;
  readonly emitted: number[] = [];
  readonly frames = new Map<number, Uint8Array[]>();
  onEmit: (id: number) => void = () => {};
  consumesHandler = true;

  constructor(readonly m: FakeMachine) {
    m.onVmcall = (r) => this.vmcall(r);
  }

  private vmcall(r: VmcallRegisters): void {
    if (r.eax === 1 && r.ebx === 1) {
      const frames: Uint8Array[] = [];
      for (let off = 0; off < (r.esi ?? 0); off += 4096) {
        const f = new Uint8Array(4096);
        frames.push(f);
        this.m.pages.set(Math.floor(((r.edx ?? 0) + off) / 4096), f);
      }
      this.frames.set(r.ecx ?? 0, frames);
    } else if (r.eax === 2 && r.ebx === 1 && this.consumesHandler) {
      this.context = r.ecx ?? 0;
      new DataView(this.m.page(this.context).buffer).setUint32((this.context % 4096) + 4, 42, true);
    } else if (r.eax === 2 && r.ebx === 2) this.acks++;
    else if (r.eax === 3 && r.ebx === 1) {
      this.emitted.push(r.ecx ?? 0);
      this.onEmit(r.ecx ?? 0);
    }
  }

  /** The component's frame contents of dataport `id` as a C string. */
  dataportString(id: number): string {
    const f = this.frames.get(id)![0];
    const nul = f.indexOf(0);
    return new TextDecoder().decode(f.subarray(0, nul < 0 ? f.length : nul));
  }

  writeDataport(id: number, text: string): void {
    const f = this.frames.get(id)![0];
    f.fill(0);
    f.set(new TextEncoder().encode(text));
  }

  /** A consumed event with `.id` reaches the guest: dropped before INIT, else id + IRQ 12. */
  consume(id: number): boolean {
    if (this.context === null) return false;
    new DataView(this.m.page(this.context).buffer).setUint32(this.context % 4096, id, true);
    this.m.raise(12);
    return true;
  }
}

export interface Booted {
  m: FakeMachine;
  r: Runner;
  guest: BuildrootGuest;
  /** Types a command at the prompt and returns the console output it produced. */
  run(cmd: string): string;
  /** Console output since the last call. */
  fresh(): string;
}

export function boot(opts: BuildrootGuestOptions, machine = new FakeMachine(), before?: (m: FakeMachine) => void, login = true): Booted {
  before?.(machine);
  const guest = createBuildrootGuest(opts);
  const r = new Runner(machine, guest);
  r.settle();
  let seen = 0;
  const fresh = (): string => {
    const out = machine.output.slice(seen);
    seen = machine.output.length;
    return out;
  };
  if (login) {
    r.typeLine('root');
    r.typeLine('root');
  }
  fresh();
  return {
    m: machine, r, guest, fresh,
    run(cmd: string) {
      r.typeLine(cmd);
      return fresh();
    },
  };
}

export const TUTORIAL_FILES = (): Map<string, string | { program: string }> => new Map<string, string | { program: string }>([
  ['/etc/init.d/S90camkes_init', app('crossvm_tutorial/camkes_init')],
  ['/usr/sbin/print_client', { program: 'print_client' }],
]);

/**
 * Plays the Gen-2 VMM: one PCI device per connection (event BAR read-only at stage 2, dataport
 * BAR), writes to the event BAR fault here: register 0 emits, register 4 stores the value.
 */
export class Gen2Vmm {
  readonly emitted: number[] = [];
  onEmit: (conn: number) => void = () => {};
  constructor(readonly m: FakeMachine, readonly conns: { name: string; size?: number }[], readonly irq: number, base = 0xa0000000) {
    conns.forEach((c, i) => {
      const size = c.size ?? 4096;
      const ev = base + i * 2 * size;
      m.pci.push({ device: i + 1, vendor: 0x1af4, deviceId: 0xa111, bars: [{ addr: ev, size }, { addr: ev + size, size }], irq });
      m.readOnly.add(Math.floor(ev / 4096));
      m.poke(ev + 8, new TextEncoder().encode(c.name));
    });
    m.onWriteFault = (paddr, bytes) => {
      const i = this.eventBars().findIndex((a) => paddr >= a && paddr < a + 4096);
      if (i < 0) return;
      const reg = (paddr - this.eventBars()[i]) & 0xff;
      if (reg === 0) {
        this.emitted.push(i);
        this.onEmit(i);
      } else if (reg === 4) m.poke(paddr, bytes);
    };
  }
  eventBars(): number[] {
    return this.m.pci.map((d) => d.bars[0].addr);
  }
  dataportBar(i: number): number {
    return this.m.pci[i].bars[1].addr;
  }
  /** consume_connection_event + inject: event register [1]++ then the shared IRQ. */
  consume(i: number): void {
    const reg = this.eventBars()[i] + 4;
    const v = new DataView(this.m.peek(reg, 4).buffer).getUint32(0, true);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v + 1, true);
    this.m.poke(reg, b);
    this.m.raise(this.irq);
  }
}

/** A bare guest kernel + system (no rootfs programs) for testing kernel pieces directly. */
export function miniSystem(m = new FakeMachine()): { m: FakeMachine; sys: GuestSystem; run: () => Blocking<void> } {
  const k = new GuestKernel(m);
  const chrdev = new ChrdevTable();
  const devtmpfs = newDir();
  const sys: GuestSystem = {
    k, vfs: new Vfs(), devtmpfs, chrdev,
    mem: new Kmalloc(new PageAllocator(m.ram.base, m.ram.size)),
    programs: new Map(), modules: new Map(), pciDevices: [], uio: null, loaded: new Set(),
    hostname: 'buildroot', kernelVersion: '4.8.16', rootPassword: 'root',
    devNode: (name, major, minor) => devtmpfs.children.set(name, { kind: 'chr', major, minor }),
    notify: () => {},
  };
  resetPids();
  return { m, sys, run: () => k.run() };
}
