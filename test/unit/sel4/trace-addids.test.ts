import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trace, TRACE_ABSENT } from '../../../src/sel4/trace';

// `addIds` (pre-interned ids, the hot paths) must store exactly what `add` stores for the same
// strings, including after the intern table is compacted: pinned ids outlive compaction.
test('addIds records the same events as add, across intern-table compaction', () => {
  let now = 0;
  const limit = 500;
  const fast = new Trace(() => now, limit);
  const plain = new Trace(() => now, limit);
  const ids = { kernel: fast.intern('kernel'), signal: fast.intern('seL4_Signal'), ok: fast.intern('seL4_NoError'), obj: fast.intern('ntfn a'), peer: fast.intern('t1') };
  const n = 400_000; // past the compaction bound (2^18 interned values)
  for (let i = 0; i < n; i++) {
    now += 3;
    const actor = `thread ${i % 5}`;
    const value = i % 4 === 0 ? `v ${i}` : i % 4 === 1 ? undefined : i;
    if (i % 2) {
      // An actor id from `idOf` is taken again when the epoch moved (as a guest process does).
      const actorArg = i % 3 === 0 ? actor : i % 3 === 1 ? fast.intern(actor) : cachedId(fast, actor);
      fast.addIds(ids.kernel, actorArg, ids.signal, ids.obj, value, i % 3 ? ids.ok : TRACE_ABSENT, i % 5 ? TRACE_ABSENT : ids.peer);
      plain.add('kernel', actor, 'seL4_Signal', 'ntfn a', value, i % 3 ? 'seL4_NoError' : undefined, i % 5 ? undefined : 't1');
    } else {
      fast.add('guest-process', actor, 'poll', `obj ${i}`, value, `r ${i % 7}`);
      plain.add('guest-process', actor, 'poll', `obj ${i}`, value, `r ${i % 7}`);
    }
  }
  assert.equal(fast.serialise(), plain.serialise());
  assert.ok(fast.epoch > 0, 'the intern table was compacted during the run');
  assert.equal(fast.layerAt(n - 1), 'kernel');
  assert.equal(fast.actorAt(n - 1), `thread ${(n - 1) % 5}`);
});

const cache = new Map<string, { id: number; epoch: number }>();
function cachedId(t: Trace, s: string): number {
  let c = cache.get(s);
  if (!c || c.epoch !== t.epoch) cache.set(s, (c = { id: t.idOf(s), epoch: t.epoch }));
  return c.id;
}

test('nextInLayer and opAt find events of one layer without building the others', () => {
  const t = new Trace(() => 0, 6);
  for (let i = 0; i < 9; i++) t.add(i % 3 === 0 ? 'guest-process' : 'kernel', 'a', `op ${i}`, '');
  const gp = t.intern('guest-process');
  // Stored: seq 3..8 (the ring keeps 6); guest-process events at 3 and 6.
  assert.equal(t.nextInLayer(0, 9, gp), 3);
  assert.equal(t.nextInLayer(4, 9, gp), 6);
  assert.equal(t.nextInLayer(7, 9, gp), -1);
  assert.equal(t.nextInLayer(4, 6, gp), -1, 'the end is exclusive');
  assert.equal(t.opAt(6), 'op 6');
});

test('addIds takes result and peer as strings too', () => {
  const t = new Trace(() => 5);
  t.addIds(t.intern('vmm'), 'vm0:vmm', t.intern('vmcall'), t.intern('h'), 3, '0', 'x');
  assert.deepEqual(t.all()[0], { seq: 0, time: 5, layer: 'vmm', actor: 'vm0:vmm', op: 'vmcall', object: 'h', value: 3, result: '0', peer: 'x' });
});
