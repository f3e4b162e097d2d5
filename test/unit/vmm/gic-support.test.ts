import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError } from '../../../src/diagnostics';
import { listBoards, loadPlatform, type Platform } from '../../../src/platform';
import { Kernel } from '../../../src/sel4';
import { ArmVmm } from '../../../src/vmm/arm';
import { GICV2_UNSUPPORTED_ERROR, HYPERVISOR_SUPPORT_RULE, gicv2Error, gicv2Frames, hypervisorSupportError } from '../../../src/vmm/arm/gic-support';

const arm = listBoards().map((b) => loadPlatform(b)).filter((p) => p.family === 'arm');

test('gicv2.h frames agree with every board file whose platform gicv2.h knows', () => {
  const known = arm.filter((p) => gicv2Frames(p));
  assert.deepEqual(known.map((p) => p.name).sort(), ['exynos5410', 'exynos5422', 'odroidc2', 'qemu-arm-virt', 'tk1', 'tx1', 'tx2', 'ultra96v2', 'zcu102']);
  for (const p of known) {
    const f = gicv2Frames(p)!;
    assert.deepEqual([f.distributor, f.cpuInterface, f.vcpuControl, f.vcpuInterface], [p.gic!.distributor, p.gic!.cpuInterface, p.gic!.vcpuControl, p.gic!.vcpuInterface], p.name);
  }
});

test('gicv2.h refuses imx8mq-evk (GICv3) and rpi4, positioned at the board file sel4 section', () => {
  for (const name of ['imx8mq-evk', 'rpi4']) {
    const p = loadPlatform(name);
    const e = gicv2Error(p)!;
    assert.ok(e instanceof DiagnosticError);
    assert.match(e.diagnostics[0].message, new RegExp(`KernelPlatform ${p.sel4.kernelPlatform}: .*${GICV2_UNSUPPORTED_ERROR.replace(/"/g, '"')}`));
    assert.deepEqual(e.diagnostics[0].pos, p.sel4.pos);
  }
  assert.match(gicv2Error(loadPlatform('imx8mq-evk'))!.message, /GICv3/);
});

test('constructing an ArmVmm for a board gicv2.h does not know throws the compile error', () => {
  const p = loadPlatform('rpi4');
  const kernel = new Kernel({ arch: 'aarch64', seed: 1 });
  const cnode = kernel.allocator().must('CNode', 'c', 12);
  assert.throws(
    () => new ArmVmm({ kernel, platform: p, name: 'vm0', cnode, ram: { base: 0x40000000, size: 0x100000 }, cmdline: '', serial: { write: () => undefined }, guest: { *boot() {} } }),
    (e: unknown) => e instanceof DiagnosticError && e.message.includes(GICV2_UNSUPPORTED_ERROR),
  );
});

test('KernelArmHypervisorSupport: refused for a core outside the list, with the rule, at the cores section', () => {
  const base = loadPlatform('zcu102');
  const a7: Platform = { ...base, coresInfo: { ...base.coresInfo, cpu: '4x Cortex-A7' } };
  const e = hypervisorSupportError(a7)!;
  assert.ok(e.message.includes(HYPERVISOR_SUPPORT_RULE));
  assert.deepEqual(e.diagnostics[0].pos, base.coresInfo.pos);
  for (const p of arm) assert.equal(hypervisorSupportError(p), undefined, p.name);
  // "Cortex-A5" must not be read as A53 or A55.
  assert.ok(hypervisorSupportError({ ...base, coresInfo: { ...base.coresInfo, cpu: 'Cortex-A5' } }));
});
