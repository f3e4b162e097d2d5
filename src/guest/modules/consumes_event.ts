/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { ENXIO } from '../kernel/errno';
import { done, doneValue, NOT_DONE, type Blocking } from '../../sel4';
import { IRQF_NO_SUSPEND, WaitQueue, type IrqReturn } from '../kernel/kernel';
import { KERN_ERR, KERN_INFO } from '../kernel/printk';
import type { GuestSystem, KernelModule } from '../kernel/system';
import type { FileOps } from '../kernel/vfs';
import { EVENT_CMD_ACK, EVENT_CMD_INIT, EVENT_CONTEXT_MAGIC, EVENT_IRQ_NUM, EVENT_VMCALL_VMM_TO_GUEST_HANDLER_TOKEN, MAX_NUM_EVENTS } from './ioctl';

const DEVICE_NAME = 'consumes_event';
const POLLIN = 0x1;
const POLLERR = 0x8;
/**
 * The value module_init returns when the magic check fails. UNCONFIRMED: the source's return
 * value on that path; -1 (insmod then reports "Operation not permitted") like its other errors.
 */
const INIT_FAILURE = -1;

/**
 * camkes-vm-linux @1a4e6a0 consumes_event.c. Per event id: a status flag and a wait queue. The
 * interrupt reads the id from the shared context page, ACKs at once, sets the flag and wakes the
 * id's queue; `.poll` clears the flag when it reports POLLIN. So an event nobody waits for stays
 * pending once, several coalesce, a non-blocking poll consumes it, and of several waiters the
 * first to re-run `.poll` takes it.
 */
export const consumesEventModule: KernelModule = {
  name: DEVICE_NAME,
  *init(sys: GuestSystem) {
    const k = sys.k;
    const status = new Uint8Array(MAX_NUM_EVENTS);
    const queues = Array.from({ length: MAX_NUM_EVENTS }, () => new WaitQueue(k));
    let context: number | null = null;
    let live = false;
    const ops: FileOps = {
      // After a failed init the chrdev stays registered but the module is gone (UNCONFIRMED
      // what open then does; the model refuses it with ENXIO).
      *open() {
        return live ? 0 : -ENXIO;
      },
      poll(f, table) {
        const minor = f.minor;
        if (minor >= MAX_NUM_EVENTS) return POLLERR;
        table?.push(queues[minor]);
        if (status[minor]) {
          status[minor] = 0;
          return POLLIN;
        }
        return 0;
      },
    };
    const major = sys.chrdev.register(0, DEVICE_NAME, ops);
    const devId = {};
    const ack = { eax: EVENT_VMCALL_VMM_TO_GUEST_HANDLER_TOKEN, ebx: EVENT_CMD_ACK };
    /** After the ACK: the id's flag and wait queue. */
    const deliver = (id: number): IrqReturn => {
      if (id >= MAX_NUM_EVENTS) {
        k.printk(KERN_ERR, `${DEVICE_NAME} poll: invalid event id`);
        return 'IRQ_HANDLED';
      }
      status[id] = 1;
      queues[id].wakeUp();
      return 'IRQ_HANDLED';
    };
    const handlerExiting = function* (id: Blocking<number>): Blocking<IrqReturn> {
      const v = yield* id;
      yield* k.machine.vmcall(ack);
      return deliver(v);
    };
    const deliverAfter = function* (acked: Blocking<number>, id: number): Blocking<IrqReturn> {
      yield* acked;
      return deliver(id);
    };
    // Read the id, ACK, deliver: with no exit that blocks (the usual case) this is no generator.
    const handler = (): Blocking<IrqReturn> => {
      if (context === null) return done('IRQ_NONE');
      const read = k.machine.read32(context);
      const id = doneValue(read);
      if (id === NOT_DONE) return handlerExiting(read);
      const acked = k.machine.vmcall(ack);
      return doneValue(acked) === NOT_DONE ? deliverAfter(acked, id) : done(deliver(id));
    };
    const r = k.requestIrq(EVENT_IRQ_NUM, handler, IRQF_NO_SUSPEND, DEVICE_NAME, devId);
    if (r < 0) {
      k.printk(KERN_ERR, `couldn't request irq ${r}\n`);
      return r;
    }
    const ctx = sys.mem.kmalloc(4096);
    if (ctx === null) {
      k.printk(KERN_ERR, "couldn't allocate context");
      k.freeIrq(EVENT_IRQ_NUM, devId);
      return -12;
    }
    yield* k.machine.vmcall({ eax: EVENT_VMCALL_VMM_TO_GUEST_HANDLER_TOKEN, ebx: EVENT_CMD_INIT, ecx: ctx });
    // The VMM writes the magic through its own mapping of this page; without a handler the
    // page keeps whatever kmalloc left there.
    const magic = (yield* k.machine.read32(ctx + 4)) | 0;
    if (magic !== EVENT_CONTEXT_MAGIC) {
      k.printk(KERN_ERR, `incorrect event context magic number (expected ${EVENT_CONTEXT_MAGIC}, got ${magic})`);
      sys.mem.kfree(ctx);
      k.freeIrq(EVENT_IRQ_NUM, devId);
      return INIT_FAILURE;
    }
    context = ctx;
    live = true;
    k.printk(KERN_INFO, `${DEVICE_NAME} initialized with major number ${major}\n`);
    return 0;
  },
};
