import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSystem, Operator, runApp } from '../../../src/system';

test('vm_virtio_net on exynos5422: the guests ping through the virtqueue links, whose doorbells are kernel signals', () => {
  const s = buildSystem('apps/vm_virtio_net', { board: 'exynos5422' });
  assert.deepEqual(s.virtio.links.map((l) => `${l.name} ${l.from}->${l.to}`), ['vm0_to_vm1 vm0->vm1', 'vm1_to_vm0 vm1->vm0']);
  const r = new Operator(s, { commands: [] }).login();
  assert.equal(r, null);
  s.sys.serial.flush();
  const vm0 = s.sys.serial.lines.filter((l) => l.source === 'vm0').map((l) => l.text);
  assert.ok(vm0.includes('Ping test was successful'), vm0.join('\n'));
  assert.ok(vm0.includes('3 packets transmitted, 3 packets received, 0% packet loss'));
  const signals = s.sys.kernel.trace.all().filter((e) => e.op === 'seL4_Signal' && e.actor === 'vm0:vmm');
  assert.ok(signals.length > 0, 'vm0 signals the doorbell from its own thread');
});

test('vm_serial_server: what is typed at the SerialServer reaches the guest over hvc0, and its output goes out through the server', () => {
  const r = runApp('apps/vm_serial_server', { board: 'exynos5422', commands: ['echo typed at the serial server'] });
  assert.equal(r.outcome.kind, 'completed');
  assert.ok(r.console.includes('typed at the serial server'));
  const batch = r.system.sys.kernel.trace.all().filter((e) => e.op === 'processed_batch');
  assert.ok(batch.length > 0);
});
