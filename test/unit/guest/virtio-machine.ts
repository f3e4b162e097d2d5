/* eslint-disable require-yield -- machine operations are generators by contract; these complete at once. */
import type { Blocking } from '../../../src/sel4';
import type { GuestMachine } from '../../../src/vmm/guest-machine';
import { PciBus } from '../../../src/vmm/pci';
import { getLe, le, VirtioIoSpace, type VirtioMemory, type VirtioPciTransport } from '../../../src/vmm/virtio';
import { ChrdevTable } from '../../../src/guest/kernel/chrdev';
import { GuestKernel, type GuestStep } from '../../../src/guest/kernel/kernel';
import { Kmalloc, PageAllocator } from '../../../src/guest/kernel/mm';
import { pciScan } from '../../../src/guest/kernel/pci';
import { resetPids, spawnProcess } from '../../../src/guest/kernel/process';
import type { GuestSystem, ProgramMain } from '../../../src/guest/kernel/system';
import { ConsoleTty } from '../../../src/guest/kernel/tty';
import { newDir, OpenFile, O_RDWR, Vfs } from '../../../src/guest/kernel/vfs';
import { probeVirtio, type VirtioGuestDevices } from '../../../src/guest/virtio';

/** Virtual time shared by every machine of a test, with scheduled external events. */
export class World {
  time = 12_000_000_000;
  private seq = 0;
  private events: { at: number; seq: number; fn: () => void }[] = [];
  readonly machines: VirtioMachine[] = [];

  at(time: number, fn: () => void): void {
    this.events.push({ at: time, seq: this.seq++, fn });
    this.events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Runs every machine that can run, then advances time, until `until()` or nothing is left. */
  run(until: () => boolean = () => false, limitNs = 120e9): boolean {
    const end = this.time + limitNs;
    for (;;) {
      let progress = false;
      for (const m of this.machines) {
        if (m.canRun(this.time)) {
          m.step();
          progress = true;
        }
      }
      if (until()) return true;
      if (progress) continue;
      const next = Math.min(this.events[0]?.at ?? Infinity, ...this.machines.map((m) => m.deadline ?? Infinity));
      if (next === Infinity || next > end) return false;
      this.time = Math.max(this.time, next);
      while (this.events.length && this.events[0].at <= this.time) this.events.shift()!.fn();
    }
  }
}

/**
 * A GuestMachine whose PCI bus, I/O ports and interrupt lines are the real VMM-side pieces
 * (`PciBus`, `VirtioIoSpace`); RAM is a sparse byte store the devices reach through `memory`.
 * On Arm the I/O ports appear in the vPCI IO window at `ioWindow`.
 */
export class VirtioMachine implements GuestMachine {
  readonly wordBits = 32 as const;
  readonly ram = { base: 0, size: 64 * 1024 * 1024 };
  readonly cmdline = 'console=ttyS0 debug';
  readonly consoleIrq = 4;
  readonly bus = new PciBus();
  readonly io = new VirtioIoSpace();
  readonly bytes = new Map<number, Uint8Array>();
  output = '';
  deadline: number | null = null;
  /** Set when the test started a process: the idle CPU looks at its run queue again. */
  kicked = false;
  private readonly pending = new Set<number>();
  private readonly inService = new Set<number>();
  private gen: Blocking<void> | null = null;
  private started = false;
  readonly memory: VirtioMemory = {
    read: (pa, len) => (pa >= 0 && pa + len <= this.ram.size ? this.peek(pa, len) : null),
    write: (pa, b) => {
      if (pa < 0 || pa + b.length > this.ram.size) return false;
      this.poke(pa, b);
      return true;
    },
  };

  constructor(readonly world: World, readonly name: string, readonly arch: 'x86' | 'arm' = 'x86', readonly ioWindow = 0x3d000000) {
    world.machines.push(this);
  }

  now(): number {
    return this.world.time;
  }

  private page(pa: number): Uint8Array {
    const n = Math.floor(pa / 4096);
    let p = this.bytes.get(n);
    if (!p) {
      p = new Uint8Array(4096);
      this.bytes.set(n, p);
    }
    return p;
  }

  peek(pa: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = this.page(pa + i)[(pa + i) % 4096];
    return out;
  }

  poke(pa: number, b: Uint8Array): void {
    for (let i = 0; i < b.length; i++) this.page(pa + i)[(pa + i) % 4096] = b[i];
  }

  addDevice(t: VirtioPciTransport): number {
    this.io.add(t);
    return this.bus.add(t.def);
  }

  raise(line: number): void {
    this.pending.add(line);
  }

  private inIoWindow(pa: number): boolean {
    return this.arch === 'arm' && pa >= this.ioWindow && pa < this.ioWindow + 0x10000;
  }

