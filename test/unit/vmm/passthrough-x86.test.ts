import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DiagnosticError } from '../../../src/diagnostics';
import { loadCamkes } from '../../../src/camkes/parser';
import { resolveAssembly } from '../../../src/camkes/resolve';
import { loadPlatform, type X86Vm } from '../../../src/platform';
import { Kernel } from '../../../src/sel4';
import { deviceUntypeds, ioportOverlaps, planX86, realise, x86ConfigFromAssembly, x86ConfigFromBoard, x86HostLine } from '../../../src/vmm/passthrough';

const cma = loadPlatform('cma34cr');

function config(body: string) {
  const text = `component Init { control; }\ncomponent VMConfig { hardware; }\nassembly {\n  composition {\n    component Init vm0;\n    component VMConfig vm0_config;\n  }\n  configuration {\n${body}\n  }\n}\n`;
  return x86ConfigFromAssembly(resolveAssembly(loadCamkes('/x.camkes', { readFile: (f) => (f === '/x.camkes' ? text : undefined), preprocess: 'none' })), 'vm0');
}
const errors = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map((d) => `${d.pos.line - 8}:${d.pos.col}: ${d.message}`);
    throw e;
  }
  assert.fail('expected a DiagnosticError');
};

test('the cma34cr board file plans: IDE ports, four PCI devices, lines 10/11/14/15; missing ioapic keys are warnings', () => {
  const vm = cma.apps.cma34cr_centos.vms[0] as X86Vm;
  const plan = planX86(x86ConfigFromBoard(vm), { platform: cma, devices: { crossVm: true } });
  assert.deepEqual(plan.pciDevices.map((d) => `${d.bdf} ${d.name} -> ${d.irq?.dest}`), ['00:1f.2 SATA -> 11', '05:00.0 Ethernet5 -> 10', '00:1a.0 USB2 -> 14', '00:1d.0 USB3 -> 15']);
  assert.equal(plan.warnings.length, 4);
  assert.match(plan.warnings[0].message, /has no "ioapic"/);
  assert.deepEqual(plan.vmmLog, []);
});

test('the old and the current layouts read the same entries; mixing them is an error', () => {
  const entries = '[{"name":"NIC", "source":17, "level_trig":0, "active_low":0, "dest":10}]';
  const old = planX86(config(`    vm0_config.irqs = ${entries};`), { platform: cma });
  const cur = planX86(config(`    vm0.vm_irqs = ${entries.replace('"source"', '"ioapic":0, "source"')};`), { platform: cma });
  assert.equal(old.layout, 'vm_config');
  assert.equal(cur.layout, 'vm');
  assert.deepEqual([old.irqs[0].trigger, old.irqs[0].polarity, old.irqs[0].pin], [cur.irqs[0].trigger, cur.irqs[0].polarity, 17]);
  assert.deepEqual(errors(() => config(`    vm0_config.irqs = ${entries};\n    vm0.vm_irqs = ${entries};`)), [
    '2:19: vm0.vm_irqs mixes the current layout with the pre-2019 vm0_config.irqs (at /x.camkes:9:23); expected one of the two',
  ]);
});

test('shape errors say what was expected, at the value', () => {
  assert.deepEqual(errors(() => planX86(config('    vm0.vm_ioports = [{"start":"0x10", "end":0x20}];\n    vm0.vm_irqs = 3;'), { platform: cma })), [
    '1:23: expected key "name" (a string) in vm0.vm_ioports entry',
    '1:32: expected "start" of vm0.vm_ioports entry to be an integer, found a string',
    '2:19: expected vm0.vm_irqs to be a list, found an integer',
  ]);
  assert.deepEqual(errors(() => planX86(config('    vm0.vm_ioports = [{"start":0x20, "end":0x20, "name":"x"}];'), { platform: cma })), [
    '1:44: expected "end" of vm0.vm_ioports entry \'x\' to be above "start" 0x20 and at most 0x10000 (end is exclusive), found 0x20',
  ]);
});

