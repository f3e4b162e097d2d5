import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InitCaps, type CNode } from '../../../src/sel4';
import { loadAndCheck } from '../../../src/camkes/check';
import { instantiate } from '../../../src/camkes/instantiate';
import { analyseIsolation, renderIsolation } from '../../../src/camkes/isolation';
import { buildSystem, type ObservableGuest } from '../../../src/system';

// No guest: the VMMs' resources (guest-physical space, RAM pool) exist, nothing runs.
const build = () => buildSystem('apps/multi_vm_x86', { board: 'pc99', seed: 1, guest: () => null as unknown as ObservableGuest }).sys;

function freeSlot(cn: CNode): number {
  for (let i = cn.size - 1; i > 0; i--) if (!cn.capAt(i)) return i;
  throw new Error('full');
}

test('multi_vm_x86: no VMM reaches another guest; shared frames are the declared dataports', () => {
  const r = analyseIsolation(build());
  assert.equal(r.ok, true, renderIsolation(r));
  assert.deepEqual(r.guests.map((g) => [g.vm, g.source, g.pools.length]), [['vm0', 'vmm', 1], ['vm1', 'vmm', 1]]);
  assert.deepEqual([...new Set(r.shared.map((s) => s.connection))], ['cross_vm_conn_dp1', 'cross_vm_conn_dp2']);
  assert.ok(r.shared.every((s) => s.allowed && s.spaces.join() === 'string_reverse,vm0'));
});

test('a cap to another guest\'s RAM pool is a violation, through a CNode cap too', () => {
  const sys = build();
  const k = sys.kernel;
  const vm0 = sys.instances.get('vm0')!.space;
  const vm1 = sys.instances.get('vm1')!.space;
  const poolSlot = vm1.cnode.used().find((s) => s.cap?.object.type === 'Untyped')?.index ?? -1;
  assert.ok(poolSlot > 0);
  // Give rtc a cap to vm1's whole CNode: everything in it becomes reachable from rtc.
  const rtc = sys.instances.get('rtc')!.space;
  assert.equal(k.root.cnodeCopy(rtc.cnodeRoot, freeSlot(rtc.cnode), InitCaps.seL4_CapInitThreadCNode, vm1.cnodeRoot), 'seL4_NoError');
  // And vm0 a copy of vm1's pool cap.
  assert.equal(k.root.cnodeCopy(vm0.cnodeRoot, freeSlot(vm0.cnode), vm1.cnodeRoot, poolSlot), 'seL4_NoError');
  const r = analyseIsolation(sys);
  assert.equal(r.ok, false);
  const holders = r.pairs.filter((p) => p.guest === 'vm1').map((p) => p.holder).sort();
  assert.deepEqual(holders, ['rtc', 'vm0']);
  assert.ok(r.violations.some((v) => v.kind === 'guest-memory' && v.message.startsWith('vm0 can reach vm1') && v.message.includes('untyped vm1 guest ram pool')));
});

test('a dataport frame handed to a component the connection does not join is an undeclared share', () => {
  const sys = build();
  const sr = sys.instances.get('string_reverse')!.space;
  const vm1 = sys.instances.get('vm1')!.space;
  const slot = sr.cnode.used().find((s) => s.cap?.object.type === 'Frame')?.index ?? -1;
  assert.ok(slot > 0, 'seL4SharedDataWithCaps put frame caps in string_reverse');
  assert.equal(sys.kernel.root.cnodeCopy(vm1.cnodeRoot, freeSlot(vm1.cnode), sr.cnodeRoot, slot), 'seL4_NoError');
  const r = analyseIsolation(sys);
  const v = r.violations.find((x) => x.kind === 'shared-frame');
  assert.ok(v, renderIsolation(r));
  assert.match(v.message, /^frame cross_vm_conn_dp\d\[\d\] is reachable from string_reverse, vm0, vm1 but connection cross_vm_conn_dp\d does not join them all$/);
});

test('vm_multi on exynos5422: declared guest RAM is disjoint; render is deterministic', () => {
  const c = loadAndCheck('apps/vm_multi/vm_multi.camkes', { board: 'exynos5422', boardArch: 'arm' });
  assert.ok(c.assembly);
  const once = () => renderIsolation(analyseIsolation(instantiate(c.assembly!, { arch: 'aarch32' })));
  const text = once();
  assert.equal(text, once());
  assert.match(text, /^isolation: holds\n/);
  assert.match(text, /vm1 \[declared\]: linux_address_config linux_ram_paddr_base 0x48000000 linux_ram_size 0x8000000/);
  assert.match(text, /connections between VMs the model does not build: vm0_to_vm1 \(seL4VirtQueues\)/);
});

test('overlapping declared memory is a violation', () => {
  const c = loadAndCheck('apps/vm_multi/vm_multi.camkes', { board: 'qemu-arm-virt', boardArch: 'arm' });
  assert.ok(c.assembly);
  const sys = instantiate(c.assembly!, { arch: 'aarch64' });
  // vm2 claiming vm1's RAM as untyped memory, as a wrong devices.camkes would.
  const vm2 = sys.instances.get('vm2')!.instance;
  const um = vm2.attributes.get('untyped_mmios')!;
  const pos = um.value.pos;
  (vm2.attributes as Map<string, unknown>).set('untyped_mmios', { ...um, value: { kind: 'list', pos, items: [{ kind: 'string', value: '0x48000000:27', pos }] } });
  const r = analyseIsolation(sys);
  assert.deepEqual(r.violations.map((v) => v.kind), ['declared-overlap']);
  assert.match(r.violations[0].message, /^vm2 can reach vm1's guest memory: declared untyped_mmios "0x48000000:27"/);
});
