import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveAssembly } from '../../../src/camkes/resolve';
import { instantiate, type InstantiatedSystem } from '../../../src/camkes/instantiate';
import { loadSpecText } from '../../../src/camkes/instantiate/load';
import { BehaviourRegistry, INT_MAX, type Behaviour, type ThreadContext } from '../../../src/camkes/runtime';

const SPEC = `
import <std_connector.camkes>;
import <global-connectors.camkes>;
procedure Calc { int add(in int a, in int b); string greet(in string who); }
component Src { control; emits Ev e; dataport Buf(4096) d; uses Calc calc; emits Ev g; has mutex m; has semaphore s; has binary_semaphore b; }
component Dst { control; consumes Ev e; dataport Buf(4096) d; provides Calc calc; consumes Ev g; }
assembly { composition {
  component Src src; component Dst dst;
  connection seL4Notification ev(from src.e, to dst.e);
  connection seL4SharedData shm(from src.d, to dst.d);
  connection seL4RPCCall rpc(from src.calc, to dst.calc);
  connection seL4GlobalAsynch ga(from src.g, to dst.g);
} configuration { dst.priority = 100; src.priority = 100; } }
`;

type Body = (ctx: ThreadContext) => Generator<unknown, unknown, unknown>;

function system(src: Body | undefined, dst: Body | undefined, provides?: Behaviour['provides']): InstantiatedSystem {
  const reg = new BehaviourRegistry()
    .register('Src', (): Behaviour => (src ? { run: src } : {}))
    .register('Dst', (): Behaviour => ({ ...(dst ? { run: dst } : {}), ...(provides ? { provides } : {}) }));
  return instantiate(resolveAssembly(loadSpecText(SPEC)), { behaviours: reg });
}

test('emit before the consumer waits is delivered (the interface thread hands it off)', () => {
  const seen: string[] = [];
  const sys = system(
    function* (ctx) {
      ctx.emit('e');
      seen.push('emitted');
      yield* ctx.sys.yield();
    },
    function* (ctx) {
      yield* ctx.sys.sleep(1000);
      seen.push('waiting');
      yield* ctx.wait('e');
      seen.push('woke');
    },
  );
  sys.run();
  assert.deepEqual(seen, ['emitted', 'waiting', 'woke']);
});

test('signals reaching the notification while the interface thread is not waiting coalesce', () => {
  const polls: number[] = [];
  const sys = system(
    function* (ctx) {
      yield* ctx.sys.sleep(1);
      // The first emit wakes e__run; the next two find it not yet waiting again and coalesce.
      ctx.emit('e');
      ctx.emit('e');
      ctx.emit('e');
    },
    function* (ctx) {
      yield* ctx.sys.sleep(1000);
      for (let i = 0; i < 3; i++) polls.push(ctx.poll('e'));
    },
  );
  sys.run();
  assert.deepEqual(polls, [1, 1, 0]);
  const signals = sys.kernel.trace.filter((e) => e.op === 'seL4_Signal' && e.object === 'ntfn ev.dst.e');
  assert.equal(signals.length, 3);
});

test('reg_callback: one-shot, -1 while registered, called at once in the caller when an event is pending', () => {
  const log: string[] = [];
  const sys = system(
    function* (ctx) {
      for (const t of [5, 15, 20]) {
        yield* ctx.sys.sleep(t);
        ctx.emit('e');
      }
    },
    function* (ctx) {
      const cb = (c: ThreadContext, arg: unknown) => void log.push(`cb ${String(arg)} in ${c.sys.name}`);
      log.push(`reg ${yield* ctx.regCallback('e', cb, 'A')}`);
      log.push(`again ${yield* ctx.regCallback('e', cb, 'B')}`);
      yield* ctx.sys.sleep(30);
      // The first event (t=5) used the callback and deregistered it: the second (t=20) is pending.
      log.push(`reg ${yield* ctx.regCallback('e', cb, 'C')}`);
      yield* ctx.sys.sleep(20);
      // The third (t=40) found no callback: it was counted in the handoff semaphore.
      log.push(`poll ${ctx.poll('e')}`);
    },
  );
  sys.run();
  assert.deepEqual(log, ['reg 0', 'again -1', 'cb A in dst:e__run', 'cb C in dst:control', 'reg 0', 'poll 1']);
});

