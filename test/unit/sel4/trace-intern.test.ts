import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trace, type TraceEvent } from '../../../src/sel4/trace';

// The trace interns its strings; once the intern table grows past its bound it is rebuilt from
// the events still in the ring. A long run of distinct values must still serialise exactly as a
// plain "keep the last `limit` events" model does, and stay bounded.
test('interned trace columns survive table compaction and match a plain ring model', () => {
  let now = 0;
  const limit = 1000;
  const trace = new Trace(() => now, limit);
  const model: TraceEvent[] = [];
  const n = 300_000; // more distinct values than the intern table's compaction bound (2^18)
  for (let i = 0; i < n; i++) {
    now += 7;
    const e = {
      layer: i % 3 === 0 ? ('kernel' as const) : ('guest-process' as const),
      actor: `thread ${i % 17}`,
      op: i % 2 ? 'seL4_Signal' : 'seL4_Wait',
      object: `ntfn ${i}`,
      value: i % 5 === 0 ? `badge ${i}` : i,
      result: i % 11 === 0 ? undefined : 'seL4_NoError',
    };
    trace.record(e);
    model.push({ seq: i, time: now, ...e });
    if (model.length > limit) model.shift();
  }
  const expected = model.map((e) => JSON.stringify(e, ['seq', 'time', 'layer', 'actor', 'op', 'object', 'value', 'result', 'peer'])).join('\n') + '\n';
  assert.equal(trace.serialise(), expected);
  assert.equal(trace.length, limit);
  assert.equal(trace.droppedCount, n - limit);
});
