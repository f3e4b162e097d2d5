import { strerror } from '../kernel/errno';
import type { GuestStep } from '../kernel/kernel';
import { MAP_FAILED, MAP_SHARED, PROT_READ, PROT_WRITE, type Libc } from '../kernel/libc';
import { O_RDWR } from '../kernel/vfs';
import type { ProgramMain } from '../kernel/system';
import { fgets } from './gen1';
import { atoi, readCString, readStdinAsCString } from './libc-extra';

/**
 * The Gen-2 programs (camkes-vm-linux HEAD pkgs): UIO devices, map 0 = event BAR, map 1 =
 * dataport, selected by the mmap offset in pages. After `mmap failed` most go on with the failed
 * pointer, which faults (SIGSEGV through Libc.load/store).
 */
const PAGE = 4096;

function* dataportRead(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 3) {
    yield* c.printf(`Usage: ${argv[0]} file dataport_size\n\nReads the c string contents of a specified dataport file to stdout`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  const size = atoi(argv[2]);
  const data = yield* c.mmap(size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 1 * PAGE);
  if (data === MAP_FAILED) yield* c.printf('mmap failed\n');
  const s = yield* readCString(c, data);
  yield* c.printf(s);
  yield* c.printf('\n');
  c.munmap(data);
  yield* c.close(fd);
  return 0;
}

function* dataportWrite(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 3) {
    yield* c.printf(`Usage: ${argv[0]} file dataport_size\n\nWrites stdin to a specified dataport file as a c string`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  const size = atoi(argv[2]);
  const data = yield* c.mmap(size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 1 * PAGE);
  if (data === MAP_FAILED) yield* c.printf('mmap failed\n');
  const bytes = yield* readStdinAsCString(c, size, c.p.sys.k.machine.arch === 'arm');
  yield* c.store(data, bytes);
  c.munmap(data);
  yield* c.close(fd);
  return 0;
}

function* emitsEventEmit(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 2) {
    yield* c.printf(`Usage: ${argv[0]} file\n\nEmits an event on a given device connection\n`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  const bar = yield* c.mmap(0x1000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (bar === MAP_FAILED) yield* c.printf('mmap failed\n');
  // Any write to offset 0 of the event BAR emits; the stage-2 mapping is read-only, so it faults into the VMM.
  yield* c.store(bar, Uint8Array.of(1));
  c.munmap(bar);
  yield* c.close(fd);
  return 0;
}

function* consumesEventWait(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 2) {
    yield* c.printf(`Usage: ${argv[0]} eventfile\n`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  const r = yield* c.read(fd, 4);
  if (!r) {
    yield* c.printf(`Error: ${strerror(c.errno)}\n`);
    return 1;
  }
  const val = new DataView(r.buffer, r.byteOffset, 4).getInt32(0, true);
  yield* c.printf(`Back from waiting with val: ${val}\n`);
  yield* c.close(fd);
  return 0;
}

/** pkgs/string_reverse (Gen 2): READY=/dev/uio0 (src + emit), DONE=/dev/uio1 (dest + wait). */
function* stringReverse(c: Libc): GuestStep<number> {
  const BUFSIZE = 2048;
  const ready = yield* c.open('/dev/uio0', O_RDWR);
  const done = yield* c.open('/dev/uio1', O_RDWR);
  const src = yield* c.mmap(BUFSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, ready, 1 * PAGE);
  if (src === MAP_FAILED) {
    yield* c.printf('mmap src (index 1) failed\n');
    return 1;
  }
  const emit = yield* c.mmap(0x1000, PROT_READ | PROT_WRITE, MAP_SHARED, ready, 0);
  if (emit === MAP_FAILED) yield* c.printf('mmap failed\n');
  const dest = yield* c.mmap(BUFSIZE, PROT_READ | PROT_WRITE, MAP_SHARED, done, 1 * PAGE);
  if (dest === MAP_FAILED) {
    yield* c.printf('mmap dest (index 1) failed\n');
    return 1;
  }
  for (;;) {
    const line = yield* fgets(c, BUFSIZE);
    if (line === null) break;
    const text = line[line.length - 1] === 10 ? line.subarray(0, -1) : line;
    const withNul = new Uint8Array(text.length + 1);
    withNul.set(text);
    yield* c.store(src, withNul);
    yield* c.store(emit, Uint8Array.of(1));
    const r = yield* c.read(done, 4);
    if (!r) {
      // Upstream passes the call's result (-1), not errno, to strerror.
      yield* c.printf(`Error: ${strerror(-1)}\n`);
      return 1;
    }
    const out = yield* c.load(dest, BUFSIZE);
    const nul = out.indexOf(0);
    yield* c.printf(nul >= 0 ? out.subarray(0, nul) : out);
    yield* c.printf('\n');
  }
  return 0;
}

export const GEN2_PROGRAMS: ReadonlyMap<string, ProgramMain> = new Map<string, ProgramMain>([
  ['dataport_read', dataportRead],
  ['dataport_write', dataportWrite],
  ['consumes_event_wait', consumesEventWait],
  ['emits_event_emit', emitsEventEmit],
  ['string_reverse', stringReverse],
]);
