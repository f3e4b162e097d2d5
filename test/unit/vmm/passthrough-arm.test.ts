import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError } from '../../../src/diagnostics';
import { loadCamkes } from '../../../src/camkes/parser';
import { resolveAssembly } from '../../../src/camkes/resolve';
import { loadDeviceTree, loadPlatform, type ArmVm } from '../../../src/platform';
import { alignedBlocks } from '../../../src/vmm/passthrough/arm';
import { armConfigFromAssembly, armConfigFromBoard, checkIrqClaims, deviceUntypeds, planArm, realiseArm } from '../../../src/vmm/passthrough';
import { Kernel } from '../../../src/sel4';

const qemu = loadPlatform('qemu-arm-virt');
const tree = loadDeviceTree(qemu);

function assembly(config: string) {
  const text = `component VM { control; }\nassembly {\n  composition {\n    component VM vm0;\n    component VM vm1;\n  }\n  configuration {\n${config}\n  }\n}\n`;
  return resolveAssembly(loadCamkes('/t.camkes', { readFile: (f) => (f === '/t.camkes' ? text : undefined), preprocess: 'none' }));
}
const errors = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.pos.line}:${d.pos.col}: ${d.message}`);
    throw e;
  }
  assert.fail('expected a DiagnosticError');
};

test('a dtb path entry gives the node\'s reg as untyped blocks and its interrupts 1:1, positioned at the entry', () => {
  const asm = assembly(`    vm0.dtb = dtb([{"path": "/pl011@9000000"}]);\n    vm0.untyped_mmios = ["0x8040000:12", "0x40000000:29"];\n    vm0.vm_address_config = { "ram_base": "0x40000000", "ram_paddr_base": "0x40000000", "ram_size": "0x20000000", "dtb_addr": "0", "initrd_addr": "0" };`);
  const plan = planArm(armConfigFromAssembly(asm, 'vm0'), { platform: qemu, tree });
  assert.deepEqual(plan.irqs.map((i) => [i.irq, i.trigger, i.origin.pos.line, i.origin.pos.col]), [[33, 'level', 8, 20]]);
  assert.deepEqual(plan.regions.map((r) => [r.kind, r.paddr, r.sizeBits, r.role]), [['untyped', 0x9000000, 12, 'device'], ['untyped', 0x8040000, 12, 'gicv'], ['untyped', 0x40000000, 29, 'ram']]);
  assert.deepEqual(plan.selected.map((s) => s.node), ['/pl011@9000000']);
});

test('an empty dtb query is the template\'s error; an entry matching nothing is not an error', () => {
  assert.deepEqual(errors(() => planArm(armConfigFromAssembly(assembly('    vm0.dtb = dtb([]);'), 'vm0'), { platform: qemu, tree })), ['8:15: DTB query has no results.']);
  const plan = planArm(armConfigFromAssembly(assembly('    vm0.dtb = dtb([{"path": "/nothing@0"}]);'), 'vm0'), { platform: qemu, tree });
  assert.deepEqual([plan.irqs, plan.regions, plan.unmatched.map((u) => u.what)], [[], [], ['dtb path "/nothing@0"']]);
});

test('properties queries select the first matching node', () => {
  const plan = planArm(armConfigFromAssembly(assembly('    vm0.dtb = dtb([{"properties": {"compatible[0]": "arm,pl011"}}]);'), 'vm0'), { platform: qemu, tree });
  assert.deepEqual(plan.selected.map((s) => s.node), ['/pl011@9000000']);
  assert.deepEqual(plan.irqs.map((i) => i.irq), [33]);
});

test('conflicts are positioned errors: RAM, GIC frames, MAX_IRQ, malformed strings, a second VM claiming an IRQ', () => {
  const cfg = `    vm0.vm_address_config = { "ram_base": "0x40000000", "ram_size": "0x20000000" };\n    vm0.mmios = ["0x40001000:0x1000:12", "0x8000000:0x1000:12", "0x8040000"];\n    vm0.irqs = [400];`;
  assert.deepEqual(errors(() => planArm(armConfigFromAssembly(assembly(cfg), 'vm0'), { platform: qemu, tree })), [
    '9:18: mmios "0x40001000:0x1000:12": region 0x40001000-0x40001fff overlaps guest RAM 0x40000000-0x5fffffff of vm0',
    '9:42: mmios "0x8000000:0x1000:12": region 0x8000000-0x8000fff overlaps the GIC distributor frame at 0x8000000, which the VMM owns',
    '9:65: expected each item of mmios to be a string "paddr:size:page_bits", found "0x8040000"',
    '10:17: irqs entry 400: IRQ 400 is above the board\'s MAX_IRQ 159 (qemu-arm-virt)',
  ]);
  const asm = assembly('    vm0.dtb = dtb([{"path": "/pl011@9000000"}]);\n    vm1.irqs = [33];');
  const plans = ['vm0', 'vm1'].map((vm) => planArm(armConfigFromAssembly(asm, vm), { platform: qemu, tree }));
  assert.deepEqual(errors(() => checkIrqClaims(plans)), ['9:17: irqs entry 33: IRQ 33 of vm1 is already passed through to vm0 (dtb path "/pl011@9000000" (node /pl011@9000000) at /t.camkes:8:20)']);
});

test('alignedBlocks covers a range with the fewest naturally aligned blocks', () => {
  assert.deepEqual(alignedBlocks(0x3000, 0x10000).map((b) => [b.paddr, b.bits]), [[0x3000, 12], [0x4000, 14], [0x8000, 15]]);
  assert.deepEqual(alignedBlocks(0x10000000, 0x20000000).map((b) => b.bits), [28]);
});

test('board plans: exynos5422 vm_multi shares pages between VMs; realising creates the untyped hand-over and IRQ handlers', () => {
  const p = loadPlatform('exynos5422');
  const vms = p.apps.vm_multi.vms as ArmVm[];
  const plans = vms.map((v) => planArm(armConfigFromBoard(v), { platform: p, tree: loadDeviceTree(p) }));
  checkIrqClaims(plans);
  // Guest RAM untypeds (role 'ram') are the system builder's; the devices' come from deviceUntypeds.
  const kernel = new Kernel({ arch: 'aarch32', untyped: [{ sizeBits: 24, count: 1, paddr: 0x1000000 }, { sizeBits: 27, count: 3, paddr: 0x40000000 }, ...deviceUntypeds(plans)] });
  const alloc = kernel.allocator();
  const frames = new Map<number, number>();
  const r0 = realiseArm(plans[0], { kernel, alloc, frames });
  const r1 = realiseArm(plans[1], { kernel, alloc, frames });
  assert.deepEqual(r0.irqs.map((i) => i.line).sort((a, b) => a - b), [75, 76, 103, 104, 105]);
  const gicv = (r: typeof r0) => r.regions.find((x) => x.region.paddr === 0x10486000)!.frames[0];
  assert.equal(gicv(r0), gicv(r1), 'the GICV page is one frame shared by the VMs');
  assert.equal(kernel.root.cap(r0.irqs[0].handler)?.object.type, 'IRQHandler');
  kernel.machine.assertIRQ(75);
  assert.equal(kernel.trace.filter((e) => e.op === 'irq' && e.result === 'delivered').length, 1);
});

test('realising without the device untypeds is a positioned error naming the entry', () => {
  const p = loadPlatform('odroidc2');
  const plan = planArm(armConfigFromBoard(p.apps.vm_minimal.vms[0] as ArmVm), { platform: p, tree: loadDeviceTree(p) });
  const kernel = new Kernel({ arch: 'aarch64' });
  assert.match(errors(() => realiseArm(plan, { kernel, alloc: kernel.allocator() }))[0], /dtb path "\/serial@c81004c0".*no untyped of 2\^12 bytes at 0xc8100000/);
});
