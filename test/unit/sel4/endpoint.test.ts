import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllRights, msg, rights, type Received } from '../../../src/sel4';
import { boot } from './fixture';

test('call/reply carries the badge of the caller cap and message registers both ways', () => {
  const { kernel, root, alloc } = boot();
  const ep = alloc.must('Endpoint', 'ep rpc');
  const client = alloc.slot();
  root.cnodeMint(2, client, 2, ep, AllRights, 0x42);
  const seen: string[] = [];
  kernel.spawn({ name: 'server', priority: 50 }, function* (sys) {
    const m = yield* sys.recv(ep);
    seen.push(`server got badge=${m.badge} label=${m.label} mrs=${m.mrs.join(',')}`);
    sys.reply(msg(0, m.mrs[0] * 2));
  });
  kernel.spawn({ name: 'client', priority: 10 }, function* (sys) {
    const r = yield* sys.call(client, msg(7, 21));
    seen.push(`client got ${r.mrs[0]}`);
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.deepEqual(seen, ['server got badge=66 label=7 mrs=21', 'client got 42']);
});

test('senders queue FIFO and receivers take them in order', () => {
  const { kernel, alloc } = boot();
  const ep = alloc.must('Endpoint', 'ep q');
  const got: number[] = [];
  for (const i of [1, 2, 3])
    kernel.spawn({ name: `s${i}`, priority: 20 }, function* (sys) {
      yield* sys.send(ep, msg(0, i));
    });
  kernel.spawn({ name: 'r', priority: 1 }, function* (sys) {
    for (let i = 0; i < 3; i++) got.push((yield* sys.recv(ep)).mrs[0]);
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.deepEqual(got, [1, 2, 3]);
});

test('NBSend with no receiver is dropped; NBRecv with no sender returns badge 0', () => {
  const { kernel, root, alloc } = boot();
  const ep = alloc.must('Endpoint', 'ep nb');
  assert.equal(root.nbSend(ep, msg(1, 1)), 'seL4_NoError');
  assert.equal(kernel.trace.all().at(-1)!.result, 'dropped');
  const r = root.nbRecv(ep);
  assert.equal(r.badge, 0);
  assert.equal(r.mrs.length, 0);
});

test('ReplyRecv answers the previous caller and waits for the next', () => {
  const { kernel, alloc } = boot();
  const ep = alloc.must('Endpoint', 'ep rr');
  const answers: number[] = [];
  kernel.spawn({ name: 'server', priority: 50 }, function* (sys) {
    let m: Received = yield* sys.recv(ep);
    for (;;) m = yield* sys.replyRecv(ep, msg(0, m.mrs[0] + 100));
  });
  for (const i of [1, 2])
    kernel.spawn({ name: `c${i}`, priority: 10 }, function* (sys) {
      answers.push((yield* sys.call(ep, msg(0, i))).mrs[0]);
    });
  const r = kernel.run();
  assert.equal(r.reason, 'deadlock');
  assert.deepEqual(answers, [101, 102]);
  assert.deepEqual(r.threads.map((t) => `${t.thread}:${t.op}`), ['server:seL4_Recv']);
});

test('a Call through a cap without Grant or GrantReply leaves the caller Inactive, as seL4 does', () => {
  const { kernel, root, alloc } = boot();
  const ep = alloc.must('Endpoint', 'ep nogrant');
  const w = alloc.slot();
  root.cnodeCopy(2, w, 2, ep, rights('W'));
  kernel.spawn({ name: 'server', priority: 50 }, function* (sys) {
    yield* sys.recv(ep);
    sys.reply(msg(0, 1));
  });
  kernel.spawn({ name: 'client', priority: 10 }, function* (sys) {
    yield* sys.call(w, msg(0, 1));
  });
  const r = kernel.run();
  assert.equal(r.reason, 'deadlock');
  assert.equal(r.threads.find((t) => t.thread === 'client')!.state, 'Inactive');
  assert.equal(kernel.trace.all().find((e) => e.op === 'seL4_Reply')!.result, 'no reply cap');
});

test('a cap travels with Grant into the receive slot', () => {
  const { kernel, root, alloc } = boot();
  const ep = alloc.must('Endpoint', 'ep grant');
  const n = alloc.must('Notification', 'ntfn gift');
  const slot = alloc.slot();
  let extra = -1;
  kernel.spawn({ name: 'r', priority: 50 }, function* (sys) {
    sys.thread.receivePath = { cnode: kernel.rootCNode, index: slot };
    extra = (yield* sys.recv(ep)).extraCaps;
  });
  kernel.spawn({ name: 's', priority: 10 }, function* (sys) {
    yield* sys.send(ep, { label: 0, mrs: [], caps: [n] });
  });
  kernel.run();
  assert.equal(extra, 1);
  assert.equal(root.object<{ name: string }>(slot)!.name, 'ntfn gift');
});
