// The fast paths behind the cross-VM benchmark (chunked trace ring, VSpace/Frame caches, reads
// into a caller's buffer) must give exactly what the plain paths give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AllRights, Trace, type Frame, type TraceEvent, type VSpace } from '../../../src/sel4';
import { boot } from './fixture';

function filled(limit: number, n: number): { trace: Trace; model: TraceEvent[] } {
  let time = 0;
  const trace = new Trace(() => time, limit);
  const model: TraceEvent[] = [];
  for (let i = 0; i < n; i++) {
    time += 10;
    const e: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { seq: i, time, layer: i % 3 ? 'kernel' : 'guest-process', actor: `a${i % 7}`, op: `op${i % 5}`, object: `o${i}` };
    if (i % 2) e.value = i;
    if (i % 4 === 1) e.result = 'seL4_NoError';
    if (i % 6 === 5) e.peer = 'p';
    trace.add(e.layer, e.actor, e.op, e.object, e.value, e.result, e.peer);
    model.push(e);
  }
  return { trace, model: model.slice(Math.max(0, n - limit)) };
}

test('the trace ring keeps the newest `limit` events across storage chunks, in order, fields absent as given', () => {
  const { trace, model } = filled(5000, 12_345);
  assert.equal(trace.length, 5000);
  assert.equal(trace.droppedCount, 12_345 - 5000);
  assert.deepEqual(trace.all(), model);
});

test('column reads and event(seq) agree with all(); a dropped or future seq is refused', () => {
  const { trace, model } = filled(4100, 9000);
  for (const e of model.filter((_, i) => i % 97 === 0)) {
    assert.equal(trace.layerAt(e.seq), e.layer);
    assert.equal(trace.actorAt(e.seq), e.actor);
    assert.deepEqual(trace.event(e.seq), e);
  }
  const all = trace.all();
  assert.equal(trace.event(model[10].seq), all[10], 'a built event is the one all() holds');
  assert.throws(() => trace.layerAt(model[0].seq - 1), RangeError);
  assert.throws(() => trace.event(9000), RangeError);
});

test('property: any limit and count give the same events as a plain list cut to the limit', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9000 }), fc.integer({ min: 0, max: 20_000 }), (limit, n) => {
      const { trace, model } = filled(limit, n);
      const all = trace.all();
      assert.equal(all.length, model.length);
      if (model.length) {
        assert.deepEqual(all[0], model[0]);
        assert.deepEqual(all[all.length - 1], model[model.length - 1]);
      }
    }),
    { numRuns: 25 },
  );
});

function space() {
  const b = boot('x86_64');
  const vs = b.alloc.must('VSpace', 'vspace t');
  return { ...b, vs, vspace: b.root.object<VSpace>(vs)! };
}

test('a VSpace forgets the mapping it found last when that mapping is unmapped', () => {
  const { root, alloc, vs, vspace } = space();
  const f = alloc.must('Frame', 'frame a');
  root.pageMap(f, vs, 0x10000, AllRights);
  assert.equal(vspace.store(0x10004, 4, 0x11223344), null);
  assert.equal(vspace.load(0x10004, 4), 0x11223344);
  root.pageUnmap(f);
  assert.deepEqual(vspace.load(0x10004, 4), { addr: 0x10004, kind: 'read', reason: 'unmapped' });
  const g = alloc.must('Frame', 'frame b');
  root.pageMap(g, vs, 0x10000, AllRights);
  assert.equal(vspace.load(0x10004, 4), 0, 'the new frame, not the old one');
});

test('word accesses within and across 4 KiB backing chunks of a large frame are little-endian and exact', () => {
  const { root, alloc, vs, vspace } = space();
  const f = alloc.must('Frame', 'frame big', 21);
  root.pageMap(f, vs, 0x20_0000, AllRights);
  const frame = root.object<Frame>(f)!;
  for (const off of [0, 0xffc, 0xffd, 0xffe, 0xfff, 0x1000, 0x1ffe]) {
    assert.equal(vspace.store(0x20_0000 + off, 4, 0xa1b2c3d4), null);
    assert.equal(vspace.load(0x20_0000 + off, 4), 0xa1b2c3d4, `offset ${off}`);
    assert.equal(vspace.load(0x20_0000 + off, 2), 0xc3d4);
    assert.equal(frame.readU(off + 3, 1), 0xa1);
  }
  assert.equal(vspace.load(0x20_0000 + 0x10_0000, 4), 0, 'untouched memory reads zero');
});

test('readInto fills the caller buffer like readBytes, faults like it, and an empty write never faults', () => {
  const { root, alloc, vs, vspace } = space();
  const f = alloc.must('Frame', 'frame a');
  root.pageMap(f, vs, 0x10000, AllRights);
  const data = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff);
  assert.equal(vspace.writeBytes(0x10000, data), null);
  const buf = new Uint8Array(5000).fill(0xee);
  assert.equal(vspace.readInto(0x10010, buf, 100), null);
  assert.deepEqual(buf.subarray(0, 100), data.subarray(0x10, 0x10 + 100));
  assert.equal(buf[100], 0xee, 'nothing past len is written');
  assert.deepEqual(vspace.readInto(0x10000, buf, 4097), { addr: 0x11000, kind: 'read', reason: 'unmapped' });
  assert.deepEqual(vspace.readBytes(0x10000, 4097), { addr: 0x11000, kind: 'read', reason: 'unmapped' });
  assert.equal(vspace.writeBytes(0x90000, new Uint8Array(0)), null);
  assert.deepEqual(vspace.writeBytes(0x10ffe, new Uint8Array(4)), { addr: 0x11000, kind: 'write', reason: 'unmapped' });
  assert.equal(vspace.load(0x10ffe, 2), (data[0xffe] | (data[0xfff] << 8)) >>> 0, 'a faulting write changed nothing');
});

test('Sys.readInto reads through the thread VSpace into a reused buffer', () => {
  const { kernel, root, alloc, vs } = space();
  const f = alloc.must('Frame', 'frame a');
  root.pageMap(f, vs, 0x10000, AllRights);
  root.object<VSpace>(vs)!.writeBytes(0x10000, new TextEncoder().encode('hello\0world'));
  const got: string[] = [];
  kernel.spawn({ name: 't', priority: 10, vspace: root.object<VSpace>(vs)! }, function* (sys) {
    const buf = new Uint8Array(16);
    yield* sys.readInto(0x10000, buf, 11);
    got.push(new TextDecoder().decode(buf.subarray(0, buf.indexOf(0))));
    yield* sys.readInto(0x10006, buf, 5);
    got.push(new TextDecoder().decode(buf.subarray(0, 5)));
  });
  kernel.run();
  assert.deepEqual(got, ['hello', 'world']);
});
