import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { listBoards, loadAllPlatforms, loadDeviceTree, loadPlatform, passthroughIrqs, searchPath, type ArmVm, type DeviceTree, type Platform } from '../../../src/platform';

const ARM_BOARDS = ['exynos5422', 'exynos5410', 'tk1', 'tx1', 'tx2', 'qemu-arm-virt', 'odroidc2', 'zcu102', 'ultra96v2', 'imx8mq-evk', 'rpi4'];

test('the shipped boards are the brief\'s twelve plus the cma34cr pc99 variant', () => {
  assert.deepEqual(listBoards(), [...ARM_BOARDS, 'pc99', 'cma34cr'].sort());
});

test('every shipped board validates, and every Arm board has a device tree that parses', () => {
  for (const p of loadAllPlatforms()) {
    assert.equal(p.family === 'arm', ARM_BOARDS.includes(p.name), p.name);
    if (p.family === 'arm') assert.ok(loadDeviceTree(p), `${p.name} has a device tree`);
  }
});

function tree(p: Platform): DeviceTree {
  const t = loadDeviceTree(p);
  assert.ok(t, `${p.name}.dts`);
  return t;
}

test('each Arm board file agrees with its device tree: GIC frames, console UART and its IRQ, timer PPIs', () => {
  for (const name of ARM_BOARDS) {
    const p = loadPlatform(name);
    const t = tree(p);
    const gic = t.node(p.gic!.node);
    assert.ok(gic, `${name}: gic.node ${p.gic!.node} is in the DTS`);
    const frames = t.cpuReg(gic).map((r) => r.address);
    assert.equal(frames[0], p.gic!.distributor, `${name} distributor`);
    if (p.gic!.version === 2) assert.deepEqual(frames.slice(1, 4), [p.gic!.cpuInterface, p.gic!.vcpuControl, p.gic!.vcpuInterface], `${name} GICv2 frames`);
    else assert.equal(frames[1], p.gic!.redistributor, `${name} redistributor`);
    const timer = t.byCompatible('arm,armv7-timer').concat(t.byCompatible('arm,armv8-timer'))[0];
    assert.deepEqual(t.interrupts(timer).map((s) => s.cells[1]), [...p.timer!.ppis], `${name} timer PPIs`);
    assert.equal(t.gicIntids(timer)[3], p.timer!.kernelIrq, `${name}: the 4th timer entry is the kernel timer with hypervisor support`);
    assert.equal(t.gicIntids(timer)[2], p.timer!.vtimerIrq, `${name} virtual timer`);
    if (p.console.path) {
      const uart = t.node(p.console.path);
      assert.ok(uart, `${name}: console.path ${p.console.path} is in the DTS`);
      assert.equal(t.cpuReg(uart)[0].address, p.console.uart!.base, `${name} console base`);
      assert.deepEqual(t.gicIntids(uart), [p.console.irq], `${name} console IRQ`);
    }
  }
});