test('the handoff count saturates at INT_MAX and further events are dropped', () => {
  let dropped = -1;
  const sys = system(function* (ctx) {
    ctx.emit('e');
    yield* ctx.sys.yield();
  }, function* (ctx) {
    yield* ctx.sys.sleep(100);
    dropped = ctx.rt.event('e').dropped;
  });
  sys.instances.get('dst')!.runtime.event('e').handoff.value = INT_MAX;
  sys.run();
  assert.equal(dropped, 1);
  assert.equal(sys.instances.get('dst')!.runtime.event('e').handoff.value, INT_MAX);
});

test('both ends of a dataport see the same bytes through their own mappings', () => {
  let got = '';
  const sys = system(function* (ctx) {
    yield* ctx.dataport('d').writeString(0, 'shared hello');
    ctx.emit('e');
  }, function* (ctx) {
    yield* ctx.wait('e');
    got = yield* ctx.dataport('d').readString(0);
  });
  sys.run();
  assert.equal(got, 'shared hello');
  const a = sys.instances.get('src')!.runtime.interfaces.get('d');
  const b = sys.instances.get('dst')!.runtime.interfaces.get('d');
  assert.ok(a?.kind === 'dataport' && b?.kind === 'dataport');
  assert.equal(a.frames[0], b.frames[0]);
});

test('readString reads as C reads a string: up to the NUL (or max), never beyond it (property)', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 80 });
  const caseArb = fc.record({ text, offset: fc.nat(4000), max: fc.option(fc.nat(200), { nil: undefined }), nul: fc.boolean() });
  fc.assert(
    fc.property(fc.array(caseArb, { minLength: 1, maxLength: 12 }), (cases) => {
      const got: string[] = [];
      const sys = system(function* (ctx) {
        const d = ctx.dataport('d');
        for (const c of cases) {
          const bytes = new TextEncoder().encode(c.text).slice(0, 4096 - c.offset);
          // Fill after the text with non-NUL bytes up to the end, unless a NUL ends the text.
          const rest = new Uint8Array(4096 - c.offset - bytes.length).fill(0x41);
          if (c.nul && rest.length) rest[0] = 0;
          yield* d.write(c.offset, bytes);
          yield* d.write(c.offset + bytes.length, rest);
          // A max past the dataport's end with no NUL before it faults (the next test); stay inside.
          got.push(yield* d.readString(c.offset, c.max === undefined ? undefined : Math.min(c.max, 4096 - c.offset)));
        }
      }, undefined);
      sys.run();
      const expected = cases.map((c) => {
        const bytes = new TextEncoder().encode(c.text).slice(0, 4096 - c.offset);
        const all = new Uint8Array(4096 - c.offset).fill(0x41);
        all.set(bytes);
        if (c.nul && bytes.length < all.length) all[bytes.length] = 0;
        const max = c.max ?? 4096 - c.offset;
        const limit = Math.min(max, all.length);
        const nul = all.subarray(0, limit).indexOf(0);
        return Buffer.from(all.subarray(0, nul < 0 ? limit : nul)).toString('utf8');
      });
      assert.deepEqual(got, expected);
    }),
    { numRuns: 25 },
  );
});

test('readString stops at a NUL just before the end of the dataport; without one it reads on and faults', () => {
  let got = '';
  const ok = system(function* (ctx) {
    yield* ctx.dataport('d').write(4090, new Uint8Array([104, 105, 0, 65, 65, 65]));
    got = yield* ctx.dataport('d').readString(4090, 100);
  }, undefined);
  ok.run();
  assert.equal(got, 'hi');
  assert.notEqual(ok.kernel.thread('src:control')!.state, 'Inactive');
  const overrun = system(function* (ctx) {
    yield* ctx.dataport('d').write(4090, new Uint8Array([104, 105, 65, 65, 65, 65]));
    got = yield* ctx.dataport('d').readString(4090, 100);
  }, undefined);
  got = 'unset';
  overrun.run();
  assert.equal(got, 'unset', 'the read past the mapping never returned');
  assert.equal(overrun.kernel.thread('src:control')!.state, 'Inactive');
});

