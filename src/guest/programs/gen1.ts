import { SIGSEGV, strerror } from '../kernel/errno';
import { ProcessExit } from '../kernel/process';
import type { GuestStep } from '../kernel/kernel';
import { MAP_FAILED, type Libc } from '../kernel/libc';
import { O_RDWR, S_IFCHR } from '../kernel/vfs';
import type { ProgramMain } from '../kernel/system';
import { CamkesLib, deviceGetMajor } from './camkeslib';
import { assertThat, int32, readCString, readStdinAsCString, strtoul } from './libc-extra';

/**
 * The Gen-1 programs (camkes-vm-linux @1a4e6a0 camkes-connector-apps/pkgs), with upstream's
 * texts and exit statuses. Assertion line numbers are UNCONFIRMED (see libc-extra.ts).
 */
const MAX_NUM_DATAPORTS = 256;
const NO_MAJOR = 0;

function* dataportInit(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length < 2) {
    yield* c.printf(`Usage: ${argv[0]} name1 size1 ... nameN sizeN\n\nCreates device files for dataports in /dev with given names\nand sizes (in bytes).\nDataport ids will be allocated in increasing order from left\nto right, starting from 1.\nSizes must match those given in the corresponding camkes spec.\nThis should only be run once per boot.\n`);
    return 1;
  }
  const lib = new CamkesLib(c);
  const n = Math.min(Math.floor(argv.length / 2), MAX_NUM_DATAPORTS);
  const major = yield* deviceGetMajor(c, 'dataport');
  yield* assertThat(c, major !== NO_MAJOR, 'major != NO_MAJOR', { file: 'init.c', line: 58 });
  yield* c.printf(`Device "dataport" found with major number ${int32(major)}\n\n`);
  const names: string[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = argv[1 + 2 * i];
    const size = argv[2 + 2 * i];
    // strtoul(NULL, ...) on the missing size of an odd trailing pair faults.
    if (size === undefined) throw new ProcessExit(0, SIGSEGV);
    names.push(name);
    sizes.push(strtoul(size));
    yield* c.printf(`Creating dataport node ${name}\n`);
    const r = yield* c.mknod(name, S_IFCHR, major, i + 1);
    yield* assertThat(c, r === 0, 'error == 0', { file: 'init.c', line: 68 });
  }
  for (let i = 0; i < n; i++) {
    const fd = yield* c.open(names[i], O_RDWR);
    yield* assertThat(c, fd >= 0, 'f != NULL', { file: 'init.c', line: 74 });
    yield* c.printf(`Allocating ${int32(sizes[i])} bytes for ${names[i]}\n`);
    const r = yield* lib.dataport_allocate(fd, sizes[i]);
    yield* assertThat(c, r === 0, 'error == 0', { file: 'init.c', line: 78 });
    yield* lib.dataport_get_paddr(fd);
  }
  return 0;
}

function eventInit(device: string, what: string): ProgramMain {
  return function* (c: Libc, argv: string[]): GuestStep<number> {
    const major = yield* deviceGetMajor(c, device);
    if (major === NO_MAJOR) {
      yield* c.eprintf(`Failed to locate device ${device}.\n`);
      return 1;
    }
    for (let i = 1; i < argv.length; i++) {
      yield* c.printf(`Creating ${what} event node ${argv[i]}\n`);
      if ((yield* c.mknod(argv[i], S_IFCHR, major >>> 0, i)) !== 0) {
        yield* c.eprintf(`Failed to create device node for ${device}.\n`);
        return 1;
      }
    }
    return 0;
  };
}

