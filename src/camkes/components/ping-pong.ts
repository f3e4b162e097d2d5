/**
 * The two components of seed 003's Ping/Pong example. The guide gives only the ADL, so their code
 * is ours (derived): Ping writes a numbered message into `sharedbuf_1`, emits `n1`, waits on `n2`
 * and prints what Pong left in `sharedbuf_2`; Pong waits on `n1`, prints what it read and answers
 * through `sharedbuf_2` and `n2`. `ping.rounds` (an undeclared setting, default 3) sets how many
 * exchanges Ping makes; Pong serves forever, as a CAmkES server does.
 */
import type { BehaviourFactory } from '../runtime';

export const DEFAULT_ROUNDS = 3;

export const Ping: BehaviourFactory = (rt) => ({
  *run(ctx) {
    const rounds = rt.int('rounds') ?? DEFAULT_ROUNDS;
    const out = ctx.dataport('sharedbuf_1');
    const back = ctx.dataport('sharedbuf_2');
    for (let i = 1; i <= rounds; i++) {
      yield* out.writeString(0, `ping ${i}`);
      ctx.emit('n1');
      yield* ctx.wait('n2');
      ctx.printf(`ping: got "${yield* back.readString(0)}"\n`);
    }
    ctx.printf('ping: done\n');
  },
});

export const Pong: BehaviourFactory = () => ({
  *run(ctx) {
    const inbox = ctx.dataport('sharedbuf_1');
    const reply = ctx.dataport('sharedbuf_2');
    for (;;) {
      yield* ctx.wait('n1');
      const msg = yield* inbox.readString(0);
      ctx.printf(`pong: got "${msg}"\n`);
      yield* reply.writeString(0, msg.replace(/^ping/, 'pong'));
      ctx.emit('n2');
    }
  },
});
