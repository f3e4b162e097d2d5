import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EFAULT } from '../../../src/guest/kernel/errno';
import { POKE_HI_WRITE_RESULT, POKE_HYPERCALL_TOKEN } from '../../../src/guest/modules/poke';
import { FakeMachine } from './fake-machine';
import { app, boot } from './helpers';

const MOD = '/lib/modules/4.8.16/kernel/drivers/vmm/poke.ko';

/** The minimal app's guest (no cross-VM modules) with the tutorial's init script and `module` as poke.ko. */
function minimalPoke(module: 'poke' | 'poke_hi', machine = new FakeMachine()) {
  return boot({ generation: 'none', files: new Map<string, string | { module: string }>([['/init', app('minimal_poke/init')], [MOD, { module }]]) }, machine);
}

test('poke.ko from the init script takes the first dynamic major, 244, and says so at KERN_INFO', () => {
  const { m, run } = minimalPoke('poke');
  assert.match(m.output, /\] poke initialized with major number 244\n/);
  assert.equal(run('grep poke /proc/devices'), 'grep poke /proc/devices\n244 poke\n# ');
});

test('the hypercall version: each write is one vmcall with EAX 4, EBX 0, and returns its length', () => {
  const { m, run } = minimalPoke('poke');
  assert.equal(POKE_HYPERCALL_TOKEN, 4);
  const before = m.vmcalls.length;
  assert.equal(run('mknod /dev/poke c 244 0'), 'mknod /dev/poke c 244 0\n# ');
  assert.equal(run('echo > /dev/poke; echo status $?'), 'echo > /dev/poke; echo status $?\nstatus 0\n# ');
  assert.deepEqual(m.vmcalls.slice(before).map((r) => [r.eax, r.ebx]), [[4, 0]]);
  run('echo one two > /dev/poke');
  assert.deepEqual(m.vmcalls.slice(before).map((r) => r.eax), [4, 4]);
});

test('the first version printks hi and the write fails with EFAULT, which the shell reports', () => {
  const { m, run } = minimalPoke('poke_hi');
  assert.equal(POKE_HI_WRITE_RESULT, -EFAULT);
  run('mknod /dev/poke c 244 0');
  const out = run('echo > /dev/poke');
  assert.match(out, /^echo > \/dev\/poke\n\[ +\d+\.\d{6}\] hi\n-sh: write error: Bad address\n# $/);
  assert.ok(!m.vmcalls.some((r) => r.eax === POKE_HYPERCALL_TOKEN), 'no hypercall before step 7');
  assert.match(run('echo $?'), /\n1\n# $/);
});

test('a node of another minor reaches the same driver (register_chrdev takes every minor)', () => {
  const { m, run } = minimalPoke('poke');
  run('mknod /dev/poke7 c 244 7');
  run('echo > /dev/poke7');
  assert.equal(m.vmcalls.filter((r) => r.eax === POKE_HYPERCALL_TOKEN).length, 1);
});
