import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DiagnosticError } from '../../../src/diagnostics';
import { loadPlatform } from '../../../src/platform';
import { buildSystem, readApp } from '../../../src/system';
import { appNumNodes, boardMidr, configureAppSmp, configuredVmSmp, unsupportedPlatformMessage } from '../../../src/system/smp';
import { ArmVmm } from '../../../src/vmm/arm';

const VM_MINIMAL = join(__dirname, '..', '..', '..', 'apps', 'vm_minimal');
const CROSS = join(__dirname, '..', '..', '..', 'apps', 'vm_cross_connector');

test("NUM_NODES: -DNUM_NODES wins over the app's settings.cmake default; an app without one leaves it unset", () => {
  const app = readApp(VM_MINIMAL);
  assert.equal(appNumNodes(app, {})?.value, '2');
  assert.equal(appNumNodes(app, {})?.pos.line, 16);
  assert.equal(appNumNodes(app, { numNodes: '4' })?.value, '4');
  assert.equal(appNumNodes(readApp(CROSS), {}), undefined);
});

test('the configure step refuses SMP on tk1 at the NUM_NODES setting, with upstream message', () => {
  const app = readApp(VM_MINIMAL);
  assert.throws(
    () => configureAppSmp(app, loadPlatform('tk1'), {}),
    (e: unknown) => e instanceof DiagnosticError && e.diagnostics[0].message === 'tk1 does not support SMP VMs' && e.diagnostics[0].pos.line === 16,
  );
  assert.equal(configureAppSmp(app, loadPlatform('tk1'), { numNodes: '1' }).kernelMaxNumNodes, 1);
  assert.equal(configureAppSmp(app, loadPlatform('tx2'), { numNodes: '4' }).kernelMaxNumNodes, 4);
  assert.equal(configureAppSmp(app, loadPlatform('tx2'), { numNodes: '4.0' }).kernelMaxNumNodes, 1);
});

test("a board outside vm_minimal's supported list gets the settings.cmake FATAL_ERROR text", () => {
  const app = readApp(VM_MINIMAL);
  assert.equal(unsupportedPlatformMessage(app, loadPlatform('qemu-arm-virt')), null);
  assert.equal(unsupportedPlatformMessage(app, loadPlatform('exynos5410'))?.message, 'PLATFORM: exynos5410 not supported.\n         Supported: tk1;tx1;tx2;exynos5422;qemu-arm-virt;odroidc2;zcu102');
});

test('MIDR of the board CPU: qemu forces cortex-a53; tx2 is Cortex-A57', () => {
  assert.equal(boardMidr(loadPlatform('qemu-arm-virt')), 0x410fd034);
  assert.equal(boardMidr(loadPlatform('tx2')), 0x411fd071);
});

test('buildSystem passes num_vcpus and KernelMaxNumNodes to the VMM and the kernel', () => {
  const s = buildSystem(VM_MINIMAL, { board: 'tx2', numNodes: '4' });
  const vmm = s.vms[0].vmm as ArmVmm;
  assert.equal(s.sys.kernel.core.cores.length, 4);
  assert.equal(vmm.vcpus.numVcpus, 4);
  // NUM_NODES 2 caps tx2's num_vcpus 4 (the VMM logs it at start).
  const capped = buildSystem(VM_MINIMAL, { board: 'tx2' });
  assert.equal((capped.vms[0].vmm as ArmVmm).vcpus.numVcpus, 2);
  assert.equal(capped.sys.kernel.core.cores.length, 2);
});

test('vm_minimal on qemu-arm-virt: the console shows vCPU 1 booted and both CPUs brought up', () => {
  const s = buildSystem(VM_MINIMAL, { board: 'qemu-arm-virt' });
  s.start();
  const k = s.sys.kernel;
  k.run({ until: () => s.sys.serial.textOf('vm0').some((l) => l.includes('Brought up')) || k.now > 20e9 });
  const lines = s.sys.serial.textOf('vm0');
  assert.ok(lines.some((l) => l.endsWith('] CPU1: Booted secondary processor [410fd034]')), lines.join('\n'));
  assert.ok(lines.some((l) => l.endsWith('] Brought up 2 CPUs')), lines.join('\n'));
});

test("configuredVmSmp: the VM's num_vcpus attribute capped by the build's NUM_NODES, as the VMM is given them", () => {
  const app = readApp(VM_MINIMAL);
  const tx2 = loadPlatform('tx2');
  const s = buildSystem(VM_MINIMAL, { board: 'tx2', numNodes: '4' });
  const c = configuredVmSmp(app, tx2, { numNodes: '4' }, s.sys, 'vm0');
  assert.equal(c.kernelMaxNumNodes, 4);
  assert.equal(c.vcpus, (s.vms[0].vmm as ArmVmm).vcpus.numVcpus);
  const capped = configuredVmSmp(app, tx2, { numNodes: '1' }, s.sys, 'vm0');
  assert.equal(capped.vcpus, 1);
  assert.throws(() => configuredVmSmp(app, tx2, {}, s.sys, 'vm9'), /no instance 'vm9' in vm_minimal's assembly/);
});
