import type { GuestStep } from '../kernel/kernel';
import { MAP_FAILED, type Libc } from '../kernel/libc';
import { O_RDWR } from '../kernel/vfs';
import { CamkesLib } from './camkeslib';
import { assertThat } from './libc-extra';

const FILE = 'print_client.c';
const UTF8 = new TextEncoder();

/**
 * The tutorial's print_client (apps/crossvm_tutorial/pkgs/print_client/print_client.c), line for
 * line: each argument is strncpy'd into the dataport (zero-padding the rest of it), then
 * do_print is emitted and done_printing waited for. It prints nothing itself.
 */
export function* printClient(c: Libc, argv: string[]): GuestStep<number> {
  const lib = new CamkesLib(c);
  const dataFd = yield* c.open('/dev/camkes_data', O_RDWR);
  yield* assertThat(c, dataFd >= 0, 'data_fd >= 0', { file: FILE, line: 16 });
  const doPrintFd = yield* c.open('/dev/camkes_do_print', O_RDWR);
  yield* assertThat(c, doPrintFd >= 0, 'do_print_fd >= 0', { file: FILE, line: 19 });
  const donePrintingFd = yield* c.open('/dev/camkes_done_printing', O_RDWR);
  yield* assertThat(c, donePrintingFd >= 0, 'done_printing_fd >= 0', { file: FILE, line: 22 });
  const data = yield* lib.dataport_mmap(dataFd);
  yield* assertThat(c, data !== MAP_FAILED, 'data != MAP_FAILED', { file: FILE, line: 25 });
  const dataportSize = yield* lib.dataport_get_size(dataFd);
  yield* assertThat(c, dataportSize > 0, 'dataport_size > 0', { file: FILE, line: 28 });
  // strncpy's bytes: one buffer for every argument, cleared before each copy.
  const buf = new Uint8Array(dataportSize);
  /** Bytes of `buf` the previous argument set (the rest are still NUL). */
  let used = 0;
  for (let i = 1; i < argv.length; i++) {
    // strncpy(data, argv[i], dataport_size): copies at most size bytes and pads with NULs.
    buf.fill(0, 0, used);
    if (argv[i].length * 3 <= dataportSize) used = UTF8.encodeInto(argv[i], buf).written;
    else {
      // Possibly longer than the dataport: strncpy cuts at the byte, even inside a character.
      const src = UTF8.encode(argv[i]);
      buf.set(src.length > dataportSize ? src.subarray(0, dataportSize) : src);
      used = Math.min(src.length, dataportSize);
    }
    yield* c.store(data, buf);
    yield* lib.emits_event_emit(doPrintFd);
    yield* lib.consumes_event_wait(donePrintingFd);
  }
  yield* c.close(dataFd);
  yield* c.close(doPrintFd);
  yield* c.close(donePrintingFd);
  return 0;
}