test('an access beyond the dataport faults instead of reaching other memory', () => {
  const sys = system(function* (ctx) {
    yield* ctx.dataport('d').write(4096, new Uint8Array([1]));
  }, undefined);
  sys.run();
  assert.equal(sys.kernel.thread('src:control')!.state, 'Inactive');
  assert.ok(sys.kernel.trace.all().some((e) => e.op === 'fault' || /VMFault/.test(String(e.op) + String(e.value ?? ''))));
});

test('mutex: lock takes the notification signalled at start; a second locker waits for unlock', () => {
  const log: string[] = [];
  const reg = new BehaviourRegistry().register('Src', () => ({
    run: function* (ctx) {
      yield* ctx.lock('m');
      log.push('control locked');
      yield* ctx.sys.sleep(100);
      log.push('control unlocks');
      ctx.unlock('m');
    },
    threads: [{
      name: 'helper',
      body: function* (ctx) {
        yield* ctx.sys.sleep(10);
        yield* ctx.lock('m');
        log.push('helper locked');
        ctx.unlock('m');
      },
    }],
  }));
  instantiate(resolveAssembly(loadSpecText(SPEC)), { behaviours: reg }).run();
  assert.deepEqual(log, ['control locked', 'control unlocks', 'helper locked']);
});

test('semaphores: counting from <s>_value (default 1); binary semaphores start at 0', () => {
  const log: string[] = [];
  const sys = system(function* (ctx) {
    log.push(`s try ${ctx.semTryWait('s')}`, `s try ${ctx.semTryWait('s')}`, `b try ${ctx.semTryWait('b')}`);
    ctx.semPost('b');
    ctx.semPost('b');
    log.push(`b try ${ctx.semTryWait('b')}`, `b try ${ctx.semTryWait('b')}`);
    ctx.semPost('s');
    ctx.semPost('s');
    yield* ctx.semWait('s');
    yield* ctx.semWait('s');
    log.push('s waited twice');
  }, undefined);
  sys.run();
  assert.deepEqual(log, ['s try 0', 's try -1', 'b try -1', 'b try 0', 'b try -1', 's waited twice']);
});

test('seL4RPCCall: arguments travel in message registers, the server thread dispatches and replies', () => {
  const got: unknown[] = [];
  const sys = system(function* (ctx) {
    got.push((yield* ctx.call('calc', 'add', 2, 40)).ret);
    got.push((yield* ctx.call('calc', 'greet', 'ping')).ret);
  }, undefined, {
    calc: {
      add: (_c, a, b) => (a as number) + (b as number),
      greet: (c, who) => `hello ${String(who)} from ${c.sys.name}`,
    },
  });
  sys.run();
  assert.deepEqual(got, [42, 'hello ping from dst:calc__run']);
  const calls = sys.kernel.trace.filter((e) => e.op === 'seL4_Call' && e.object === 'ep rpc');
  assert.equal(calls.length, 2);
  assert.equal(calls[0].value, 1, 'the client cap is badged');
});

test('seL4GlobalAsynch: the to side gets the shared notification and its badge, no thread', () => {
  let badge = -1;
  let expected = -2;
  const sys = system(function* (ctx) {
    ctx.emit('g');
    yield* ctx.sys.yield();
  }, function* (ctx) {
    expected = ctx.notificationBadge('g');
    badge = yield* ctx.sys.wait(ctx.notification('g'));
  });
  sys.run();
  assert.equal(badge, expected);
  assert.equal(expected, 1);
  assert.equal(sys.kernel.thread('dst:g__run'), undefined);
});

test('using an interface the component does not have is a usage error naming it', () => {
  const sys = system(function* (ctx) {
    yield* ctx.sys.yield();
    ctx.emit('nope');
  }, undefined);
  assert.throws(() => sys.run(), /interface 'nope' is not declared by Src/);
});
