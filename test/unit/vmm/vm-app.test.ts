import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listBoards, loadPlatform } from '../../../src/platform';
import { smpApp } from '../../../src/vmm/arm';
import { NoVmAppError, configureBoardSmp, vmAppFor } from '../../../src/vmm/arm/vm-app';
import { SmpConfigureError } from '../../../src/vmm/smp-config';

test('vmAppFor is smpApp on every Arm board that has an app, and NoVmAppError on the others', () => {
  for (const b of listBoards()) {
    const p = loadPlatform(b);
    if (p.family !== 'arm') continue;
    const want = smpApp(p);
    if (want) assert.deepEqual(vmAppFor(p), want, b);
    else assert.throws(() => vmAppFor(p), (e: unknown) => e instanceof NoVmAppError && e.board === b && e.message.includes('no example VM app targets this board'), b);
  }
});

test('configureBoardSmp refuses an Arm board with no VM app before configuring', () => {
  const none = listBoards().map((b) => loadPlatform(b)).filter((p) => p.family === 'arm' && !smpApp(p));
  assert.ok(none.length > 0, 'some Arm board has no example VM app');
  for (const p of none) assert.throws(() => configureBoardSmp(p, '2'), NoVmAppError);
});

test('configureBoardSmp gives the configure step the app\'s num_vcpus, and x86 one vCPU', () => {
  const x86 = loadPlatform('pc99');
  assert.equal(configureBoardSmp(x86, '2').kernelMaxNumNodes, 2);
  const qemu = loadPlatform('qemu-arm-virt');
  const build = configureBoardSmp(qemu, '2');
  assert.equal(build.kernelMaxNumNodes, 2);
  // A board whose configure step refuses SMP says so with SmpConfigureError, not NoVmAppError.
  assert.throws(() => configureBoardSmp(loadPlatform('exynos5410'), '2'), SmpConfigureError);
});
