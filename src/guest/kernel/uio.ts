/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { EAGAIN, EINVAL, EIO, ENOSYS } from './errno';
import { WaitQueue, type IrqHandler, type GuestKernel } from './kernel';
import type { GuestSystem } from './system';
import { newDir, newFile, O_NONBLOCK, type FileOps } from './vfs';

/** MAX_UIO_MAPS in include/linux/uio_driver.h. */
export const MAX_UIO_MAPS = 5;

export interface UioMap {
  readonly addr: number;
  readonly size: number;
}

export class UioDevice {
  eventCount = 0;
  readonly wq: WaitQueue;
  constructor(k: GuestKernel, readonly minor: number, readonly name: string, readonly maps: readonly UioMap[], readonly irq: number) {
    this.wq = new WaitQueue(k);
  }
}

interface UioFile {
  readonly dev: UioDevice;
  /** listener->event_count: the count seen at open or at the last read. */
  seen: number;
}

/**
 * The UIO core (drivers/uio/uio.c): /dev/uioN, mmap offsets selecting maps, the per-device
 * event counter bumped when the driver's handler returns IRQ_HANDLED, and `read` of 4 bytes
 * returning the cumulative count once it differs from what this open file last saw.
 */
export class UioCore {
  readonly devices: UioDevice[] = [];
  readonly major: number;

  constructor(private readonly sys: GuestSystem) {
    this.major = sys.chrdev.register(0, 'uio', this.ops);
  }

  register(name: string, maps: readonly UioMap[], irq: number, flags: number, handler: IrqHandler): UioDevice | number {
    const k = this.sys.k;
    const dev = new UioDevice(k, this.devices.length, name, maps, irq);
    const r = k.requestIrq(irq, function* (line) {
      const ret = yield* handler(line);
      if (ret === 'IRQ_HANDLED') {
        dev.eventCount++;
        dev.wq.wakeUp();
      }
      return ret;
    }, flags, name, dev);
    if (r < 0) return r;
    this.devices.push(dev);
    this.sys.devNode(`uio${dev.minor}`, this.major, dev.minor);
    const dir = this.sys.vfs.mkdirs(`/sys/class/uio/uio${dev.minor}`);
    dir.children.set('name', newFile(`${name}\n`));
    dir.children.set('event', { ...newFile(''), generate: () => `${dev.eventCount}\n` });
    const mapsDir = newDir();
    dir.children.set('maps', mapsDir);
    maps.forEach((m, i) => {
      const d = newDir();
      d.children.set('addr', newFile(`0x${m.addr.toString(16).padStart(k.machine.wordBits / 4, '0')}\n`));
      d.children.set('size', newFile(`0x${m.size.toString(16).padStart(k.machine.wordBits / 4, '0')}\n`));
      d.children.set('offset', newFile('0x0\n'));
      mapsDir.children.set(`map${i}`, d);
    });
    return dev;
  }

  readonly ops: FileOps = {
    open: (f) => this.open(f),
    read: (f, _p, count) => this.read(f.priv as UioFile, f.flags, count),
      write: function* (_f, _p, bytes) {
      return bytes.length !== 4 ? -EINVAL : -ENOSYS;
    },
    poll: (f, table) => {
      const u = f.priv as UioFile;
      table?.push(u.dev.wq);
      return u.dev.eventCount !== u.seen ? 0x41 : 0;
    },
      mmap: function* (f, _p, vma) {
      const u = f.priv as UioFile;
      const mi = vma.pgoff < MAX_UIO_MAPS && u.dev.maps[vma.pgoff]?.size ? vma.pgoff : -1;
      if (mi < 0) return -EINVAL;
      const mem = u.dev.maps[mi];
      const actualPages = Math.ceil(((mem.addr % 4096) + mem.size) / 4096);
      if (vma.length / 4096 > actualPages) return -EINVAL;
      vma.paddr = mem.addr - (mem.addr % 4096);
      vma.mappedLength = vma.length;
      return 0;
    },
  };

  private *open(f: { minor: number; priv: unknown }): Generator<unknown, number, unknown> {
    const dev = this.devices[f.minor];
    if (!dev) return -19;
    f.priv = { dev, seen: dev.eventCount } satisfies UioFile;
    return 0;
  }

  private *read(u: UioFile, flags: number, count: number): Generator<unknown, Uint8Array | number, unknown> {
    if (!u.dev.irq) return -EIO;
    if (count !== 4) return -EINVAL;
    for (;;) {
      if (u.dev.eventCount !== u.seen) {
        u.seen = u.dev.eventCount;
        const out = new Uint8Array(4);
        new DataView(out.buffer).setInt32(0, u.seen, true);
        return out;
      }
      if (flags & O_NONBLOCK) return -EAGAIN;
      yield* this.sys.k.sleepOn([u.dev.wq], null);
    }
  }
}