function passedIrqs(p: Platform, app: string, vm = 'vm0'): number[] {
  const t = tree(p);
  const v = p.apps[app].vms.find((x) => x.name === vm) as ArmVm;
  const set = new Set<number>(v.irqs);
  for (const q of v.dtbPassthrough) {
    const n = searchPath(t, q);
    if (n) for (const i of passthroughIrqs(t, n)) set.add(i.irq);
  }
  for (const q of v.dtbProperties) for (const n of t.matchProperties(q).slice(0, 1)) for (const i of passthroughIrqs(t, n)) set.add(i.irq);
  return [...set].sort((a, b) => a - b);
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('passthrough IRQs computed from the board DTS with the CAmkES rules equal the reference\'s DERIVED lists', () => {
  // platforms.md §2.1-§2.7, each list "verified by recomputation" there.
  const exynos = [...range(32, 63), 65, 66, 67, ...range(68, 72), 74, 75, 76, 77, 79, 82, 110, 83, 84, 85, 86, ...range(88, 94), 97, 215, 216, 217, 103, 104, 105, 107, 108, 109, 117, 118, 138, 142, 201, 218, 220];
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  assert.deepEqual(passedIrqs(loadPlatform('exynos5422'), 'vm_minimal'), sorted(exynos));
  assert.deepEqual(passedIrqs(loadPlatform('exynos5422'), 'vm_cross_connector'), sorted(exynos));
  assert.deepEqual(passedIrqs(loadPlatform('exynos5422'), 'vm_multi'), [75, 76, 103, 104, 105]);
  assert.deepEqual(passedIrqs(loadPlatform('exynos5410'), 'odroid_vm'), [85, 103, 107, 109]);
  assert.deepEqual(passedIrqs(loadPlatform('tk1'), 'vm_minimal'), [46, 52, 53, 63, 68, 122, 129]);
  assert.deepEqual(passedIrqs(loadPlatform('tx1'), 'vm_minimal'), sorted([68, 34, 64, 65, 66, 67, 87, 119, 121, 157, 109]));
  const tx2 = [...range(32, 38), 79, 82, 85, 88, 91, 212, 92, 144, 145, 147, 148, 149, ...range(152, 159), 208, ...range(165, 168), ...range(173, 176)];
  assert.deepEqual(passedIrqs(loadPlatform('tx2'), 'vm_minimal'), sorted(tx2));
  assert.deepEqual(passedIrqs(loadPlatform('odroidc2'), 'vm_minimal'), [40, 225]);
  assert.deepEqual(passedIrqs(loadPlatform('qemu-arm-virt'), 'vm_minimal'), [33]);
  assert.deepEqual(passedIrqs(loadPlatform('zcu102'), 'vm_minimal'), [53]);
});

test('the quirks of the CAmkES path rule show on the shipped trees', () => {
  const tx2 = tree(loadPlatform('tx2'));
  assert.equal(searchPath(tx2, '/mc')?.path, '/thermal-zones/MCPU-therm');
  const ex = tree(loadPlatform('exynos5422'));
  assert.equal(searchPath(ex, '/soc/sysmmu@1120000')?.path, '/soc/sysmmu@11200000');
  assert.equal(searchPath(ex, '/firmware@02073000'), undefined);
  assert.deepEqual(passthroughIrqs(ex, ex.node('/soc/sysmmu@11200000')!), [], 'a 2-cell combiner interrupt yields no IRQ');
  assert.equal(tx2.matchProperties({ 'compatible[0]': 'nvidia,tegra186-bpmp' })[0]?.path, '/bpmp');
});

test('typed accessors expose the facts later layers read', () => {
  const q = loadPlatform('qemu-arm-virt');
  assert.equal(q.gic?.distributor, 0x8000000);
  assert.equal(q.crossVm.irq, 82);
  assert.equal(q.virtio.irqs.net, 82);
  assert.deepEqual(q.vpci?.window, { base: 0xdf000000, size: 0x1000000 });
  assert.equal(q.smp.supported, true);
  assert.equal(q.features.multipleVms.documented, 'unsupported');
  assert.equal(q.features.conflicts[0].key, 'multiple_vms');
  assert.equal((q.apps.vm_minimal.vms[0] as ArmVm).entry, 0x40080000, '64-bit default entry = RAM base + 0x80000');
  assert.equal(loadPlatform('tk1').crossVm.irq, undefined);
  assert.equal((loadPlatform('tk1').apps.vm_minimal.vms[0] as ArmVm).entry, 0x80008000, '32-bit default entry = RAM base + 0x8000');
  assert.equal(loadPlatform('exynos5422').smp.buildError, 'exynos5422 does not support SMP VMs');
  assert.equal(loadPlatform('tx2').interrupts.conflicts[0].values.length, 2);
  assert.equal(loadPlatform('odroidc2').features.row, undefined);
  assert.equal(loadPlatform('odroidc2').features.smp.documented, undefined);
  assert.equal(loadPlatform('imx8mq-evk').vmmSupported, false);
});

test('cma34cr is a pc99 variant: it inherits pc99 sections and overrides its own', () => {
  const c = loadPlatform('cma34cr');
  const pc = loadPlatform('pc99');
  assert.equal(c.variantOf, 'pc99');
  assert.equal(c.family, 'x86');
  assert.equal(c.pic?.lines.cross_vm, 12);
  assert.equal(c.crossVm.irq, pc.crossVm.irq);
  assert.equal(c.cores, 2);
  assert.equal(pc.cores, 1);
  assert.deepEqual(Object.keys(c.apps), ['cma34cr_centos', 'cma34cr_ubuntu']);
  const vm = c.apps.cma34cr_centos.vms[0];
  assert.equal(vm.kind, 'x86');
  if (vm.kind === 'x86') assert.deepEqual(vm.irqs.map((i) => i.dest), [11, 10, 14, 15]);
});

test('loading every board again takes well under 50 ms', () => {
  loadAllPlatforms();
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) loadAllPlatforms();
  const per = (performance.now() - t0) / 10;
  assert.ok(per < 50, `all boards in ${per.toFixed(2)} ms`);
});
