import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CNode, Frame } from '../../../src/sel4';
import { analyseIsolation, renderIsolation } from '../../../src/camkes/isolation';
import { buildSystem } from '../../../src/system';

// vm_multi with its VMMs: every VM's `mmios` maps the chip-ID page (one frame, a cap per VM), and
// vm0 is joined to vm1 and vm2 by seL4VirtQueues connections whose frames src/system/virtio.ts makes.
const build = () => buildSystem('apps/vm_multi', { board: 'exynos5422', seed: 1 });

function freeSlot(cn: CNode): number {
  for (let i = cn.size - 1; i > 0; i--) if (!cn.capAt(i)) return i;
  throw new Error('full');
}

test('vm_multi: virtqueue frames are attributed to their connection, the chip-ID page to each VM\'s mmios', () => {
  const b = build();
  const r = analyseIsolation(b.sys, { connectionFrames: b.virtio.links });
  assert.equal(r.ok, true, renderIsolation(r));
  assert.deepEqual(r.unmodelledVmConnections, []);
  const dev = r.shared.filter((s) => s.device);
  assert.deepEqual(dev.map((s) => [s.frame, s.spaces.join(), s.allowed]), [['frame vm0 device 0x10000000', 'vm0,vm1,vm2', true]]);
  assert.deepEqual(dev[0].declarations, ['vm0', 'vm1', 'vm2'].map((v) => `${v}: mmios "0x10000000:0x1000:12"`));
  const byConn = new Map<string, string[]>();
  for (const s of r.shared.filter((x) => !x.device)) (byConn.get(s.connection!) ?? byConn.set(s.connection!, []).get(s.connection!)!).push(s.frame);
  for (const l of b.virtio.links) assert.deepEqual(byConn.get(l.name)?.sort(), l.frames.map((f) => f.name).sort(), l.name);
  assert.equal(byConn.size, b.virtio.links.length);
});

test('without the connection records, virtqueue frames are undeclared sharing', () => {
  const r = analyseIsolation(build().sys);
  assert.equal(r.ok, false);
  const bad = r.shared.filter((s) => !s.allowed).map((s) => s.frame);
  assert.equal(bad.length, 32);
  assert.ok(bad.every((f) => / virtqueue \d$/.test(f)));
  assert.match(renderIsolation(r), /connections between VMs the model does not build: vm0_to_vm1 \(seL4VirtQueues\)/);
});

test('frames attributed to a connection that does not join the holders are still violations', () => {
  const b = build();
  const [a, other] = [b.virtio.links[0], b.virtio.links.find((l) => l.from !== b.virtio.links[0].to && l.to !== b.virtio.links[0].to)!];
  const r = analyseIsolation(b.sys, { connectionFrames: [...b.virtio.links.filter((l) => l !== a), { connection: other.connection, frames: a.frames }] });
  assert.equal(r.ok, false);
  assert.ok(r.violations.some((v) => v.message.includes(`but connection ${other.name} does not join them all`)), renderIsolation(r));
});

test('a device page reachable from a component that does not declare it is a violation', () => {
  const b = build();
  const vm1 = b.sys.instances.get('vm1')!.space;
  const slot = vm1.cnode.used().find((s) => s.cap?.object.type === 'Frame' && (s.cap.object as Frame).device)?.index ?? -1;
  assert.ok(slot > 0, 'vm1 holds a cap to the chip-ID page');
  const fserv = b.sys.instances.get('fserv')!.space;
  assert.equal(b.sys.kernel.root.cnodeCopy(fserv.cnodeRoot, freeSlot(fserv.cnode), vm1.cnodeRoot, slot), 'seL4_NoError');
  const r = analyseIsolation(b.sys, { connectionFrames: b.virtio.links });
  assert.deepEqual(r.violations.map((v) => v.message), ['device page frame vm0 device 0x10000000 is reachable from fserv, vm0, vm1, vm2 but fserv declares no mmios, untyped_mmios or dtb covering it']);
});

test('booted: device pages mapped in stage 2 are not guest RAM', () => {
  const b = build();
  b.start();
  b.sys.kernel.run({ until: 1e9 });
  const r = analyseIsolation(b.sys, { connectionFrames: b.virtio.links });
  assert.equal(r.ok, true, renderIsolation(r));
  for (const g of r.guests) {
    assert.ok([...g.frames].every((f) => !f.device), g.vm);
    assert.ok([...g.devices].some((f) => f.paddr === 0x10000000), `${g.vm} maps the chip-ID page`);
  }
  assert.deepEqual(r.pairs, []);
});
