import { strerror } from '../kernel/errno';
import type { GuestStep } from '../kernel/kernel';
import { MAP_FAILED, MAP_SHARED, POLLIN, PROT_READ, PROT_WRITE, type Libc, type PollFd } from '../kernel/libc';
import { dataportIoctls, EMITS_EVENT_EMIT } from '../modules/ioctl';
import { cString, strtoul } from './libc-extra';

/**
 * camkes-vm-linux @1a4e6a0 libs/camkes (`camkeslinux`): the Gen-1 user library. Every call
 * shares one static 256-byte buffer; the ioctls carry decimal strings, not structs.
 */
export class CamkesLib {
  private readonly buf = new Uint8Array(256);
  constructor(private readonly c: Libc) {}

  private get nr() {
    return dataportIoctls(this.c.p.sys.k.machine.wordBits);
  }

  *dataport_allocate(fd: number, size: number): GuestStep<number> {
    this.buf.fill(0);
    this.buf.set(new TextEncoder().encode(`${size >>> 0}`));
    return yield* this.c.ioctl(fd, this.nr.ALLOCATE, this.buf);
  }

  private *query(fd: number, cmd: number): GuestStep<number> {
    const r = yield* this.c.ioctl(fd, cmd, this.buf);
    if (r < 0) return r;
    return strtoul(new TextDecoder().decode(cString(this.buf)));
  }

  dataport_get_paddr(fd: number): GuestStep<number> {
    return this.query(fd, this.nr.GET_PADDR);
  }

  dataport_get_size(fd: number): GuestStep<number> {
    return this.query(fd, this.nr.GET_SIZE);
  }

  *dataport_mmap(fd: number): GuestStep<number> {
    const size = yield* this.dataport_get_size(fd);
    if (size < 0) return MAP_FAILED;
    return yield* this.c.mmap(size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  }

  emits_event_emit(fd: number): GuestStep<number> {
    return this.c.ioctl(fd, EMITS_EVENT_EMIT);
  }

  /** The pollfd the library's wait and poll pass (a struct on the C stack: one per call, reused here). */
  private readonly pollFd: PollFd[] = [{ fd: -1, events: POLLIN, revents: 0 }];

  consumes_event_wait(fd: number): GuestStep<number> {
    const p = this.pollFd[0];
    p.fd = fd;
    p.revents = 0;
    return this.c.poll(this.pollFd, -1);
  }

  consumes_event_poll(fd: number): GuestStep<number> {
    return this.c.poll([{ fd, events: POLLIN, revents: 0 }], 0);
  }
}

/** libs/device device_get_major: the major listed for `name` in /proc/devices, 0 if none, -1 if unreadable. */
export function* deviceGetMajor(c: Libc, name: string): GuestStep<number> {
  const fd = yield* c.open('/proc/devices', 0);
  if (fd < 0) {
    yield* c.eprintf(`Couldn't open /proc/devices: ${strerror(c.errno)}\n`);
    return -1;
  }
  let text = '';
  for (;;) {
    const b = yield* c.read(fd, 4096);
    if (!b || !b.length) break;
    text += new TextDecoder().decode(b);
  }
  yield* c.close(fd);
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    if (m && m[2] === name) return Number(m[1]);
  }
  return 0;
}
