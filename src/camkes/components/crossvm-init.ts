/**
 * vm_cross_connector's native CrossvmInit (`components/crossvm_init.c`, cross-vm-connectors.md
 * 8.3): zero `dest`, write the test string, then forever `ready_wait(); printf("Got an event\n");
 * done_emit_underlying();`.
 */
import type { BehaviourFactory } from '../runtime';

export const CROSSVM_TEST_STRING = 'This is a crossvm dataport test string\n';

export const CrossvmInit: BehaviourFactory = () => ({
  *run(ctx) {
    const dest = ctx.dataport('dest');
    yield* dest.fill(0, 4096);
    yield* dest.writeString(0, CROSSVM_TEST_STRING);
    for (;;) {
      yield* ctx.wait('ready');
      ctx.printf('Got an event\n');
      ctx.emitUnderlying('done');
    }
  },
});
