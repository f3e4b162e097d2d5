/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { EFAULT } from '../kernel/errno';
import { DEFAULT_MESSAGE_LEVEL, KERN_INFO } from '../kernel/printk';
import type { GuestSystem, KernelModule } from '../kernel/system';
import type { FileOps } from '../kernel/vfs';

/**
 * The CAmkES x86 VM tutorial's `poke` module (seed 002, "Adding a kernel module"), in its two
 * stages: `poke_hi` is poke.c as step 2 first writes it (the write handler printks `hi`) and
 * `poke` is the module after step 7 replaced that printk with `kvm_hypercall1(4, 0)`. Both
 * register the character device "poke" with a dynamic major, so the first of them loaded after
 * the kernel's built-in drivers gets 244, as the tutorial's `grep poke /proc/devices` shows.
 */
const DEVICE_NAME = 'poke';

/** The tutorial's hypercall token: "0..3 are taken by other hypercalls" (seed 002 step 7). */
export const POKE_HYPERCALL_TOKEN = 4;

/**
 * What the first version's write returns to user space. UNCONFIRMED, kept here alone: seed 002
 * quotes `return s;`, which Linux 4.8's vfs_write passes back unchanged (a successful one-byte
 * write, no shell message), yet the same step's transcript shows `hi` followed by
 * `-sh: write error: Bad address`: busybox echo reports the errno of a failed write(2), so the
 * module that produced the transcript returned -EFAULT. The hypercall version's transcript
 * (step 9) shows no error, consistent with its `return s;`. The model follows the transcripts,
 * the observed behaviour.
 */
export const POKE_HI_WRITE_RESULT = -EFAULT;

/** module_init: `register_chrdev(0, "poke", &fops)`, then the KERN_INFO line (seed: `%dn`, a lost `\n`). */
function pokeInit(write: NonNullable<FileOps['write']>) {
  return function* (sys: GuestSystem) {
    const major = sys.chrdev.register(0, DEVICE_NAME, { write });
    sys.k.printk(KERN_INFO, `${DEVICE_NAME} initialized with major number ${major}\n`);
    return 0;
  };
}

/** Step 2: `printk("hi\n"); // TODO replace with hypercall` (no level: the default message level). */
export const pokeHiModule: KernelModule = {
  name: 'poke_hi',
  init(sys) {
    return pokeInit(function* () {
      sys.k.printk(DEFAULT_MESSAGE_LEVEL, 'hi\n');
      return POKE_HI_WRITE_RESULT;
    })(sys);
  },
};

/**
 * Steps 7-9: `kvm_hypercall1(4, 0); return s;`. The VMM's `poke_handler` prints `POKE!!!` and
 * resumes the guest; without a handler for token 4 the vmcall is logged and skipped, and the
 * write succeeds all the same (the hypercall's result is not looked at).
 */
export const pokeModule: KernelModule = {
  name: 'poke',
  init(sys) {
    return pokeInit(function* (_f, _p, data) {
      yield* sys.k.machine.vmcall({ eax: POKE_HYPERCALL_TOKEN, ebx: 0 });
      return data.length;
    })(sys);
  },
};
