import { done, doneValue, NOT_DONE, type Blocking } from '../../sel4';
import { EBADF, EEXIST, EINVAL, EISDIR, ENODEV, ENOENT, ENOTTY, ENXIO, SIGABRT, SIGSEGV } from './errno';
import { SWITCH, type GuestStep, type WaitQueue } from './kernel';
import { pipeFiles } from './pipe';
import { ProcessExit, waitChild, type Process } from './process';
import { newFile, normalise, O_ACCMODE, O_CREAT, O_NONBLOCK, OpenFile, regularFileOps, S_IFCHR, S_IFMT, type IoctlArg, type Vma } from './vfs';

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
export const MAP_FAILED = -1;
export const POLLIN = 0x1;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const POLLRDNORM = 0x40;

export interface PollFd {
  fd: number;
  events: number;
  revents: number;
}

export interface StatResult {
  kind: 'dir' | 'file' | 'chr';
  size: number;
  executable: boolean;
  major: number;
  minor: number;
}

const HEX = new Map<number, string>();

/** `0x...` of an ioctl number, built once per number (a program issues the same few repeatedly). */
function hexOf(n: number): string {
  let s = HEX.get(n);
  if (s === undefined) {
    s = `0x${n.toString(16)}`;
    if (HEX.size < 4096) HEX.set(n, s);
  }
  return s;
}

/**
 * The C library and system-call surface a guest program sees: calls return -1 and set `errno`
 * as in C. Every system call ends by returning to user space (`syscallExit`: pending interrupts
 * are taken there, as on a CPU with interrupts enabled). stdout is line buffered on a tty and
 * fully buffered otherwise; stderr is unbuffered.
 */
export class Libc {
  errno = 0;
  private ioctlOp: number | undefined;
  private pollOp: number | undefined;
  private stdoutBuf: number[] = [];
  private stdinBuf: Uint8Array = new Uint8Array(0);
  private stdinEof = false;

  constructor(readonly p: Process) {}

  private get k() {
    return this.p.sys.k;
  }

  private fail(err: number): number {
    this.errno = -err;
    return -1;
  }

  private file(fd: number): OpenFile | null {
    return this.p.fds[fd] ?? null;
  }

  private install(f: OpenFile, min = 0): number {
    let fd = min;
    while (this.p.fds[fd]) fd++;
    this.p.fds[fd] = f;
    return fd;
  }

  *open(path: string, flags: number): GuestStep<number> {
    const full = normalise(path, this.p.cwd);
    const vfs = this.p.sys.vfs;
    let node = vfs.lookup(full);
    if (node === -ENOENT && flags & O_CREAT) {
      const created = newFile(new Uint8Array(0));
      const r = vfs.create(full, created);
      if (r < 0) return this.ret(r);
      node = created;
    }
    if (typeof node === 'number') return this.ret(node);
    let f: OpenFile;
    if (node.kind === 'dir') {
      if ((flags & O_ACCMODE) !== 0) return this.ret(-EISDIR);
      f = new OpenFile({}, full, node, flags);
    } else if (node.kind === 'file') f = new OpenFile(regularFileOps, full, node, flags);
    else {
      const ops = this.p.sys.chrdev.ops(node.major);
      if (!ops) return this.ret(-ENXIO);
      f = new OpenFile(ops, full, node, flags);
    }
    if (f.ops.open) {
      const r = yield* f.ops.open(f, this.p);
      if (r < 0) return this.ret(r);
    }
    return this.ret(this.install(f));
  }

  /**
   * The system call's return to user space: interrupts, console, then the C return value. With
   * nothing to do on the way out it completes at once (no generator).
   */
  private exit<T>(v: T): GuestStep<T> {
    return this.k.quietExit() ? done(v) : this.exitVia(v);
  }

  private *exitVia<T>(v: T): GuestStep<T> {
    yield* this.k.syscallExit();
    return v;
  }

  private ret(r: number): number {
    return r < 0 ? this.fail(r) : r;
  }

