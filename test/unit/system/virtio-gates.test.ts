import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { listBoards, loadPlatform } from '../../../src/platform';
import { ARM_VIRTIO_GATES, configureVirtio, VIRTIO_OPTIONS, VirtioBuildError, virtioOptionsIn, type VirtioOption } from '../../../src/vmm/virtio-config';
import { Frame } from '../../../src/sel4';
import { FrameRing } from '../../../src/vmm/virtio';
import { consoleIsHvc } from '../../../src/guest/virtio';

test('VmVirtioConsole is refused on tx2 and zcu102 with the CMake DEPENDS reason', () => {
  for (const b of ['tx2', 'zcu102']) {
    assert.throws(() => configureVirtio(loadPlatform(b), ['VmPCISupport', 'VmVirtioConsole']), (e: unknown) => e instanceof VirtioBuildError && e.option === 'VmVirtioConsole' && /VmVirtioConsole is not available on (tx2|zcu102) \(depends on VmPCISupport; KernelPlatformExynos5410 OR KernelPlatformExynos5422 OR KernelPlatformQEMUArmVirt\)/.test(e.message));
  }
});

test('an option without VmPCISupport is refused; exynos5422 takes every option', () => {
  assert.throws(() => configureVirtio(loadPlatform('exynos5422'), ['VmVirtioNetVirtqueue']), /needs VmPCISupport/);
  assert.deepEqual([...configureVirtio(loadPlatform('exynos5422'), VIRTIO_OPTIONS)].sort(), [...VIRTIO_OPTIONS].sort());
});

test('the gates agree with every board description (virtio.net/console, vpci.enabled)', () => {
  for (const b of listBoards()) {
    const p = loadPlatform(b);
    if (p.family !== 'arm') continue;
    const ok = (opts: VirtioOption[]) => {
      try {
        configureVirtio(p, opts);
        return true;
      } catch (e) {
        if (e instanceof VirtioBuildError) return false;
        throw e;
      }
    };
    assert.equal(ok(['VmPCISupport']), p.vpci?.enabled ?? false, `${b} VmPCISupport`);
    assert.equal(ok(['VmPCISupport', 'VmVirtioNetVirtqueue']), p.virtio.net, `${b} virtio net`);
    assert.equal(ok(['VmPCISupport', 'VmVirtioConsole']), p.virtio.console, `${b} virtio console`);
  }
});

test('every Arm refusal names the option and a board outside its list', () => {
  const arm = listBoards().map((b) => loadPlatform(b)).filter((p) => p.family === 'arm');
  fc.assert(
    fc.property(fc.constantFrom(...arm), fc.constantFrom(...VIRTIO_OPTIONS), (p, opt) => {
      const opts: VirtioOption[] = opt === 'VmPCISupport' ? [opt] : ['VmPCISupport', opt];
      try {
        configureVirtio(p, opts);
        assert.ok(ARM_VIRTIO_GATES[opt].platforms.some((x) => [p.sel4.platform, p.sel4.armPlatform, p.sel4.kernelPlatform].includes(x)));
      } catch (e) {
        assert.ok(e instanceof VirtioBuildError);
        assert.match(e.message, /^CMake Error at /);
      }
    }),
  );
});

test('x86 builds the devices on its fixed lines', () => {
  assert.equal(configureVirtio(loadPlatform('pc99'), ['VmVirtioNetVirtqueue', 'VmVirtioConsole']).size, 2);
});

test('settings.cmake: only ON virtio options, comments ignored', () => {
  const text = '# set(VmVirtioConsole ON)\nset(VmPCISupport ON CACHE BOOL "" FORCE)\nset(VmVirtioNetVirtqueue OFF CACHE BOOL "" FORCE)\nset(KernelFoo ON)\n  set( VmVirtioNetArping ON)\n';
  assert.deepEqual(virtioOptionsIn(text), ['VmPCISupport', 'VmVirtioNetArping']);
});

test('console=hvc0 selects hvc0 only when it is the last console', () => {
  assert.equal(consoleIsHvc('console=hvc0'), true);
  assert.equal(consoleIsHvc('console=ttySAC2,115200n8 root=/dev/ram0'), false);
  assert.equal(consoleIsHvc('console=hvc0 console=ttyS0'), false);
  assert.equal(consoleIsHvc('xconsole=hvc0'), false);
});

const frames = (n: number) => Array.from({ length: n }, (_, i) => new Frame(i + 1, `f${i}`, 12, 0x1000 * i));

test('FrameRing: frames come out in order, across page and wrap boundaries', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.uint8Array({ minLength: 1, maxLength: 1600 }), { maxLength: 6 }), { maxLength: 12 }), (batches) => {
      const ring = new FrameRing(frames(2));
      for (const batch of batches) {
        const accepted = batch.filter((f) => ring.push(f));
        assert.deepEqual(ring.drain().map((x) => [...x]), accepted.map((x) => [...x]));
        assert.equal(ring.used, 0);
      }
    }),
  );
});

test('FrameRing: a frame that does not fit is dropped and counted', () => {
  const ring = new FrameRing(frames(1));
  assert.equal(ring.push(new Uint8Array(ring.capacity - 2)), true);
  assert.equal(ring.push(new Uint8Array(1)), false);
  assert.equal(ring.dropped, 1);
  assert.equal(ring.drain().length, 1);
});
