/**
 * The string_reverse demo's native StringReverse (cross-vm-connectors.md 8.2): wait on `ready`,
 * reverse the NUL-terminated string in `src_dp` (length `strnlen(src, STRING_REVERSE_BUFSIZE - 1)`)
 * into `dest_dp`, NUL-terminate it, emit `done`. C reverses bytes, so the model does too.
 */
import type { BehaviourFactory } from '../runtime';

/** STRING_REVERSE_BUFSIZE (string_reverse.h). */
export const STRING_REVERSE_BUFSIZE = 8192;

export const StringReverse: BehaviourFactory = () => ({
  *run(ctx) {
    const src = ctx.dataport('src_dp');
    const dest = ctx.dataport('dest_dp');
    for (;;) {
      yield* ctx.wait('ready');
      const bytes = yield* src.read(0, STRING_REVERSE_BUFSIZE - 1);
      const nul = bytes.indexOf(0);
      const len = nul < 0 ? bytes.length : nul;
      const out = new Uint8Array(len + 1);
      for (let i = 0; i < len; i++) out[i] = bytes[len - 1 - i];
      yield* dest.write(0, out);
      ctx.emit('done');
    }
  },
});
