import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlatform } from '../../../src/platform';
import { x86PlanFromConfig } from '../../../src/guest/drivers/harness-x86';
import { ahciClearInterrupt, ahciEnableAndIssue, realiseAhciBench } from '../../../src/guest/drivers/ahci-bench';

const CONFIG = `
vm0_config.pci_devices = [
    {"name":"SATA", "bus":0, "dev":0x1f, "fun":2, "irq":"SATA",
     "memory":[ {"paddr":0xc0713000, "size":0x800, "page_bits":12} ]},
];
vm0_config.irqs = [
    {"name":"SATA", "source":19, "level_trig":1, "active_low":1, "dest":11},
];`;

const platform = loadPlatform('cma34cr');
const lineEvents = (b: ReturnType<typeof realiseAhciBench>, line: number) =>
  b.kernel.trace.all().filter((e) => e.object === `irq ${line}` && (e.op === 'irq_assert' || e.op === 'irq_deassert' || (e.op === 'irq' && e.result === 'delivered')));

test('the driver sequence asserts host line dest + 16 once; clearing PxIS and IS deasserts it', () => {
  const b = realiseAhciBench({ platform, plan: x86PlanFromConfig(platform, CONFIG), bdf: '00:1f.2' });
  assert.deepEqual(b.realised.irqs.map((i) => i.line), [27]);
  assert.deepEqual(lineEvents(b, 27), []);
  ahciEnableAndIssue(b.abar);
  assert.equal(b.ahci.completed, 1);
  const ops = lineEvents(b, 27).map((e) => (e.op === 'irq' ? 'delivered' : e.op));
  assert.deepEqual(ops.filter((o) => o === 'delivered'), ['delivered']);
  assert.equal(ops.filter((o) => o !== 'delivered').at(-1), 'irq_assert');
  ahciClearInterrupt(b.abar);
  assert.equal(lineEvents(b, 27).filter((e) => e.op !== 'irq').at(-1)?.op, 'irq_deassert');
});

test('a device not in the plan, or without memory, is refused with what it has', () => {
  const plan = x86PlanFromConfig(platform, CONFIG);
  assert.throws(() => realiseAhciBench({ platform, plan, bdf: '05:00.0' }), /no PCI device 05:00.0 in vm0's plan: it has 00:1f.2/);
  const noMem = x86PlanFromConfig(platform, CONFIG.replace(/"memory":\[[^\]]*\]/, '"memory":[]'));
  assert.throws(() => realiseAhciBench({ platform, plan: noMem, bdf: '00:1f.2' }), /passes no memory/);
});
