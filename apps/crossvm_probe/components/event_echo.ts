/**
 * (ours) EventEcho: answers before anything else, once, while the guest is still booting (an
 * event sent before the guest's consumes_event module has initialised, which the VMM drops:
 * cross-vm-connectors.md 4.2 step 2), then answers every knock:
 *
 *     answer_emit(); while (1) { knock_wait(); printf("EventEcho: knock\n"); answer_emit(); }
 *
 * Loaded through app.yaml's `components: { EventEcho: components/event_echo.ts }`.
 */
import type { BehaviourFactory } from '../../../src/camkes/runtime';

const EventEcho: BehaviourFactory = () => ({
  *run(ctx) {
    ctx.emit('answer');
    for (;;) {
      yield* ctx.wait('knock');
      ctx.printf('EventEcho: knock\n');
      ctx.emit('answer');
    }
  },
});

export default EventEcho;
