import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlatform, type ArmVm, type Platform } from '../../../src/platform';
import { GUEST_IMAGE_ERRORS, simulatePortingBuild } from '../../../src/guest/drivers/porting-build';
import { GICV2_UNSUPPORTED_ERROR, HYPERVISOR_SUPPORT_RULE } from '../../../src/vmm/arm/gic-support';

const item = (p: Platform, id: string) => simulatePortingBuild(p).find((i) => i.id === id)!;

test('every step of the simulated build passes for the documented boards', () => {
  for (const b of ['exynos5422', 'qemu-arm-virt', 'tx2', 'zcu102', 'odroidc2']) {
    const r = simulatePortingBuild(loadPlatform(b));
    assert.deepEqual(r.filter((i) => !i.ok).map((i) => `${i.id}: ${i.reason}`), [], b);
  }
});

test('rpi4 and imx8mq-evk stop at compiling VM_Arm; later items say the build stopped there', () => {
  for (const b of ['rpi4', 'imx8mq-evk']) {
    const r = simulatePortingBuild(loadPlatform(b));
    assert.deepEqual(r.map((i) => i.ok), [true, false, false, false], b);
    assert.ok(r[1].reason.includes(GICV2_UNSUPPORTED_ERROR));
    assert.ok(r[2].reason.startsWith('the build stopped at compiling VM_Arm: '));
  }
});

test('a board whose CPU cannot run seL4 as a hypervisor stops at the kernel configure step', () => {
  const p = loadPlatform('tx2');
  const r = simulatePortingBuild({ ...p, coresInfo: { ...p.coresInfo, cpu: '2x NVIDIA Denver' } });
  assert.equal(r[0].ok, false);
  assert.ok(r[0].reason.includes(HYPERVISOR_SUPPORT_RULE));
  assert.ok(r.slice(1).every((i) => !i.ok && i.reason.startsWith('the build stopped at the kernel configure step: ')));
});

test('a dtb entry whose node overlaps guest RAM fails the devices step at the board file', () => {
  const p = loadPlatform('odroidc2');
  const vm = p.apps.vm_minimal.vms[0] as ArmVm;
  const bad: ArmVm = { ...vm, ram: { ...vm.ram, base: 0xc9400000, paddr: 0xc9400000 } };
  const r = item({ ...p, apps: { vm_minimal: { ...p.apps.vm_minimal, vms: [bad] } } }, 'devices-match-dts');
  assert.equal(r.ok, false);
  assert.match(r.reason, /odroidc2\.yaml:\d+:\d+: error: .*ethernet@c9410000.*guest RAM/);
});

test('the image loader refuses an initrd outside guest RAM', () => {
  const p = loadPlatform('tk1');
  const vm = p.apps.vm_minimal.vms[0] as ArmVm;
  const bad: ArmVm = { ...vm, initrd: vm.ram.base + vm.ram.size + 0x1000 };
  const r = item({ ...p, apps: { vm_minimal: { ...p.apps.vm_minimal, vms: [bad] } } }, 'guest-images');
  assert.equal(r.ok, false);
  assert.equal(r.reason, GUEST_IMAGE_ERRORS.outsideRam(vm.name, 'initrd', bad.initrd!, vm.ram));
});
