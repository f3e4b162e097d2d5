/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { ENODEV, SIGSEGV } from '../kernel/errno';
import { ProcessExit } from '../kernel/process';
import { KERN_EMERG, KERN_ERR, KERN_INFO } from '../kernel/printk';
import type { GuestSystem, KernelModule } from '../kernel/system';
import type { FileOps, IoctlArg } from '../kernel/vfs';
import { dataportIoctls, DATAPORT_CMD_SHARE, DATAPORT_VMCALL_HANDLER_TOKEN, MAX_NUM_DATAPORTS } from './ioctl';

/** camkes-vm-linux @1a4e6a0 connector-modules/dataport/dataport.c: BUF_SIZE / IOCTL_CMD_SIZE. */
const IOCTL_CMD_SIZE = 64;
const DEVICE_NAME = 'dataport';

interface Slot {
  allocated: boolean;
  size: number;
  paddr: number;
}

/**
 * kstrtoul_from_user(ptr, 64, 0): the first 64 bytes of the user buffer as a C string, parsed
 * with base detection (0x hex, leading 0 octal), one trailing newline allowed. Null on failure.
 */
export function kstrtoulFromUser(arg: IoctlArg, wordBits: number): number | null {
  if (typeof arg === 'number') return null;
  const bytes = arg.subarray(0, IOCTL_CMD_SIZE);
  const nul = bytes.indexOf(0);
  let s = new TextDecoder('latin1').decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
  if (s.endsWith('\n')) s = s.slice(0, -1);
  let digits = s;
  let base = 10;
  if (/^0[xX]/.test(s)) {
    base = 16;
    digits = s.slice(2);
  } else if (s.startsWith('0') && s.length > 1) {
    base = 8;
    digits = s.slice(1);
  }
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return null;
  const v = BigInt(base === 16 ? `0x${digits}` : base === 8 ? `0o${digits}` : digits);
  if (v >= 1n << BigInt(wordBits)) return null;
  return Number(v);
}

/** copy_to_user of a `%u` string plus its NUL; false when the destination is not a buffer. */
function copyDecimal(arg: IoctlArg, value: number): boolean {
  if (typeof arg === 'number') return false;
  const s = new TextEncoder().encode(`${value}\0`);
  if (s.length > arg.length) return false;
  arg.set(s);
  return true;
}

export const dataportModule: KernelModule = {
  name: DEVICE_NAME,
  *init(sys: GuestSystem) {
    const k = sys.k;
    const slots: Slot[] = Array.from({ length: MAX_NUM_DATAPORTS }, () => ({ allocated: false, size: 0, paddr: 0 }));
    const nr = dataportIoctls(k.machine.wordBits);
    const ops: FileOps = {
      *ioctl(f, _p, cmd, arg) {
        const minor = f.minor;
        if (cmd === nr.ALLOCATE) {
          const size = kstrtoulFromUser(arg, k.machine.wordBits);
          if (size === null) {
            k.printk(KERN_ERR, 'invalid dataport size');
            return -1;
          }
          if (minor >= MAX_NUM_DATAPORTS) {
            k.printk(KERN_ERR, 'failed to allocate dataport');
            return -1;
          }
          const slot = slots[minor];
          // "TODO vmcall to map the original frames back in": the old buffer is freed while shared.
          if (slot.allocated) sys.mem.kfree(slot.paddr);
          slot.allocated = true;
          slot.size = size;
          slot.paddr = sys.mem.kmalloc(size) ?? 0;
          yield* k.machine.vmcall({ eax: DATAPORT_VMCALL_HANDLER_TOKEN, ebx: DATAPORT_CMD_SHARE, ecx: minor, edx: slot.paddr, esi: size });
          return 0;
        }
        if (minor >= MAX_NUM_DATAPORTS) {
          k.printk(KERN_ERR, `failed to retrieve dataport with id ${minor}`);
          return -1;
        }
        const slot = slots[minor];
        if (!slot.allocated) {
          k.printk(KERN_ERR, `dataport ${minor} is not allocated`);
          return -1;
        }
        if (cmd === nr.GET_PADDR) return copyDecimal(arg, slot.paddr) ? 0 : -1;
        if (cmd === nr.GET_SIZE) return copyDecimal(arg, slot.size) ? 0 : -1;
        return 0;
      },
      *mmap(f, _p, vma) {
        const minor = f.minor;
        k.printk(KERN_INFO, `${DEVICE_NAME} received mmap for minor ${minor}\n`);
        if (minor >= MAX_NUM_DATAPORTS) {
          k.printk(KERN_ERR, `failed to retrieve dataport with id ${minor}`);
          return -ENODEV;
        }
        const slot = slots[minor];
        if (slot.size === 0) {
          // remap_pfn_range with size 0 hits BUG_ON(addr >= end) (mm/memory.c); the oops kills
          // the process. The source line is UNCONFIRMED for 4.8.16.
          k.printk(KERN_EMERG, 'kernel BUG at mm/memory.c:1815!\n');
          throw new ProcessExit(0, SIGSEGV);
        }
        // Always from the start of the dataport, for its full size: offset and length are ignored.
        vma.paddr = slot.paddr;
        vma.mappedLength = slot.size;
        return 0;
      },
    };
    const major = sys.chrdev.register(0, DEVICE_NAME, ops);
    k.printk(KERN_INFO, `${DEVICE_NAME} initialized with major number ${major}\n`);
    return 0;
  },
};
