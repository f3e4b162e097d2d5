/* eslint-disable require-yield -- script guests and handlers that never block are generators by contract */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptGuest, x86System } from './x86-fixture';
import { X86_GUEST_RAM_BASE } from '../../../src/vmm/x86';

const RAM = X86_GUEST_RAM_BASE;

test('guest RAM is backed on first touch, one frame per 4 KiB page, through the EPT VSpace', () => {
  let read: Uint8Array | null = null;
  let untouched: Uint8Array | null = null;
  const g = scriptGuest(function* (m) {
    yield* m.write(RAM + 0x1ffe, Uint8Array.of(1, 2, 3, 4)); // spans two pages
    read = yield* m.read(RAM + 0x1ffe, 4);
    untouched = yield* m.read(RAM + 0x10000, 8);
  });
  const s = x86System(g);
  s.vmm.start();
  s.kernel.run();
  assert.deepEqual([...read!], [1, 2, 3, 4]);
  assert.deepEqual([...untouched!], [0, 0, 0, 0, 0, 0, 0, 0]);
  const backed = s.vmmOps('guest_ram_backed').map((e) => e.value);
  assert.deepEqual(backed, ['0x10001000', '0x10002000', '0x10010000']);
  const ept = s.vmm.resources.eptObject;
  assert.equal(ept.mappings().length, 3);
  assert.equal(ept.lookup(RAM + 0x1000)!.frame.readU(0xffe, 2), 0x0201);
  // Each backing is a real retype + map by the VMM thread.
  const maps = s.kernel.trace.all().filter((e) => e.op === 'seL4_Page_Map' && e.actor === 'vm0:vmm');
  assert.equal(maps.length, 3);
});

test('an MMIO region is emulated on every access; nothing is mapped for it', () => {
  const seen: string[] = [];
  let v = 0;
  const g = scriptGuest(function* (m) {
    yield* m.write32(0xfe00_0010, 0xabcd);
    v = yield* m.read32(0xfe00_0014);
  });
  const s = x86System(g);
  s.vmm.vm.memory.addMmio({ name: 'test dev', base: 0xfe00_0000, size: 0x1000, read: (o, n) => (seen.push(`r${o}/${n}`), 0x1234), write: (o, n, val) => void seen.push(`w${o}/${n}=${val.toString(16)}`) });
  s.vmm.start();
  s.kernel.run();
  assert.deepEqual(seen, ['w16/4=abcd', 'r20/4']);
  assert.equal(v, 0x1234);
  assert.equal(s.vmm.resources.eptObject.lookup(0xfe00_0000), undefined);
});

test('an access to guest-physical memory with nothing there kills the VM; the guest never runs again', () => {
  const g = scriptGuest(function* (m) {
    g.reached.push('before');
    yield* m.read32(0xd000_0000);
    g.reached.push('after');
  });
  const s = x86System(g);
  s.vmm.start();
  const r = s.kernel.run();
  assert.deepEqual(g.reached, ['before']);
  assert.equal(s.vmm.vm.state.kind, 'dead');
  const out = s.text('vm0:vmm').split('\n');
  assert.equal(out[0], 'VM_FATAL_ERROR ::: vmexit handler return error');
  assert.match(out[2], /reason 0x30 /);
  assert.match(out[3], /guest physical 0xd0000000 /);
  assert.equal(r.reason, 'deadlock');
  assert.deepEqual(r.threads.map((t) => `${t.thread} ${t.op}`), ['vm0:vmm seL4_Wait']);
});

test('read-only mappings: reads come from the frame, writes exit to the VMM and are skipped', () => {
  const writes: string[] = [];
  let first = 0;
  const g = scriptGuest(function* (m) {
    first = yield* m.read32(0xa000_0000);
    yield* m.write32(0xa000_0000, 7);
    first += (yield* m.read32(0xa000_0000)) * 1000;
  });
  const s = x86System(g);
  s.vmm.addInit(function* (sys, vmm) {
    const f = vmm.allocator.must('Frame', 'event bar', 12);
    sys.object<import('../../../src/sel4').Frame>(f)!.writeU(0, 4, 5);
    vmm.vm.memory.addReadOnly({ name: 'event bar', base: 0xa000_0000, size: 0x1000, onWrite: (o, n, v) => void writes.push(`${o}/${n}=${v}`) }, [f]);
  });
  s.vmm.start();
  s.kernel.run();
  assert.deepEqual(writes, ['0/4=7']);
  assert.equal(first, 5005);
});
