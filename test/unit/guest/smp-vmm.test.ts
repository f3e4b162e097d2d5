import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlatform } from '../../../src/platform';
import { Kernel } from '../../../src/sel4';
import { createBuildrootGuest } from '../../../src/guest';
import { ArmVmm } from '../../../src/vmm/arm';
import type { ArmVm } from '../../../src/platform';

/** The buildroot guest on the real VM_Arm VMM with `numVcpus` vCPUs on a `cores`-core kernel. */
function run(board: string, numVcpus: number, cores: number, kernelVersion: string) {
  const platform = loadPlatform(board);
  const kernel = new Kernel({ arch: 'aarch64', seed: 1, cores, untyped: [{ sizeBits: 31, count: 2, paddr: 0x1_0000_0000 }] });
  const cnode = kernel.allocator().must('CNode', 'vm0 cnode', 12);
  const guest = createBuildrootGuest({ generation: 'none', kernelVersion, gicDistributor: platform.gic!.distributor, trace: kernel.trace });
  let out = '';
  const vm = platform.apps.vm_minimal.vms[0] as ArmVm;
  const vmm = new ArmVmm({
    kernel, platform, name: 'vm0', cnode, ram: { base: vm.ram.base, size: 0x1000_0000 }, cmdline: '',
    serial: { write: (source, text) => void (source === 'vm0' ? (out += text) : undefined) },
    guest, numVcpus, maxNumNodes: cores,
  });
  vmm.start();
  kernel.run({ until: () => /Brought up/.test(out) || !vmm.vm.alive || kernel.now > 20e9 });
  return { out, vmm, kernel };
}

test('qemu-arm-virt: the guest starts vCPU 1 with CPU_ON and it prints its banner on its own core', () => {
  const { out, vmm, kernel } = run('qemu-arm-virt', 2, 2, '4.9.189');
  assert.match(out, /\] CPU1: Booted secondary processor \[410fd034\]\n/);
  assert.match(out, /\] Brought up 2 CPUs\n/);
  assert.equal(vmm.vcpus.slots[1].thread?.core, 1);
  const smc = kernel.trace.filter((e) => e.op === 'vmexit' && e.object === 'SMC');
  assert.deepEqual(smc.map((e) => [e.value, e.result]), [['CPU_ON_64', 'x0=0']]);
});

test('tx2 with 4 vCPUs: three secondaries, 4.14 wording, the guest keeps running on vCPU 0', () => {
  const { out, vmm } = run('tx2', 4, 4, '4.14.87');
  for (const cpu of [1, 2, 3]) assert.match(out, new RegExp(`CPU${cpu}: Booted secondary processor 0x000000000${cpu} \\[0x410fd034\\]`));
  assert.match(out, /smp: Brought up 1 node, 4 CPUs\n/);
  assert.deepEqual(vmm.vcpus.slots.map((s) => s.power), ['on', 'on', 'on', 'on']);
});
