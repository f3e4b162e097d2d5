/**
 * The cross-VM tutorial's native PrintServer (`components/print_server.c`, seed 001):
 *
 *     while (1) { do_print_wait(); printf("%s\n", (char*)data); done_printing_emit(); }
 */
import type { BehaviourFactory } from '../runtime';

export const PrintServer: BehaviourFactory = () => ({
  *run(ctx) {
    const data = ctx.dataport('data');
    for (;;) {
      yield* ctx.wait('do_print');
      ctx.printf(`${yield* data.readString(0)}\n`);
      ctx.emit('done_printing');
    }
  },
});
