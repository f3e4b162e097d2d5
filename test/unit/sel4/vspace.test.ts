import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllRights, ARCHES, msg, rights, type Frame, type VSpace } from '../../../src/sel4';
import { boot } from './fixture';

function space(arch: 'aarch64' | 'aarch32' | 'x86_64' | 'ia32' = 'aarch64') {
  const b = boot(arch, { untyped: [{ sizeBits: ARCHES[arch].wordBits === 64 ? 31 : 29, count: 2 }] });
  const vs = b.alloc.must('VSpace', 'vspace vm0');
  return { ...b, vs, vspace: b.root.object<VSpace>(vs)! };
}

test('every architecture maps each of its frame sizes, aligned, and refuses misalignment', () => {
  for (const arch of ['aarch64', 'aarch32', 'x86_64', 'ia32'] as const) {
    const { root, alloc, vs } = space(arch);
    const step = ARCHES[arch].wordBits === 64 ? 2 ** 30 : 2 ** 28;
    let vaddr = step;
    for (const bits of ARCHES[arch].pageBits) {
      const f = alloc.must('Frame', `frame ${bits}`, bits);
      assert.equal(root.pageMap(f, vs, vaddr + 4096, AllRights), bits === 12 ? 'seL4_NoError' : 'seL4_AlignmentError', `${arch} ${bits}`);
      if (bits !== 12) assert.equal(root.pageMap(f, vs, vaddr, AllRights), 'seL4_NoError', `${arch} ${bits}`);
      vaddr += step;
    }
  }
});

test('two VSpaces mapping the same frame see the same bytes', () => {
  const { root, alloc, vs, vspace } = space();
  const vs2 = alloc.must('VSpace', 'vspace vm1');
  const f = alloc.must('Frame', 'frame shared');
  const copy = alloc.slot();
  root.cnodeCopy(2, copy, 2, f);
  assert.equal(root.pageMap(f, vs, 0x10000, AllRights), 'seL4_NoError');
  assert.equal(root.pageMap(copy, vs2, 0x20000, AllRights), 'seL4_NoError');
  assert.equal(vspace.store(0x10010, 4, 0xdeadbeef), null);
  assert.equal(root.object<VSpace>(vs2)!.load(0x20010, 4), 0xdeadbeef);
});

test('a frame cap maps once: elsewhere is InvalidArgument, the same place remaps with new rights', () => {
  const { root, alloc, vs, vspace } = space();
  const f = alloc.must('Frame', 'frame f');
  assert.equal(root.pageMap(f, vs, 0x10000, AllRights), 'seL4_NoError');
  assert.equal(root.pageMap(f, vs, 0x20000, AllRights), 'seL4_InvalidArgument');
  assert.equal(root.pageMap(f, vs, 0x10000, rights('R')), 'seL4_NoError');
  assert.deepEqual(vspace.store(0x10000, 1, 1), { addr: 0x10000, kind: 'write', reason: 'permission' });
  const g = alloc.must('Frame', 'frame g');
  assert.equal(root.pageMap(g, vs, 0x10000, AllRights), 'seL4_DeleteFirst');
  assert.equal(root.pageUnmap(f), 'seL4_NoError');
  assert.deepEqual(vspace.load(0x10000, 1), { addr: 0x10000, kind: 'read', reason: 'unmapped' });
});

test('frames are backed lazily: reads of untouched memory allocate nothing', () => {
  const { root, alloc, vs, vspace } = space();
  const f = alloc.must('Frame', 'frame big', 21);
  root.pageMap(f, vs, 0x4000_0000, AllRights);
  const frame = root.object<Frame>(f)!;
  assert.equal(vspace.load(0x4010_0000, 4), 0);
  assert.equal(frame.touchedBytes, 0);
  vspace.writeBytes(0x4000_0ffe, new Uint8Array([1, 2, 3, 4]));
  assert.equal(frame.touchedBytes, 8192);
  assert.equal(vspace.load(0x4000_0ffe, 4), 0x04030201);
});

test('deleting a mapped frame cap unmaps it', () => {
  const { root, alloc, vs, vspace } = space();
  const f = alloc.must('Frame', 'frame f');
  root.pageMap(f, vs, 0x10000, AllRights);
  root.cnodeDelete(2, f);
  assert.equal(vspace.mappings().length, 0);
});

test('a thread access to an unmapped address raises a VMFault to its fault handler, which can emulate it', () => {
  const { kernel, root, alloc, vs } = space();
  const ep = alloc.must('Endpoint', 'ep vm0.fault');
  const fep = alloc.slot();
  root.cnodeMint(2, fep, 2, ep, AllRights, 0x99);
  const seen: string[] = [];
  kernel.spawn({ name: 'vmm', priority: 100 }, function* (sys) {
    const m = yield* sys.recv(ep);
    seen.push(`${m.fault!.type} badge=${m.badge} addr=0x${m.fault!.type === 'seL4_Fault_VMFault' ? m.fault!.addr.toString(16) : ''} kind=${m.fault!.type === 'seL4_Fault_VMFault' ? m.fault!.kind : ''} label=${m.label} mrs=${m.mrs.join(',')}`);
    sys.reply(msg(0, 0x1234));
  });
  kernel.spawn({ name: 'guest', priority: 50, vspace: root.object<VSpace>(vs)!, faultHandler: fep }, function* (sys) {
    seen.push(`read 0x${(yield* sys.load(0x9000_0000, 4)).toString(16)}`);
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.deepEqual(seen, ['seL4_Fault_VMFault badge=153 addr=0x90000000 kind=read label=5 mrs=0,2415919104,0,0', 'read 0x1234']);
});

test('an empty fault reply restarts the access, which succeeds once the handler mapped the page', () => {
  const { kernel, root, alloc, vs } = space();
  const ep = alloc.must('Endpoint', 'ep fault');
  const f = alloc.must('Frame', 'frame lazy');
  kernel.spawn({ name: 'pager', priority: 100 }, function* (sys) {
    yield* sys.recv(ep);
    sys.pageMap(f, vs, 0x5000, AllRights);
    sys.reply();
  });
  let v = -1;
  kernel.spawn({ name: 'app', priority: 50, vspace: root.object<VSpace>(vs)!, faultHandler: ep }, function* (sys) {
    yield* sys.store(0x5004, 4, 77);
    v = yield* sys.load(0x5004, 4);
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.equal(v, 77);
});

test('a write without the right faults; with no fault handler the thread is suspended and the kernel says so', () => {
  const { kernel, root, alloc, vs } = space();
  const f = alloc.must('Frame', 'frame ro');
  root.pageMap(f, vs, 0x5000, rights('R'));
  kernel.spawn({ name: 'app', priority: 50, vspace: root.object<VSpace>(vs)! }, function* (sys) {
    yield* sys.store(0x5000, 4, 1);
  });
  const r = kernel.run();
  assert.equal(r.reason, 'deadlock');
  assert.equal(r.threads[0].state, 'Inactive');
  assert.deepEqual(kernel.log, ['Caught cap fault in send phase at address 0x0', 'while trying to handle:', 'vm fault on data at address 0x5000 with status 0x1', 'in thread "app"']);
  assert.equal(kernel.trace.all().find((e) => e.op === 'fault')!.result, 'no fault handler: thread suspended');
});
