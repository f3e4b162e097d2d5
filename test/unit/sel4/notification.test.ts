import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllRights, CanRead } from '../../../src/sel4';
import { boot } from './fixture';

function badged(badges: number[]) {
  const b = boot();
  const n = b.alloc.must('Notification', 'ntfn ready');
  const caps = badges.map((badge) => {
    const s = b.alloc.slot();
    assert.equal(b.root.cnodeMint(2, s, 2, n, AllRights, badge), 'seL4_NoError');
    return s;
  });
  return { ...b, n, caps };
}

test('a signal with no waiter leaves the word pending; further signals OR in; one wait takes all', () => {
  const { kernel, n, caps } = badged([0x1, 0x2]);
  const got: number[] = [];
  kernel.spawn({ name: 'a', priority: 10 }, (sys) => {
    sys.signal(caps[0]);
    sys.signal(caps[1]);
  });
  kernel.spawn({ name: 'b', priority: 5 }, function* (sys) {
    got.push(yield* sys.wait(n));
    got.push(sys.poll(n));
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.deepEqual(got, [0x3, 0]);
});

test('a signal with waiters wakes the first queued waiter only (FIFO)', () => {
  const { kernel, n, caps } = badged([0x4]);
  const woke: string[] = [];
  for (const name of ['w1', 'w2', 'w3'])
    kernel.spawn({ name, priority: 20 }, function* (sys) {
      woke.push(`${name}=${yield* sys.wait(n)}`);
    });
  kernel.spawn({ name: 's', priority: 1 }, (sys) => {
    sys.signal(caps[0]);
  });
  const r = kernel.run();
  assert.deepEqual(woke, ['w1=4']);
  assert.equal(r.reason, 'deadlock');
  assert.deepEqual(r.threads.map((t) => `${t.thread} ${t.op} ${t.object}`), ['w2 seL4_Wait ntfn ready', 'w3 seL4_Wait ntfn ready']);
});

test('an unbadged signal with no waiter still makes the object active with word 0 (seL4 code, not the manual)', () => {
  const { kernel, n } = badged([]);
  const seen: string[] = [];
  kernel.spawn({ name: 'a', priority: 10 }, function* (sys) {
    sys.signal(n);
    seen.push(kernel.root.object<{ state: string }>(n)!.state);
    seen.push(String(yield* sys.wait(n)));
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.deepEqual(seen, ['Active', '0']);
});

test('poll returns 0 without blocking when idle', () => {
  const { kernel, n } = badged([]);
  let polled = -1;
  kernel.spawn({ name: 'p', priority: 10 }, (sys) => {
    polled = sys.poll(n);
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.equal(polled, 0);
});

test('signal without Write is refused with seL4_InvalidCapability and changes nothing', () => {
  const { kernel, root, alloc, n } = badged([]);
  const ro = alloc.slot();
  assert.equal(root.cnodeCopy(2, ro, 2, n, CanRead), 'seL4_NoError');
  assert.equal(root.signal(ro), 'seL4_InvalidCapability');
  assert.equal(root.poll(n), 0);
  assert.equal(kernel.trace.all().at(-1)!.op, 'seL4_Poll');
});

test('waiting on a cap without Read is a cap fault; with no fault handler the thread is suspended', () => {
  const { kernel, root, alloc, n } = badged([]);
  const wo = alloc.slot();
  root.cnodeCopy(2, wo, 2, n, { read: false, write: true, grant: false, grantReply: false });
  kernel.spawn({ name: 'w', priority: 10 }, function* (sys) {
    yield* sys.wait(wo);
  });
  const r = kernel.run();
  assert.equal(r.reason, 'deadlock');
  assert.equal(r.threads[0].state, 'Inactive');
  assert.match(kernel.log.join('\n'), /cap fault in receive phase at address 0x/);
  assert.match(kernel.log.join('\n'), /in thread "w"/);
});

test('a bound notification wakes its TCB blocked in Recv on an endpoint, with the badge', () => {
  const { kernel, root, alloc, n, caps } = badged([0x10]);
  const ep = alloc.must('Endpoint', 'ep server');
  let got = -1;
  const t = kernel.spawn({ name: 'server', priority: 10, boundNotification: root.object(n)! }, function* (sys) {
    got = (yield* sys.recv(ep)).badge;
  });
  assert.equal(t.boundNotification?.name, 'ntfn ready');
  kernel.spawn({ name: 'irq', priority: 1 }, (sys) => {
    sys.signal(caps[0]);
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.equal(got, 0x10);
});

test('waiting with a timeout returns null after the virtual time passes', () => {
  const { kernel, n } = badged([]);
  let r: number | null = 1;
  kernel.spawn({ name: 'w', priority: 10 }, function* (sys) {
    r = yield* sys.waitTimeout(n, 20e9);
  });
  const res = kernel.run();
  assert.equal(res.reason, 'finished');
  assert.equal(r, null);
  assert.equal(kernel.now, 20e9);
});

test('deleting the last cap of a notification restarts its waiter, which then faults', () => {
  const { kernel, root, n } = badged([]);
  kernel.spawn({ name: 'w', priority: 10 }, function* (sys) {
    yield* sys.wait(n);
  });
  kernel.run();
  assert.equal(root.cnodeDelete(2, n), 'seL4_NoError');
  const r = kernel.run();
  assert.equal(r.threads[0].state, 'Inactive');
  assert.match(r.threads[0].op, /cap fault/);
});