  *close(fd: number): GuestStep<number> {
    const f = this.file(fd);
    if (!f) return this.fail(-EBADF);
    this.p.fds[fd] = null;
    if (--f.refs === 0) f.ops.release?.(f);
    return yield* this.exit(0);
  }

  /** read(2): the bytes read (empty at end of file), or null with errno set. */
  *read(fd: number, count: number): GuestStep<Uint8Array | null> {
    const f = this.file(fd);
    if (!f || (f.flags & O_ACCMODE) === 1) {
      this.fail(-EBADF);
      return null;
    }
    if (!f.ops.read) {
      this.fail(-EINVAL);
      return null;
    }
    const r = yield* f.ops.read(f, this.p, count);
    yield* this.k.syscallExit();
    if (typeof r === 'number') {
      this.fail(r);
      return null;
    }
    return r;
  }

  *write(fd: number, data: Uint8Array | string): GuestStep<number> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const f = this.file(fd);
    if (!f || (f.flags & O_ACCMODE) === 0) return this.fail(-EBADF);
    if (!f.ops.write) return this.fail(-EINVAL);
    const r = yield* f.ops.write(f, this.p, bytes);
    return yield* this.exit(this.ret(r));
  }

  ioctl(fd: number, cmd: number, arg: IoctlArg = 0): GuestStep<number> {
    const f = this.file(fd);
    if (!f) return done(this.fail(-EBADF));
    if (!f.ops.ioctl) return this.exit(this.fail(-ENOTTY));
    // A driver that answers without blocking (EMIT) leaves nothing to suspend here either.
    const b = f.ops.ioctl(f, this.p, cmd >>> 0, arg);
    const r = doneValue(b as Blocking<number>);
    return r === NOT_DONE ? this.ioctlWaiting(f, cmd, b) : this.ioctlReturned(f, cmd, r);
  }

  private *ioctlWaiting(f: OpenFile, cmd: number, b: GuestStep<number>): GuestStep<number> {
    return yield* this.ioctlReturned(f, cmd, yield* b);
  }

  private ioctlReturned(f: OpenFile, cmd: number, r: number): GuestStep<number> {
    this.k.recordIds((this.ioctlOp ??= this.k.traceOp('ioctl')), f.path, hexOf(cmd >>> 0), this.k.traceResult(r));
    return this.exit(this.ret(r));
  }

  /** mmap(2) of a device: the user address, or MAP_FAILED (-1) with errno set. */
  *mmap(length: number, prot: number, _flags: number, fd: number, offset: number): GuestStep<number> {
    const f = this.file(fd);
    if (!f) return this.fail(-EBADF);
    if (length <= 0 || offset % 4096 !== 0) return this.fail(-EINVAL);
    if (!f.ops.mmap) return this.fail(-ENODEV);
    const len = Math.ceil(length / 4096) * 4096;
    const start = this.p.nextMmap - len;
    const vma: Vma = { start, length: len, pgoff: offset / 4096, prot, paddr: -1, mappedLength: 0 };
    const r = yield* f.ops.mmap(f, this.p, vma);
    this.k.record('mmap', f.path, `offset 0x${offset.toString(16)} length ${length}`, r < 0 ? `errno ${-r}` : `0x${start.toString(16)}`);
    if (r < 0) return yield* this.exit(this.fail(r));
    this.p.nextMmap = start;
    this.p.mappings.push(vma);
    return yield* this.exit(start);
  }

  munmap(addr: number): number {
    this.p.mappings = this.p.mappings.filter((m) => m.start !== addr);
    return 0;
  }

  private vmaFor(addr: number, len: number, write: boolean): Vma {
    let m: Vma | undefined;
    for (const v of this.p.mappings) {
      if (addr >= v.start && addr + len <= v.start + v.mappedLength) {
        m = v;
        break;
      }
    }
    if (!m || (write && !(m.prot & PROT_WRITE)) || (!write && !(m.prot & PROT_READ))) throw new ProcessExit(0, SIGSEGV);
    return m;
  }

  /** A user load through a device mapping: guest-physical memory via the machine (SIGSEGV outside). */
  *load(addr: number, len: number): GuestStep<Uint8Array> {
    const m = this.vmaFor(addr, len, false);
    return yield* this.k.machine.read(m.paddr + (addr - m.start), len);
  }

  store(addr: number, bytes: Uint8Array): GuestStep<void> {
    const m = this.vmaFor(addr, bytes.length, true);
    return this.k.machine.write(m.paddr + (addr - m.start), bytes);
  }

  *store32(addr: number, value: number): GuestStep<void> {
    const m = this.vmaFor(addr, 4, true);
    yield* this.k.machine.write32(m.paddr + (addr - m.start), value);
  }

  /** Bytes up to the mapping's end from `addr`, for C string reads (SIGSEGV if `addr` is unmapped). */
  *loadToEnd(addr: number): GuestStep<Uint8Array> {
    const m = this.vmaFor(addr, 1, false);
    return yield* this.load(addr, m.start + m.mappedLength - addr);
  }

  /** poll(2) with a timeout in milliseconds of virtual time (0: no wait, -1: forever). */
  poll(fds: PollFd[], timeoutMs: number): GuestStep<number> {
    const count = this.pollScan(fds, timeoutMs);
    if (count || timeoutMs === 0) return this.pollReturn(fds, timeoutMs, count);
    return this.pollSleeping(fds, timeoutMs);
  }

  /** The wait queues the drivers' `.poll` named in the last scan (a process polls once at a time). */
  private readonly pollTable: WaitQueue[] = [];

  /** One pass over the descriptors (do_poll): sets `revents`, fills `pollTable`, counts the ready ones. */
  private pollScan(fds: PollFd[], timeoutMs: number): number {
    const table = this.pollTable;
    table.length = 0;
    let count = 0;
    for (let i = 0; i < fds.length; i++) {
      const pfd = fds[i];
      const f = this.file(pfd.fd);
      let mask: number;
      if (!f) mask = POLLNVAL;
      else mask = f.ops.poll ? f.ops.poll(f, timeoutMs === 0 ? null : table) : POLLIN | POLLOUT | POLLRDNORM;
      pfd.revents = mask & (pfd.events | POLLERR | POLLHUP | POLLNVAL);
      if (pfd.revents) count++;
    }
    return count;
  }

  private *pollSleeping(fds: PollFd[], timeoutMs: number): GuestStep<number> {
    const deadline = timeoutMs > 0 ? this.k.machine.now() + timeoutMs * 1_000_000 : null;
    for (;;) {
      const table = this.pollTable;
      let timedOut = false;
      if (deadline === null) {
        // poll(-1): sleep on the drivers' queues until one of them wakes this process.
        this.k.sleepOnQueues(table);
        yield SWITCH;
        this.k.leaveQueues(table);
      } else if (!(yield* this.k.sleepOn(table, Math.max(0, deadline - this.k.machine.now())))) timedOut = true;
      const count = this.pollScan(fds, timeoutMs);
      if (count || timedOut) return yield* this.pollReturn(fds, timeoutMs, count);
    }
  }

  private pollReturn(fds: PollFd[], timeoutMs: number, count: number): GuestStep<number> {
    const what = fds.length === 1 ? this.pollName(fds[0].fd) : fds.map((x) => this.pollName(x.fd)).join(',');
    this.k.recordIds((this.pollOp ??= this.k.traceOp('poll')), what, timeoutMs, this.k.traceResult(count));
    return this.exit(count);
  }

  private pollName(fd: number): string {
    return this.file(fd)?.path ?? `fd ${fd}`;
  }

  *nanosleep(ns: number): GuestStep<number> {
    yield* this.k.delay(ns);
    return yield* this.exit(0);
  }

  *mknod(path: string, mode: number, major: number, minor: number): GuestStep<number> {
    if ((mode & S_IFMT) !== S_IFCHR) return this.fail(-EINVAL);
    const r = this.p.sys.vfs.create(normalise(path, this.p.cwd), { kind: 'chr', major, minor });
    return yield* this.exit(r === -EEXIST ? this.fail(r) : this.ret(r));
  }

  stat(path: string): StatResult | null {
    const n = this.p.sys.vfs.lookup(normalise(path, this.p.cwd));
    if (typeof n === 'number') {
      this.fail(n);
      return null;
    }
    if (n.kind === 'dir') return { kind: 'dir', size: 0, executable: true, major: 0, minor: 0 };
    if (n.kind === 'chr') return { kind: 'chr', size: 0, executable: false, major: n.major, minor: n.minor };
    return { kind: 'file', size: n.data.length, executable: n.executable || !!n.program, major: 0, minor: 0 };
  }

  pipe(): [number, number] {
    const [r, w] = pipeFiles(this.k);
    return [this.install(r), this.install(w)];
  }

  dup2(oldFd: number, newFd: number): number {
    const f = this.file(oldFd);
    if (!f) return this.fail(-EBADF);
    if (oldFd === newFd) return newFd;
    const prev = this.p.fds[newFd];
    f.refs++;
    this.p.fds[newFd] = f;
    if (prev && --prev.refs === 0) prev.ops.release?.(prev);
    return newFd;
  }

  /** fcntl(F_DUPFD): the lowest free descriptor at or above `min`. */
  dupMin(oldFd: number, min: number): number {
    const f = this.file(oldFd);
    if (!f) return this.fail(-EBADF);
    f.refs++;
    return this.install(f, min);
  }

  setNonblock(fd: number, on: boolean): void {
    const f = this.file(fd);
    if (f) f.flags = on ? f.flags | O_NONBLOCK : f.flags & ~O_NONBLOCK;
  }

  isatty(fd: number): boolean {
    const f = this.file(fd);
    return !!f && f.inode?.kind === 'chr' && (f.major === 4 || f.major === 5);
  }

  *waitpid(pid: number): GuestStep<{ pid: number; status: { code: number; signal: number } } | null> {
    const r = yield* waitChild(this.p, pid);
    if (typeof r === 'number') {
      this.fail(r);
      return null;
    }
    return r;
  }

  // ---- stdio ----

  *printf(text: string | Uint8Array): GuestStep<void> {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    for (const b of bytes) this.stdoutBuf.push(b);
    const tty = this.isatty(1);
    if ((tty && bytes.includes(10)) || this.stdoutBuf.length >= 4096) yield* this.fflush();
  }

  *fflush(): GuestStep<void> {
    if (!this.stdoutBuf.length) return;
    const out = Uint8Array.from(this.stdoutBuf);
    this.stdoutBuf = [];
    yield* this.writeAll(1, out);
  }

  *eprintf(text: string): GuestStep<void> {
    yield* this.writeAll(2, new TextEncoder().encode(text));
  }

  private *writeAll(fd: number, bytes: Uint8Array): GuestStep<void> {
    let off = 0;
    while (off < bytes.length) {
      const n = yield* this.write(fd, bytes.subarray(off));
      if (n <= 0) return;
      off += n;
    }
  }

  *flushAll(): GuestStep<void> {
    yield* this.fflush();
  }

  /** getchar(): a byte, or -1 (EOF) at end of input. */
  *getchar(): GuestStep<number> {
    if (!this.stdinBuf.length && !this.stdinEof) {
      const r = yield* this.read(0, 1024);
      if (!r || !r.length) this.stdinEof = true;
      else this.stdinBuf = r;
    }
    if (!this.stdinBuf.length) return -1;
    const c = this.stdinBuf[0];
    this.stdinBuf = this.stdinBuf.subarray(1);
    return c;
  }

  /** fgets on stdin: a line with its newline, or null at end of input. */
  *getline(): GuestStep<string | null> {
    const bytes: number[] = [];
    for (;;) {
      const c = yield* this.getchar();
      if (c < 0) break;
      bytes.push(c);
      if (c === 10) break;
    }
    if (!bytes.length) return null;
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }

  /** exit(3): flushes stdio and ends the process. */
  exitProcess(code: number): never {
    throw new ProcessExit(code & 0xff);
  }

  /** abort(3): SIGABRT. */
  abort(): never {
    throw new ProcessExit(0, SIGABRT);
  }
}