function* dataportRead(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 2) {
    yield* c.printf(`Usage: ${argv[0]} file\n\nReads the c string contents of a specified dataport file to stdout`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  yield* assertThat(c, fd >= 0, 'fd >= 0', { file: 'read.c', line: 23 });
  const data = yield* new CamkesLib(c).dataport_mmap(fd);
  // No MAP_FAILED check upstream: printing from the failed pointer faults.
  const s = yield* readCString(c, data);
  yield* c.printf(s);
  yield* c.printf('\n');
  return 0;
}

function* dataportWrite(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 2) {
    yield* c.printf(`Usage: ${argv[0]} file\n\nWrites stdin to a specified dataport file as a c string`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  yield* assertThat(c, fd >= 0, 'fd >= 0', { file: 'write.c', line: 23 });
  const lib = new CamkesLib(c);
  const data = yield* lib.dataport_mmap(fd);
  const size = yield* lib.dataport_get_size(fd);
  const bytes = yield* readStdinAsCString(c, size, c.p.sys.k.machine.arch === 'arm');
  yield* c.store(data, bytes);
  return 0;
}

function* emitsEventEmit(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 2) {
    yield* c.printf(`Usage: ${argv[0]} eventfile\n`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  if ((yield* new CamkesLib(c).emits_event_emit(fd)) < 0) {
    yield* c.printf(`Error: ${strerror(c.errno)}\n`);
    return -1 & 0xff;
  }
  return 0;
}

function* consumesEventWait(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 2) {
    yield* c.printf(`Usage: ${argv[0]} eventfile\n`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  const r = yield* new CamkesLib(c).consumes_event_wait(fd);
  if (r < 0) {
    yield* c.printf(`Error: ${strerror(c.errno)}\n`);
    return -1 & 0xff;
  }
  if (r === 0) yield* c.printf('Timed out after 20000ms\n');
  else yield* c.printf('Back from waiting\n');
  return 0;
}

/** pkgs/string_reverse (Gen 1): each stdin line through src + ready, reversed back via done + dest. */
function* stringReverse(c: Libc): GuestStep<number> {
  const BUFSIZE = 8192;
  const lib = new CamkesLib(c);
  const open = function* (path: string, line: number): GuestStep<number> {
    const fd = yield* c.open(path, O_RDWR);
    yield* assertThat(c, fd >= 0, 'fd >= 0', { file: 'string_reverse.c', line });
    return fd;
  };
  const srcFd = yield* open('/dev/camkes_reverse_src', 30);
  const destFd = yield* open('/dev/camkes_reverse_dest', 33);
  const readyFd = yield* open('/dev/camkes_reverse_ready', 36);
  const doneFd = yield* open('/dev/camkes_reverse_done', 39);
  const src = yield* lib.dataport_mmap(srcFd);
  yield* assertThat(c, src !== MAP_FAILED, 'src != MAP_FAILED', { file: 'string_reverse.c', line: 42 });
  const dest = yield* lib.dataport_mmap(destFd);
  yield* assertThat(c, dest !== MAP_FAILED, 'dest != MAP_FAILED', { file: 'string_reverse.c', line: 45 });
  for (;;) {
    const line = yield* fgets(c, BUFSIZE);
    if (line === null) break;
    const text = line[line.length - 1] === 10 ? line.subarray(0, -1) : line;
    const withNul = new Uint8Array(text.length + 1);
    withNul.set(text);
    yield* c.store(src, withNul);
    yield* assertThat(c, (yield* lib.emits_event_emit(readyFd)) === 0, 'emits_event_emit(ready_fd) == 0', { file: 'string_reverse.c', line: 58 });
    yield* assertThat(c, (yield* lib.consumes_event_wait(doneFd)) > 0, 'consumes_event_wait(done_fd) > 0', { file: 'string_reverse.c', line: 59 });
    const out = yield* c.load(dest, BUFSIZE);
    const nul = out.indexOf(0);
    yield* c.printf(nul >= 0 ? out.subarray(0, nul) : out);
    yield* c.printf('\n');
  }
  return 0;
}

/** fgets(buf, size, stdin): at most size - 1 bytes, up to and including a newline. */
export function* fgets(c: Libc, size: number): GuestStep<Uint8Array | null> {
  const out: number[] = [];
  while (out.length < size - 1) {
    const ch = yield* c.getchar();
    if (ch < 0) break;
    out.push(ch);
    if (ch === 10) break;
  }
  return out.length ? Uint8Array.from(out) : null;
}

export const GEN1_PROGRAMS: ReadonlyMap<string, ProgramMain> = new Map<string, ProgramMain>([
  ['dataport_init', dataportInit],
  ['dataport_read', dataportRead],
  ['dataport_write', dataportWrite],
  ['consumes_event_init', eventInit('consumes_event', 'consuming')],
  ['consumes_event_wait', consumesEventWait],
  ['emits_event_init', eventInit('emits_event', 'emitting')],
  ['emits_event_emit', emitsEventEmit],
  ['string_reverse', stringReverse],
]);
