/**
 * The Gen-1 ioctl numbers, computed with Linux's `_IOC` encoding (dir << 30 | size << 16 |
 * type << 8 | nr) from the headers' definitions, so i386 and x86_64 differ where `size_t` does.
 */
const IOC_WRITE = 1;
const IOC_READ = 2;

function ioc(dir: number, type: string, nr: number, size: number): number {
  return ((dir << 30) | (size << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;
}

export interface DataportIoctls {
  /** `_IOW('D', 0, size_t)` */
  readonly ALLOCATE: number;
  /** `_IOR('D', 1, unsigned long long)` */
  readonly GET_PADDR: number;
  /** `_IOR('D', 2, size_t)` */
  readonly GET_SIZE: number;
}

export function dataportIoctls(wordBits: 32 | 64): DataportIoctls {
  const sizeT = wordBits / 8;
  return {
    ALLOCATE: ioc(IOC_WRITE, 'D', 0, sizeT),
    GET_PADDR: ioc(IOC_READ, 'D', 1, 8),
    GET_SIZE: ioc(IOC_READ, 'D', 2, sizeT),
  };
}

/** `_IOW('E', 0, unsigned int)` = 0x40044500 on both word sizes. */
export const EMITS_EVENT_EMIT = ioc(IOC_WRITE, 'E', 0, 4);

/** Hypercall tokens and commands: the guest modules include the same cross_vm_shared header as the VMM. */
export {
  DATAPORT_CMD_SHARE, DATAPORT_VMCALL_HANDLER_TOKEN, EVENT_CMD_ACK, EVENT_CMD_EMIT, EVENT_CMD_INIT, EVENT_CONTEXT_MAGIC, EVENT_IRQ_NUM,
  EVENT_VMCALL_GUEST_TO_VMM_HANDLER_TOKEN, EVENT_VMCALL_VMM_TO_GUEST_HANDLER_TOKEN,
} from '../../vmm/crossvm/gen1/shared';
export const MAX_NUM_EVENTS = 256;
export const MAX_NUM_DATAPORTS = 256;
