import type { Blocking, Trace } from '../../../src/sel4';
import type { GuestMachine } from '../../../src/vmm/guest-machine';
import type { GuestRequest, ObservableGuest } from '../../../src/system';

/**
 * A stand-in for src/guest in the system tests: a login and a shell that knows a few commands,
 * reporting the trace events the operator watches (src/guest README "Knowing the guest's state").
 */
export function fakeGuest(r: GuestRequest): ObservableGuest {
  const trace: Trace = r.trace;
  const state = { phase: 'off', commands: [] as { line: string; status: number }[] };
  const actor = `${r.vm}:pid 1 sh`;
  const ev = (op: string, object = '', value?: number | string) => trace.add('guest-process', actor, op, object, value);
  let buf = '';
  function* readLine(m: GuestMachine): Blocking<string> {
    for (;;) {
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        return line;
      }
      const irq = yield* m.acknowledgeInterrupt();
      if (irq === null) {
        yield* m.idle(null);
        continue;
      }
      buf += Buffer.from(yield* m.consoleRead(256)).toString('latin1');
      yield* m.endOfInterrupt(irq);
    }
  }
  const say = (m: GuestMachine, s: string) => m.consoleWrite(Buffer.from(s));
  return {
    status: () => state,
    *boot(m) {
      state.phase = 'login';
      yield* say(m, 'Welcome to Buildroot\nbuildroot login: ');
      ev('login-prompt', '/dev/console');
      yield* say(m, (yield* readLine(m)) + '\nPassword: ');
      ev('password-prompt');
      yield* readLine(m);
      yield* say(m, '\n# ');
      state.phase = 'shell';
      ev('shell-prompt', '', 0);
      for (;;) {
        const line = yield* readLine(m);
        yield* say(m, line + '\n');
        let status = 0;
        if (line === 'false') status = 1;
        else if (line === 'hang') for (;;) yield* m.idle(null);
        else if (line === 'crash') yield* m.read32(0xd000_0000);
        else if (line.startsWith('echo ')) yield* say(m, line.slice(5) + '\n');
        state.commands.push({ line, status });
        ev('command-done', line, status);
        yield* say(m, '# ');
        ev('shell-prompt', '', status);
      }
    },
  };
}
