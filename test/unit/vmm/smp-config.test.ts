import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { listBoards, loadPlatform } from '../../../src/platform';
import {
  NUM_VCPUS_NOT_POSITIVE_MESSAGE,
  SmpConfigureError,
  configureSmp,
  kernelArmPlatform,
  kernelMaxNumNodes,
  numVcpusExceedsMessage,
  vmmVcpuCount,
} from '../../../src/vmm/smp-config';

test('KernelMaxNumNodes is NUM_NODES when it is a plain decimal number, else 1', () => {
  assert.equal(kernelMaxNumNodes('4'), 4);
  assert.equal(kernelMaxNumNodes('04'), 4);
  assert.equal(kernelMaxNumNodes(undefined), 1);
  for (const s of ['', ' 4', '4 ', '4.0', '-2', '+2', 'four', '0x4', '2x']) assert.equal(kernelMaxNumNodes(s), 1, JSON.stringify(s));
});

test('property: any string with a non-digit gives 1; any digit string gives its value', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      fc.pre(s === '' || /[^0-9]/.test(s));
      return kernelMaxNumNodes(s) === 1;
    }),
  );
  fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), (n) => kernelMaxNumNodes(String(n)) === n));
});

test('the configure step refuses more than one node exactly on exynos5422, exynos5410 and tk1, with the upstream message', () => {
  const refused: string[] = [];
  for (const b of listBoards()) {
    const p = loadPlatform(b);
    assert.doesNotThrow(() => configureSmp({ platform: p, numNodes: '1' }), b);
    try {
      configureSmp({ platform: p, numNodes: '2' });
    } catch (e) {
      assert.ok(e instanceof SmpConfigureError, b);
      assert.equal(e.message, `${kernelArmPlatform(p)} does not support SMP VMs`);
      refused.push(b);
    }
  }
  assert.deepEqual(refused.sort(), ['exynos5410', 'exynos5422', 'tk1']);
  assert.throws(() => configureSmp({ platform: loadPlatform('exynos5422'), numNodes: '8' }), { message: 'exynos5422 does not support SMP VMs' });
});

test('a non-decimal NUM_NODES builds on exynos5422 (it means one node)', () => {
  const b = configureSmp({ platform: loadPlatform('exynos5422'), numNodes: 'two', numVcpus: 2 });
  assert.deepEqual(b, { kernelMaxNumNodes: 1, vcpus: 1, log: numVcpusExceedsMessage(1), note: null });
});

test('NUM_NODES=0 is refused (model choice)', () => {
  assert.throws(() => configureSmp({ platform: loadPlatform('tx2'), numNodes: '0' }), SmpConfigureError);
});

test('num_vcpus: the two VM_Arm error logs, with their exact wording', () => {
  assert.deepEqual(vmmVcpuCount(4, 2), {
    vcpus: 2,
    log: "Invalid 'num_vcpus' attribute setting: Exceeds maximum number of supported nodes. Capping value to CONFIG_MAX_NUM_NODES (2)",
  });
  assert.deepEqual(vmmVcpuCount(0, 4), {
    vcpus: 1,
    log: "Invalid 'num_vcpus' attribute setting: Can't have 0 or negative amount of vcpus. Capping value to 1 vcpu (default value)",
  });
  assert.equal(vmmVcpuCount(-3, 4).log, NUM_VCPUS_NOT_POSITIVE_MESSAGE);
  assert.deepEqual(vmmVcpuCount(4, 4), { vcpus: 4, log: null });
});

test('property: the VMM uses a vCPU count in 1..max, logging exactly when it differs from num_vcpus', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 256 }), (n, max) => {
      const r = vmmVcpuCount(n, max);
      return r.vcpus >= 1 && r.vcpus <= max && (r.log === null) === (r.vcpus === n);
    }),
  );
});

test('x86: one vCPU whatever the node count and num_vcpus', () => {
  const b = configureSmp({ platform: loadPlatform('cma34cr'), numNodes: '2', numVcpus: 4 });
  assert.equal(b.kernelMaxNumNodes, 2);
  assert.equal(b.vcpus, 1);
  assert.equal(b.log, null);
  assert.match(b.note!, /not implemented in libsel4vm/);
});
