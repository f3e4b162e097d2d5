import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllRights, capListing, rights, renderCapListing } from '../../../src/sel4';
import { boot } from './fixture';

test('retype carves aligned objects and runs out with seL4_NotEnoughMemory', () => {
  const { kernel, root } = boot('aarch64', { untyped: [{ sizeBits: 12, count: 1 }] });
  const ut = kernel.untyped[0].cptr;
  const s = kernel.firstFreeSlot;
  // A 4 KiB untyped holds two 2 KiB TCBs (aarch64 seL4_TCBBits = 11) and nothing more.
  assert.equal(root.untypedRetype(ut, { type: 'Notification', offset: s, name: 'n' }), 'seL4_NoError');
  assert.equal(root.untypedRetype(ut, { type: 'TCB', offset: s + 1, name: 't' }), 'seL4_NoError');
  assert.equal(root.untypedRetype(ut, { type: 'TCB', offset: s + 2, name: 't2' }), 'seL4_NotEnoughMemory');
  assert.equal(root.object<{ paddr: number }>(s + 1)!.paddr - kernel.untyped[0].paddr, 2048);
});

test('retype argument errors use seL4 names', () => {
  const { kernel, root } = boot('aarch32');
  const ut = kernel.untyped[0].cptr;
  const s = kernel.firstFreeSlot;
  assert.equal(root.untypedRetype(ut, { type: 'Frame', sizeBits: 21, offset: s, name: 'f' }), 'seL4_InvalidArgument');
  assert.equal(root.untypedRetype(ut, { type: 'VCPU', offset: 5000, name: 'v' }), 'seL4_RangeError');
  assert.equal(root.untypedRetype(ut, { type: 'CNode', sizeBits: 0, offset: s, name: 'c' }), 'seL4_InvalidArgument');
  assert.equal(root.untypedRetype(ut, { type: 'Endpoint', offset: 2, name: 'e' }), 'seL4_DeleteFirst');
  assert.equal(root.untypedRetype(ut, { type: 'Endpoint', offset: s, count: 257, name: 'e' }), 'seL4_RangeError');
  assert.equal(root.untypedRetype(s, { type: 'Endpoint', offset: s, name: 'e' }), 'seL4_InvalidCapability');
  assert.equal(root.untypedRetype(2, { type: 'Endpoint', offset: s, name: 'e' }), 'seL4_IllegalOperation');
});

test('x86 has no VCPU object in the model and ARM has no IOPortControl', () => {
  const x = boot('x86_64');
  assert.equal(x.root.untypedRetype(x.kernel.untyped[0].cptr, { type: 'VCPU', offset: x.kernel.firstFreeSlot, name: 'v' }), 'seL4_InvalidArgument');
  const a = boot('aarch64');
  assert.equal(a.root.cap(7), null);
});

test('revoking an untyped deletes its objects and lets retype start again from 0', () => {
  const { kernel, root } = boot('aarch64', { untyped: [{ sizeBits: 12, count: 1 }] });
  const ut = kernel.untyped[0].cptr;
  const s = kernel.firstFreeSlot;
  assert.equal(root.untypedRetype(ut, { type: 'Frame', offset: s, name: 'f' }), 'seL4_NoError');
  assert.equal(root.untypedRetype(ut, { type: 'Frame', offset: s + 1, name: 'g' }), 'seL4_NotEnoughMemory');
  assert.equal(root.cnodeRevoke(2, ut), 'seL4_NoError');
  assert.equal(root.cap(s), null);
  assert.equal(root.untypedRetype(ut, { type: 'Frame', offset: s + 1, name: 'g' }), 'seL4_NoError');
});

test('mint sets a badge once; minting an already-badged cap is seL4_IllegalOperation', () => {
  const { root, alloc } = boot();
  const ep = alloc.must('Endpoint', 'ep');
  const a = alloc.slot();
  const b = alloc.slot();
  assert.equal(root.cnodeMint(2, a, 2, ep, AllRights, 5), 'seL4_NoError');
  assert.equal(root.cap(a)!.badge, 5);
  assert.equal(root.cnodeMint(2, b, 2, a, AllRights, 6), 'seL4_IllegalOperation');
  assert.equal(root.cnodeCopy(2, b, 2, a, rights('R')), 'seL4_NoError');
  assert.equal(root.cap(b)!.badge, 5);
  assert.deepEqual(root.cap(b)!.rights, { read: true, write: false, grant: false, grantReply: false });
});

test('copy into an occupied slot is seL4_DeleteFirst; from an empty slot seL4_FailedLookup', () => {
  const { root, alloc } = boot();
  const n = alloc.must('Notification', 'n');
  const m = alloc.must('Notification', 'm');
  const empty = alloc.slot();
  assert.equal(root.cnodeCopy(2, m, 2, n), 'seL4_DeleteFirst');
  assert.equal(root.cnodeCopy(2, m + 5, 2, empty), 'seL4_FailedLookup');
  assert.equal(root.cnodeCopy(2, 99999, 2, n), 'seL4_FailedLookup');
});

test('move keeps the derivation: revoking the original still deletes the moved copy', () => {
  const { root, alloc } = boot();
  const n = alloc.must('Notification', 'n');
  const c = alloc.slot();
  const d = alloc.slot();
  root.cnodeCopy(2, c, 2, n);
  assert.equal(root.cnodeMove(2, d, 2, c), 'seL4_NoError');
  assert.equal(root.cap(c), null);
  assert.equal(root.cnodeRevoke(2, n), 'seL4_NoError');
  assert.equal(root.cap(d), null);
  assert.notEqual(root.cap(n), null);
});

test('the capability listing is sorted and names type, object, rights and badge', () => {
  const { kernel, root, alloc } = boot('aarch64', { untyped: [{ sizeBits: 16, count: 1 }] });
  const cn = alloc.must('CNode', 'cnode vm0', 4);
  const ep = alloc.must('Endpoint', 'ep vm0.rpc');
  root.cnodeMint(cn, 3, 2, ep, rights('WG'), 0x8);
  const text = renderCapListing(capListing(kernel.core.objects.all).filter((e) => e.cnode === 'cnode vm0'));
  assert.equal(text, 'cnode vm0:\n      3  Endpoint      -WG-  ep vm0.rpc badge 0x8\n');
});
