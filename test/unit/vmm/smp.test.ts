import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlatform } from '../../../src/platform';
import { PSCI_FN, PSCI_RET, SYSTEM_OFF_REASON, SmpProbe, unhandledVcpuFault } from '../../../src/vmm/arm';
import { SmpConfigureError } from '../../../src/vmm/smp-config';

const probe = (board: string, numNodes: string, numVcpus: number, seed = 1) => new SmpProbe({ platform: loadPlatform(board), numNodes, numVcpus, seed });

test('CPU_ON starts each secondary on its own core, bound to its own VCPU object; it marks itself online in guest RAM', () => {
  const p = probe('tx2', '4', 4);
  assert.equal(p.kernel.core.cores.length, 4);
  for (let i = 1; i < 4; i++) assert.equal(p.cpuOn(i), PSCI_RET.SUCCESS);
  for (let i = 1; i < 4; i++) assert.equal(p.waitOnline(i), true);
  assert.deepEqual([0, 1, 2, 3].map((i) => p.coreOf(i)), [0, 1, 2, 3]);
  const vcpus = p.vmm.vcpus.slots.map((s) => s.thread!.vcpu!.name);
  assert.deepEqual(vcpus, ['vm0 vcpu0', 'vm0 vcpu1', 'vm0 vcpu2', 'vm0 vcpu3']);
  assert.deepEqual(p.guest.started.map((s) => [s.vcpu, s.contextId]), [[1, 1], [2, 2], [3, 3]]);
  assert.equal(p.cpuOn(2), PSCI_RET.ALREADY_ON);
  assert.equal(p.vmmLog(), '');
});

test('num_vcpus above the nodes: the VMM logs, caps, and CPU_ON of the missing vCPU is INVALID_PARAMETERS', () => {
  const p = probe('qemu-arm-virt', '1', 2);
  assert.equal(p.vmmLog(), "main_continued@main.c:0 Invalid 'num_vcpus' attribute setting: Exceeds maximum number of supported nodes. Capping value to CONFIG_MAX_NUM_NODES (1)\n");
  assert.equal(p.vmm.vcpus.slots.length, 1);
  assert.equal(p.cpuOn(1), PSCI_RET.INVALID_PARAMETERS);
  assert.ok(p.vmm.vm.alive);
});

test('SGIs: GICD_SGIR from one vCPU reaches the targeted vCPU\'s list registers and interrupts it', () => {
  const p = probe('qemu-arm-virt', '2', 2);
  assert.equal(p.cpuOn(1), 0);
  assert.ok(p.waitOnline(1));
  p.enableDistributor();
  assert.ok(p.writeSgir(0, (1 << 17) | 3));
  p.settle();
  assert.deepEqual([p.taken(0), p.taken(1)], [[], [3]]);
  // The SGI went through vCPU 1's own VCPU object.
  const injects = p.kernel.trace.all().filter((e) => e.op === 'seL4_ARM_VCPU_InjectIRQ');
  assert.deepEqual(injects.map((e) => [e.object, e.value]), [['vm0 vcpu1', 3]]);
  assert.ok(p.writeSgir(1, (1 << 24) | 9));
  p.settle();
  assert.deepEqual([p.taken(0), p.taken(1)], [[9], [3]]);
});

test('PPI 27 is banked: enabled on vCPU 1 only, injected there only', () => {
  const p = probe('zcu102', '2', 2);
  p.cpuOn(1);
  assert.ok(p.waitOnline(1));
  p.enableDistributor();
  assert.ok(p.enableIrq(1, 27));
  assert.equal(p.vmm.vgic.injectIrq(0, 27), -1);
  assert.equal(p.vmm.vgic.injectIrq(1, 27), 0);
  p.settle();
  assert.deepEqual([p.taken(0), p.taken(1)], [[], [27]]);
});

test('CPU_OFF: the call does not return, AFFINITY_INFO says OFF, CPU_ON enters the secondary entry again', () => {
  const p = probe('tx1', '2', 2);
  p.cpuOn(1);
  assert.ok(p.waitOnline(1));
  assert.equal(p.smc(1, PSCI_FN.CPU_OFF, []), null);
  assert.deepEqual(p.smc(0, PSCI_FN.AFFINITY_INFO_64, [1, 0])?.[0], 1);
  assert.equal(p.cpuOn(1), 0);
  p.settle();
  assert.equal(p.guest.started.filter((s) => s.vcpu === 1).length, 2);
  assert.deepEqual(p.smc(1, PSCI_FN.VERSION, [])?.[0], 0x10000, 'vCPU 1 runs guest code again');
});

test('SYSTEM_OFF stops the VM; every vCPU goes offline', () => {
  const p = probe('tx2', '2', 2);
  p.cpuOn(1);
  assert.ok(p.waitOnline(1));
  assert.equal(p.smc(1, PSCI_FN.SYSTEM_OFF, []), null);
  assert.equal(p.vmm.vm.state.kind === 'dead' && p.vmm.vm.state.reason, SYSTEM_OFF_REASON);
  assert.equal(p.run(0, (m) => m.read32(m.ram.base), 1e7).done, false);
});

test('a 32-bit VMM has no virtual power device: the guest\'s SMC stops the VM with the unhandled-fault line', () => {
  const p = probe('exynos5422', '1', 1);
  assert.equal(p.smc(0, PSCI_FN.VERSION, []), null);
  assert.equal(p.vmmLog(), unhandledVcpuFault('vm0', 0x4e000000) + '\n');
  assert.equal(p.vmm.vm.alive, false);
});

test('the build refuses SMP on exynos5422 before any VM exists', () => {
  assert.throws(() => probe('exynos5422', '2', 2), (e) => e instanceof SmpConfigureError && e.message === 'exynos5422 does not support SMP VMs');
});

test('deterministic: the same build, guest actions and seed give the same trace', () => {
  const run = (seed: number) => {
    const p = probe('tx2', '4', 4, seed);
    for (let i = 1; i < 4; i++) p.cpuOn(i);
    for (let i = 1; i < 4; i++) p.waitOnline(i);
    p.enableDistributor();
    p.writeSgir(2, (1 << 24) | 1);
    p.settle();
    return p.kernel.trace.serialise();
  };
  assert.equal(run(7), run(7));
});
