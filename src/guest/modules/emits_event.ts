/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { done, doneValue, NOT_DONE, type Blocking } from '../../sel4';
import { KERN_ERR, KERN_INFO } from '../kernel/printk';
import type { GuestSystem, KernelModule } from '../kernel/system';
import type { FileOps } from '../kernel/vfs';
import { EMITS_EVENT_EMIT, EVENT_CMD_EMIT, EVENT_VMCALL_GUEST_TO_VMM_HANDLER_TOKEN } from './ioctl';

const DEVICE_NAME = 'emits_event';

function* emitted(vmcall: Blocking<number>): Blocking<number> {
  yield* vmcall;
  return 0;
}

/** camkes-vm-linux @1a4e6a0 emits_event.c: EMIT is one hypercall with the minor as the event id. */
export const emitsEventModule: KernelModule = {
  name: DEVICE_NAME,
  *init(sys: GuestSystem) {
    const k = sys.k;
    const emit = { eax: EVENT_VMCALL_GUEST_TO_VMM_HANDLER_TOKEN, ebx: EVENT_CMD_EMIT, ecx: 0 };
    const ops: FileOps = {
      ioctl(f, _p, cmd) {
        if (cmd === EMITS_EVENT_EMIT) {
          // The guest does not range-check the id; the VMM does (and kills the VM if it is bad).
          emit.ecx = f.minor;
          const b = k.machine.vmcall(emit);
          return doneValue(b) === NOT_DONE ? emitted(b) : done(0);
        }
        k.printk(KERN_ERR, `${DEVICE_NAME} unknown ioctl command: ${cmd | 0}\n`);
        return done(-1);
      },
    };
    const major = sys.chrdev.register(0, DEVICE_NAME, ops);
    k.printk(KERN_INFO, `${DEVICE_NAME} initialized with major number ${major}\n`);
    return 0;
  },
};
