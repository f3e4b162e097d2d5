import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlatform } from '../../../src/platform';
import { SmpConfigureError } from '../../../src/vmm/smp-config';
import { X86SmpProbe } from '../../../src/vmm/x86/smp-probe';

test('the x86 VMM runs the guest on one machine, whatever KernelMaxNumNodes is', () => {
  const p = new X86SmpProbe({ platform: loadPlatform('pc99'), numNodes: '2', numVcpus: 1, seed: 3 });
  assert.equal(p.build.kernelMaxNumNodes, 2);
  assert.equal(p.kernel.core.cores.length, 2);
  assert.equal(p.booted, true);
  assert.equal(p.machines.size, 1);
  assert.equal([...p.machines][0].smc, undefined, 'the x86 guest machine has no SMC to start another vCPU');
});

test('the probe is deterministic: same seed, same trace', () => {
  const run = () => new X86SmpProbe({ platform: loadPlatform('pc99'), numNodes: '2', seed: 7 }).kernel.trace.serialise();
  assert.equal(run(), run());
});

test('a refused configure step throws SmpConfigureError before any VMM exists', () => {
  assert.throws(() => new X86SmpProbe({ platform: loadPlatform('pc99'), numNodes: '0' }), SmpConfigureError);
});