test('more than 12 passthrough IRQs with cross-VM connections makes Init log that the cross-VM line is unavailable', () => {
  const irqs = Array.from({ length: 13 }, (_, i) => `{"name":"i${i}", "ioapic":0, "source":${20 + i}, "level_trig":1, "active_low":1, "dest":${[1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 12][i]}}`);
  const plan = planX86(config(`    vm0.vm_irqs = [${irqs.join(', ')}];`), { platform: cma });
  assert.deepEqual(plan.vmmLog, []);
  assert.deepEqual(errors(() => planX86(config(`    vm0.vm_irqs = [${irqs.join(', ')}];`), { platform: cma, devices: { crossVm: true } })).map((e) => e.replace(/^\S+ /, '')), [
    '"dest" 12 of vm0.vm_irqs entry \'i12\' is guest line 12 of cross-VM events, which the VMM injects itself',
  ]);
});

test('realising an x86 plan issues the I/O ports and the IRQ on line dest + 16; an I/O port range is issued once', () => {
  const vm = cma.apps.cma34cr_centos.vms[0] as X86Vm;
  const plan = planX86(x86ConfigFromBoard(vm), { platform: cma });
  const kernel = new Kernel({ arch: 'x86_64', untyped: [{ sizeBits: 24, count: 1, paddr: 0x1000000 }, ...deviceUntypeds([plan])] });
  const alloc = kernel.allocator();
  const r = realise(plan, { kernel, alloc });
  assert.deepEqual(r.irqs.map((i) => i.line), plan.irqs.map(x86HostLine));
  assert.deepEqual(r.irqs.map((i) => i.line), [27, 26, 30, 31]);
  assert.equal(r.ioports.length, 7);
  assert.equal(kernel.root.cap(r.ioports[0].cap)?.object.type, 'IOPort');
  assert.deepEqual(r.regions.map((x) => x.frames.length), [32, 4, 1, 1]);
  assert.throws(() => realise(plan, { kernel, alloc }), /seL4_X86_IOPortControl_Issue\(0x4080, 0x408f\) returned seL4_RevokeFirst/);
});

const rangeArb = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 })).map(([first, len]) => ({ first, last: first + len }));

test('property: ioportOverlaps finds exactly the overlapping pairs a brute-force check finds', () => {
  fc.assert(
    fc.property(fc.array(rangeArb, { maxLength: 40 }), (rs) => {
      const brute: [number, number][] = [];
      for (let i = 0; i < rs.length; i++)
        for (let j = i + 1; j < rs.length; j++) {
          let shared = false;
          for (let p = rs[i].first; p <= rs[i].last && !shared; p++) shared = p >= rs[j].first && p <= rs[j].last;
          if (shared) brute.push([i, j]);
        }
      assert.deepEqual(ioportOverlaps(rs), brute);
    }),
    { numRuns: 300, seed: 12 },
  );
});

test('property: the validator reports one overlap error per overlapping pair, at the later entry', () => {
  fc.assert(
    fc.property(fc.array(rangeArb.map((r) => ({ first: r.first + 0x1000, last: r.last + 0x1000 })), { minLength: 1, maxLength: 12 }), (rs) => {
      const body = `    vm0.vm_ioports = [\n${rs.map((r, i) => `      {"start":${r.first}, "end":${r.last + 1}, "name":"r${i}"},`).join('\n')}\n    ];`;
      const cfg = config(body);
      const expected = ioportOverlaps(rs).map(([, j]) => j + 2).sort((a, b) => a - b);
      let got: number[] = [];
      try {
        planX86(cfg, { platform: cma });
      } catch (e) {
        got = (e as DiagnosticError).diagnostics.map((d) => d.pos.line - 8);
      }
      assert.deepEqual(got, expected);
    }),
    { numRuns: 60, seed: 7 },
  );
});
