import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlatform } from '../../../src/platform';
import { armPassthroughRig } from '../../../src/guest/drivers/harness-arm';
import { x86PassthroughRig, x86PlanFromConfig } from '../../../src/guest/drivers/harness-x86';
import { barSize, presentedBars } from '../../../src/vmm/passthrough/route-x86';
import { IRQS_PER_NODE } from '../../../src/vmm/passthrough/route-arm';
import { picBadge } from '../../../src/vmm/x86';

const SATA = `vm0_config.ioports = [ {"start":0x4060, "end":0x4080, "pci_device":0x1f, "name":"SATA"} ];
vm0_config.pci_devices = [ {"name":"SATA", "bus":0, "dev":0x1f, "fun":2, "irq":"SATA", "memory":[ {"paddr":0xc0713000, "size":0x800, "page_bits":12} ]} ];
vm0_config.irqs = [ {"name":"SATA", "source":19, "level_trig":1, "active_low":1, "dest":11} ];`;

test('routeArm: every plan IRQ but the console has a handler in the VMM CNode, spread over IRQ-server nodes', () => {
  const r = armPassthroughRig({ platform: loadPlatform('exynos5422'), app: 'vm_minimal', vm: 'vm0', path: '/soc/rtc@101e0000', irq: 76 });
  const planned = r.plan.irqs.map((i) => i.irq);
  assert.deepEqual(r.routing.skipped, [85]);
  assert.deepEqual(r.routing.irqs.map((i) => i.irq), planned.filter((i) => i !== 85));
  assert.equal(Math.max(...r.routing.irqs.map((i) => i.node)), Math.ceil(r.routing.irqs.length / IRQS_PER_NODE) - 1);
  const cnode = r.vmm.res.cnode;
  for (const i of r.routing.irqs) assert.equal(cnode.capAt(i.handler)?.object.type, 'IRQHandler');
});

test('routeArm: the device is mapped 1:1, so the guest driver reads the device registers without an exit', () => {
  const r = armPassthroughRig({ platform: loadPlatform('tk1'), app: 'vm_minimal', vm: 'vm0', path: '/sdhci@700b0000' });
  const exits = r.kernel.trace.filter((e) => e.op === 'vmexit' && e.value === '0x700b0038');
  assert.equal(exits.length, 0);
  const from = r.kernel.trace.all().length;
  r.raise();
  r.settle();
  assert.equal(r.driver.count, 1);
  // (Enabling the line in the vGIC acked it once before; count from the raise.)
  assert.equal(r.kernel.trace.all().slice(from).filter((e) => e.op === 'seL4_IRQHandler_Ack' && e.object === 'irq 46').length, 1);
});

test('routeArm: an interrupt before the guest acknowledges the last one is held masked by the kernel, then delivered', () => {
  const r = armPassthroughRig({ platform: loadPlatform('odroidc2'), app: 'vm_minimal', vm: 'vm0', path: '/ethernet@c9410000' });
  r.raise();
  r.settle();
  r.raise();
  r.settle();
  assert.equal(r.driver.count, 2);
});

test('routeX86: the handler notification carries irq_badges[dest]; EOI acks the handler; BARs are presented', () => {
  const p = loadPlatform('cma34cr');
  const plan = x86PlanFromConfig(p, SATA);
  const r = x86PassthroughRig({ platform: p, plan });
  r.settle();
  const signal = r.kernel.trace.all().find((e) => e.op === 'seL4_Signal' && e.value === picBadge(11));
  assert.ok(signal, 'the kernel signalled the VMM with the line-11 badge');
  assert.equal(r.kernel.trace.filter((e) => e.op === 'seL4_IRQHandler_Ack' && e.object === 'irq 27').length, 1);
  assert.deepEqual(presentedBars(plan.pciDevices[0]).map((b) => `${b.space} ${b.address.toString(16)}+${b.size.toString(16)}`), ['memory c0713000+1000', 'io 4060+20']);
  assert.equal(r.routing.presented[0].guestDev, 1);
});

test('barSize rounds up to a power of two, at least the minimum', () => {
  assert.deepEqual([barSize(0x800, 16), barSize(3, 4), barSize(0x20, 4), barSize(0x30, 4)], [0x800, 4, 0x20, 0x40]);
});

test('console UARTs (PL011 on qemu-arm-virt, Cadence on zcu102): a received character reaches the guest driver through the VMM\'s own console line', () => {
  for (const [board, path, irq] of [['qemu-arm-virt', '/pl011@9000000', 33], ['zcu102', '/amba/serial@ff000000', 53]] as const) {
    const r = armPassthroughRig({ platform: loadPlatform(board), app: 'vm_minimal', vm: 'vm0', path, irq });
    assert.deepEqual(r.routing.skipped, [irq], `${board}: routeArm leaves the console line to the VMM`);
    r.raise();
    r.settle();
    assert.equal(r.driver.count, 1, board);
    assert.equal(r.kernel.trace.filter((e) => e.op === 'seL4_IRQHandler_Ack' && e.object === `irq ${irq}`).length >= 1, true);
  }
});