  *read(pa: number, len: number): Blocking<Uint8Array> {
    if (this.inIoWindow(pa)) return le(len, this.io.read(pa - this.ioWindow, len as 1 | 2 | 4));
    return this.peek(pa, len);
  }

  *write(pa: number, b: Uint8Array): Blocking<void> {
    if (this.inIoWindow(pa)) this.io.write(pa - this.ioWindow, b.length as 1 | 2 | 4, getLe(b, 0, b.length));
    else this.poke(pa, b);
  }

  *read32(pa: number): Blocking<number> {
    return getLe(yield* this.read(pa, 4), 0, 4);
  }

  *write32(pa: number, v: number): Blocking<void> {
    yield* this.write(pa, le(4, v));
  }

  *vmcall(): Blocking<number> {
    throw new Error('no vmcall in these tests');
  }

  *ioIn(port: number, size: 1 | 2 | 4): Blocking<number> {
    if (this.arch !== 'x86') throw new Error('port I/O on Arm');
    return this.io.read(port, size);
  }

  *ioOut(port: number, size: 1 | 2 | 4, v: number): Blocking<void> {
    if (this.arch !== 'x86') throw new Error('port I/O on Arm');
    this.io.write(port, size, v);
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
  }

  private hasPending(): boolean {
    return [...this.pending].some((l) => !this.inService.has(l));
  }

  *idle(deadline: number | null): Blocking<void> {
    while (!this.kicked && !this.hasPending() && (deadline === null || this.world.time < deadline)) {
      this.deadline = deadline;
      yield;
    }
    this.deadline = null;
    this.kicked = false;
  }

  *pciConfigRead(device: number, fn: number, off: number, size: 1 | 2 | 4): Blocking<number> {
    return this.bus.configRead(0, device, fn, off, size);
  }

  *pciConfigWrite(device: number, fn: number, off: number, size: 1 | 2 | 4, v: number): Blocking<void> {
    this.bus.configWrite(0, device, fn, off, size, v);
  }

  *consoleWrite(b: Uint8Array): Blocking<void> {
    this.output += new TextDecoder().decode(b);
  }

  *consoleRead(): Blocking<Uint8Array> {
    return new Uint8Array(0);
  }

  boot(gen: Blocking<void>): void {
    this.gen = gen;
  }

  canRun(now: number): boolean {
    if (!this.gen) return false;
    if (!this.started) return true;
    return this.kicked || this.hasPending() || (this.deadline !== null && now >= this.deadline);
  }

  step(): void {
    this.started = true;
    const r = this.gen!.next();
    if (r.done) throw new Error(`${this.name}: guest stopped`);
  }
}

export interface MiniGuest {
  sys: GuestSystem | null;
  devices: VirtioGuestDevices | null;
  exits: { comm: string; status: number }[];
  /** Starts a program as a process with the console as stdin/stdout/stderr. */
  spawn(comm: string, main: ProgramMain, argv: string[]): void;
}

/**
 * A guest kernel without a rootfs: PCI scan, the virtio probe, then the scheduler. Programs are
 * started with `spawn` (pid 1 is an idle init so commands get ordinary pids).
 */
export function bootMiniGuest(m: VirtioMachine, opts: { pciIoBase?: number } = {}): MiniGuest {
  const g: MiniGuest = {
    sys: null, devices: null, exits: [],
    spawn(comm, main, argv) {
      const sys = g.sys!;
      const tty = new ConsoleTty(sys.k);
      const f = new OpenFile(tty.ops, '/dev/console', { kind: 'chr', major: 5, minor: 1 }, O_RDWR);
      spawnProcess(sys, null, comm, [f, f, f], (p) => main(p.libc, argv));
      m.kicked = true;
    },
  };
  m.boot((function* (): Blocking<void> {
    const k = new GuestKernel(m);
    const pciDevices = yield* pciScan(k);
    const devtmpfs = newDir();
    const vfs = new Vfs();
    vfs.root.children.set('dev', devtmpfs);
    const sys: GuestSystem = {
      k, vfs, devtmpfs, chrdev: new ChrdevTable(),
      mem: new Kmalloc(new PageAllocator(m.ram.base, m.ram.size)),
      programs: new Map(), modules: new Map(), pciDevices, uio: null, loaded: new Set(),
      hostname: 'buildroot', kernelVersion: '4.8.16', rootPassword: 'root',
      devNode: (name, major, minor) => devtmpfs.children.set(name, { kind: 'chr', major, minor }),
      notify: (e) => {
        if (e.kind === 'exit') g.exits.push({ comm: e.comm, status: e.status });
      },
    };
    g.sys = sys;
    resetPids();
    spawnProcess(sys, null, 'init', [], function* (): GuestStep<number> {
      for (;;) yield* k.sleep();
    });
    g.devices = yield* probeVirtio(sys, { pciIoBase: opts.pciIoBase ?? null });
    yield* k.run();
  })());
  return g;
}
