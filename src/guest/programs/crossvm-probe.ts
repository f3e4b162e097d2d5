import { strerror } from '../kernel/errno';
import type { GuestStep } from '../kernel/kernel';
import type { Libc } from '../kernel/libc';
import type { ProgramMain } from '../kernel/system';
import { O_RDWR } from '../kernel/vfs';
import { CamkesLib } from './camkeslib';
import { assertThat, int32, strtoul } from './libc-extra';

/**
 * The probe programs of apps/crossvm_probe/pkgs (ours, written like the tutorial's print_client:
 * user programs linking camkeslinux), line for line. They reach library calls no upstream program
 * exposes on a node of the operator's choosing.
 */

/** pkgs/dataport_allocate/dataport_allocate.c: `dataport_allocate(fd, strtoul(size))`, its result printed. */
function* dataportAllocate(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 3) {
    yield* c.printf(`Usage: ${argv[0]} file size\n`);
    return 1;
  }
  const fd = yield* c.open(argv[1], O_RDWR);
  yield* assertThat(c, fd >= 0, 'fd >= 0', { file: 'dataport_allocate.c', line: 25 });
  const error = yield* new CamkesLib(c).dataport_allocate(fd, strtoul(argv[2]));
  yield* c.printf(`dataport_allocate returned ${int32(error)}\n`);
  yield* c.close(fd);
  return error === 0 ? 0 : 1;
}

/** pkgs/consumes_event_poll/consumes_event_poll.c: one non-blocking `consumes_event_poll(fd)`. */
function* consumesEventPoll(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length !== 2) {
    yield* c.printf(`Usage: ${argv[0]} eventfile\n`);
    return 1;
  }
  // Like consumes_event_wait (wait.c), the open is not checked: a bad fd shows as the poll's error.
  const fd = yield* c.open(argv[1], O_RDWR);
  const result = yield* new CamkesLib(c).consumes_event_poll(fd);
  if (result < 0) {
    yield* c.printf(`Error: ${strerror(c.errno)}\n`);
    return -1 & 0xff;
  }
  yield* c.printf(`consumes_event_poll returned ${result}\n`);
  yield* c.close(fd);
  return 0;
}

/** Program name (the `.c` file's base name) → main. */
export const PROBE_PROGRAMS: ReadonlyMap<string, ProgramMain> = new Map<string, ProgramMain>([
  ['dataport_allocate', dataportAllocate],
  ['consumes_event_poll', consumesEventPoll],
]);
