import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kernel, renderRunReport, AllRights } from '../../../src/sel4';
import { boot } from './fixture';

test('highest priority runs first; equal priorities round-robin on seL4_Yield', () => {
  const { kernel } = boot();
  const order: string[] = [];
  for (const [name, prio] of [['low', 1], ['a', 5], ['b', 5]] as const)
    kernel.spawn({ name, priority: prio }, function* (sys) {
      for (let i = 0; i < 2; i++) {
        order.push(`${name}${i}`);
        yield* sys.yield();
      }
    });
  assert.equal(kernel.run().reason, 'finished');
  assert.deepEqual(order, ['a0', 'b0', 'a1', 'b1', 'low0', 'low1']);
});

test('virtual time jumps to the next timer when nothing runs: a 20 s sleep takes no real time', () => {
  const { kernel } = boot();
  const at: number[] = [];
  kernel.spawn({ name: 's', priority: 1 }, function* (sys) {
    yield* sys.sleep(20e9);
    at.push(sys.now);
  });
  kernel.after(5e9, () => at.push(kernel.now));
  const t0 = Date.now();
  assert.equal(kernel.run().reason, 'finished');
  assert.ok(Date.now() - t0 < 1000);
  assert.deepEqual(at, [5e9, 20e9]);
});

test('run({until}) stops at a virtual time or a condition', () => {
  const { kernel } = boot();
  let n = 0;
  kernel.spawn({ name: 'tick', priority: 1 }, function* (sys) {
    for (;;) {
      yield* sys.sleep(1000);
      n++;
    }
  });
  assert.equal(kernel.run({ until: 10_500 }).reason, 'until');
  assert.equal(n, 10);
  assert.equal(kernel.run({ until: () => n === 15 }).reason, 'until');
  assert.equal(kernel.now, 15_000);
});

test('the deadlock report says who waits on what since when', () => {
  const { kernel, alloc } = boot();
  const a = alloc.must('Notification', 'ntfn a');
  const ep = alloc.must('Endpoint', 'ep b');
  kernel.spawn({ name: 'x', priority: 1 }, function* (sys) {
    yield* sys.sleep(500);
    yield* sys.wait(a);
  });
  kernel.spawn({ name: 'y', priority: 1 }, function* (sys) {
    yield* sys.call(ep);
  });
  const r = kernel.run();
  assert.equal(r.reason, 'deadlock');
  assert.equal(
    renderRunReport(r),
    'deadlock at t=500ns: every live thread is blocked and no timer is pending\n' +
      '  thread "x" waits in seL4_Wait on "ntfn a" (BlockedOnNotification) since t=500ns\n' +
      '  thread "y" waits in seL4_Call on "ep b" (BlockedOnSend) since t=0ns\n',
  );
});

test('the livelock guard stops a thread that never blocks', () => {
  const { kernel, alloc } = boot();
  const n = alloc.must('Notification', 'ntfn spin');
  kernel.spawn({ name: 'spin', priority: 1 }, (sys) => {
    for (;;) sys.signal(n);
  });
  const r = kernel.run({ maxSteps: 1000 });
  assert.equal(r.reason, 'maxSteps');
  assert.match(renderRunReport(r), /livelock guard: stopped after 1001 steps/);
  assert.deepEqual(r.threads.map((t) => t.thread), ['spin']);
});

test('MCS: a thread whose budget is exhausted waits for its next period', () => {
  const { kernel } = boot();
  const marks: number[] = [];
  kernel.spawn({ name: 'rt', priority: 10, sched: { budget: 2_000, period: 10_000 } }, function* (sys) {
    yield* sys.compute(5_000);
    marks.push(sys.now);
  });
  assert.equal(kernel.run().reason, 'finished');
  // 2 us at 0, 2 us at 10 us, 1 us at 20 us.
  assert.deepEqual(marks, [21_000]);
});

test('compute occupies its core; another core runs meanwhile', () => {
  const kernel = new Kernel({ arch: 'aarch64', seed: 3, cores: 2 });
  const log: string[] = [];
  kernel.spawn({ name: 'c0', priority: 10, core: 0 }, function* (sys) {
    yield* sys.compute(1000);
    log.push(`c0 done ${sys.now}`);
  });
  kernel.spawn({ name: 'c0b', priority: 5, core: 0 }, (sys) => {
    log.push(`c0b ran ${sys.now}`);
  });
  kernel.spawn({ name: 'c1', priority: 5, core: 1 }, (sys) => {
    log.push(`c1 ran ${sys.now}`);
  });
  kernel.run();
  assert.deepEqual(log.sort(), ['c0 done 1000', 'c0b ran 1000', 'c1 ran 0']);
});

function scenario(seed: number): string {
  const kernel = new Kernel({ arch: 'aarch64', seed, cores: 2 });
  const alloc = kernel.allocator();
  const n = alloc.must('Notification', 'ntfn shared');
  const caps = [1, 2, 4, 8].map((b) => {
    const s = alloc.slot();
    kernel.root.cnodeMint(2, s, 2, n, AllRights, b);
    return s;
  });
  caps.forEach((c, i) =>
    kernel.spawn({ name: `s${i}`, priority: 10, core: i % 2 }, function* (sys) {
      for (let j = 0; j < 5; j++) {
        sys.signal(c);
        yield* sys.sleep(100 * ((i + j) % 3));
      }
    }),
  );
  kernel.spawn({ name: 'w', priority: 20, core: 1 }, function* (sys) {
    for (let j = 0; j < 8; j++) yield* sys.wait(n);
  });
  kernel.run();
  return kernel.trace.serialise();
}

test('determinism: same seed, same trace byte for byte; the seed drives cross-core order', () => {
  assert.equal(scenario(1), scenario(1));
  const variants = new Set([1, 2, 3, 4, 5, 6].map(scenario));
  assert.ok(variants.size > 1, 'different seeds should be able to interleave cores differently');
});
