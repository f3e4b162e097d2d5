import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError, formatDiagnostic } from '../../../src/diagnostics';
import { validateBoard, type BoardText } from '../../../src/platform';

const S = 'source: platforms.md §2.6; seL4/seL4:src/plat/x/config.cmake';
/** A small valid Arm board; each test breaks one thing in it. */
const GOOD = `name: demo
arch: aarch64
title: Demo board
${S}
sel4: { platform: demo, kernel_platform: demo, kernel_archs: [aarch64], ${S} }
guest: { modes: [64], ${S} }
hypervisor: { kernel: true, vmm: supported, ${S} }
cores: { count: 4, cpu: A53, ${S} }
smp: { kernel: true, supported: true, max_vcpus: 4, ${S} }
interrupts:
  max_irq: 159
  free: [82]
  ${S}
gic:
  version: 2
  distributor: 0x8000000
  cpu_interface: 0x8010000
  vcpu_control: 0x8030000
  vcpu_interface: 0x8040000
  node: /intc@8000000
  ${S}
timer: { ppis: [13, 14, 11, 10], kernel_irq: 26, vtimer_irq: 27, frequency_hz: 62500000, ${S} }
console:
  uart: { base: 0x9000000, size: 0x1000 }
  irq: 33
  ${S}
vpci:
  cfg: { base: 0xDE000000, size: 0x1000000 }
  io: { base: 0xDD000000, size: 0x10000 }
  mem: { base: 0xDF000000, size: 0x1000000 }
  gic_address_cells: 2
  enabled: true
  ${S}
virtio: { irqs: { net: 82 }, net: true, console: false, ${S} }
cross_vm: { irq: 82, ${S} }
boot: { format: elf, image: img, ${S} }
features: { row: null, ${S} }
apps:
  vm_minimal:
    ${S}
    vms:
      vm0:
        ram: { base: 0x40000000, size: 0x20000000 }
        dtb: 0x4F000000
        irqs: [33]
`;

const FILE = 'platforms/demo.yaml';
function validate(text: string, extra: Record<string, string> = {}) {
  return validateBoard({ text, file: FILE }, { name: 'demo', readBoard: (n): BoardText | undefined => (extra[n] !== undefined ? { text: extra[n], file: `platforms/${n}.yaml` } : undefined) });
}

/** The diagnostics of a rejected file, as printed. */
function errors(text: string, extra?: Record<string, string>): string[] {
  try {
    validate(text, extra);
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, `threw ${String(e)}`);
    return e.diagnostics.map(formatDiagnostic);
  }
  assert.fail('the file was accepted');
}

/** `line:col` of the n-th occurrence of `needle` in `text` (1-based, as diagnostics print). */
function at(text: string, needle: string, nth = 0): string {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `'${needle}' is in the text`);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

function change(from: string, to: string): string {
  assert.ok(GOOD.includes(from), from);
  return GOOD.replace(from, to);
}

test('the demo board is valid and typed', () => {
  const p = validate(GOOD);
  assert.equal(p.maxIrq, 159);
  assert.equal(p.crossVm.irq, 82);
  assert.equal(p.apps.vm_minimal.vms[0].kind, 'arm');
});

test('an unknown key is reported at the key', () => {
  const t = change('  free: [82]\n', '  free: [82]\n  fre: 1\n');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, 'fre:')}: error: unknown key 'fre' in interrupts (expected one of: max_irq, free, source, note, unconfirmed, conflicts)`]);
});

test('a wrong type is reported at the value', () => {
  const t = change('cores: { count: 4,', 'cores: { count: four,');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, 'four')}: error: expected cores.count to be an integer from 1 to 256`]);
});

test('a missing required key is reported at the mapping that lacks it', () => {
  const t = change('  node: /intc@8000000\n', '');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, 'version: 2')}: error: missing required key 'node' in gic`]);
});

test('a missing source is an error too: every section cites one', () => {
  const t = change(`boot: { format: elf, image: img, ${S} }`, 'boot: { format: elf, image: img }');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, '{ format: elf')}: error: missing required key 'source' in boot`]);
});

test('an IRQ beyond the board\'s max_irq is reported at the IRQ', () => {
  const t = change('irqs: [33]', 'irqs: [33, 300]');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, '300]')}: error: expected each item of apps.vm_minimal.vms.vm0.irqs to be at most the board's max_irq 159, got 300`]);
});

test('a virtual line (virtio, cross-VM) is bounded by the vGIC\'s 256 lines, not the kernel\'s max_irq', () => {
  const ok = change('virtio: { irqs: { net: 82 }', 'virtio: { irqs: { net: 190 }');
  assert.equal(validate(ok).virtio.irqs.net, 190);
  const t = change('virtio: { irqs: { net: 82 }', 'virtio: { irqs: { net: 256 }');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, '256')}: error: expected virtio.irqs.net to be at most 255, the last line of the virtual GIC, got 256`]);
});

test('guest RAM overlapping a vPCI window or a device region is reported at the RAM', () => {
  const t = change('ram: { base: 0x40000000, size: 0x20000000 }', 'ram: { base: 0xDE800000, size: 0x20000000 }');
  const e = errors(t);
  assert.equal(e.length, 3, e.join('\n'));
  assert.match(e[0], new RegExp(`^${FILE}:${at(t, '{ base: 0xDE8')}: error: guest RAM of apps.vm_minimal.vms.vm0 \\[0xde800000, 0xfe800000\\) overlaps the vPCI cfg window \\(vpci.cfg\\) \\[0xde000000, 0xdf000000\\) at ${at(t, '{ base: 0xDE000000')}; expected disjoint regions$`));
  assert.match(e[1], /overlaps the vPCI mem window/);
  assert.match(e[2], /expected apps.vm_minimal.vms.vm0.dtb 0x4f000000 to lie inside the VM's guest RAM/);
  const d = change('ram: { base: 0x40000000, size: 0x20000000 }', 'ram: { base: 0x9000000, size: 0x1000000 }');
  assert.match(errors(d).join('\n'), /guest RAM .* overlaps the console UART \(console.uart\) \[0x9000000, 0x9001000\)/);
});

test('overlapping vPCI windows are reported at the first window', () => {
  const t = change('io: { base: 0xDD000000, size: 0x10000 }', 'io: { base: 0xDEFF0000, size: 0x20000 }');
  const cfg = at(t, '{ base: 0xDE000000');
  const io = at(t, '{ base: 0xDEFF0000');
  const mem = at(t, '{ base: 0xDF000000');
  assert.deepEqual(errors(t), [
    `${FILE}:${cfg}: error: the vPCI cfg window (vpci.cfg) [0xde000000, 0xdf000000) overlaps the vPCI io window (vpci.io) [0xdeff0000, 0xdf010000) at ${io}; expected disjoint regions`,
    `${FILE}:${io}: error: the vPCI io window (vpci.io) [0xdeff0000, 0xdf010000) overlaps the vPCI mem window (vpci.mem) [0xdf000000, 0xe0000000) at ${mem}; expected disjoint regions`,
  ]);
});

test('a vPCI window overlapping a device region is reported', () => {
  const t = change('mem: { base: 0xDF000000, size: 0x1000000 }', 'mem: { base: 0x8000000, size: 0x1000000 }');
  assert.match(errors(t).join('\n'), /the vPCI mem window \(vpci.mem\) \[0x8000000, 0x9000000\) overlaps the GIC distributor \(gic.distributor\)/);
});

test('a GICv3 board claiming VMM support is rejected at hypervisor.vmm', () => {
  const t = change('  version: 2\n', '  version: 3\n').replace('  cpu_interface: 0x8010000\n  vcpu_control: 0x8030000\n  vcpu_interface: 0x8040000\n', '  redistributor: 0x80a0000\n');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, 'supported,')}: error: expected hypervisor.vmm to be 'unsupported' on a GICv3 board: libsel4vm implements only a virtual GICv2 (platforms.md §1.3)`]);
  assert.equal(validate(t.replace('vmm: supported', 'vmm: unsupported')).gic?.version, 3);
});

test('the cross-VM line must be free_plat_interrupts[0]', () => {
  const t = change('cross_vm: { irq: 82', 'cross_vm: { irq: 83');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, '83')}: error: expected cross_vm.irq to be 82, the first entry of interrupts.free (free_plat_interrupts[0])`]);
});

test('all errors of a file are reported, in file order', () => {
  const t = change('cores: { count: 4,', 'cores: { count: -1,').replace('format: elf', 'format: zip').replace('arch: aarch64', 'arch: aarch64\nbogus: 1');
  const e = errors(t);
  assert.equal(e.length, 3, e.join('\n'));
  assert.ok(e[0].includes(`${at(t, 'bogus')}: error: unknown key 'bogus'`));
  assert.ok(e[1].includes(`${at(t, '-1')}: error: expected cores.count`));
  assert.ok(e[2].includes(`${at(t, 'zip')}: error: expected boot.format to be one of: elf, efi, uimage, binary, multiboot`));
});

test('UNCONFIRMED keys and CONFLICT entries must name keys of their section', () => {
  const t = change('  max_irq: 159\n', '  max_irq: 159\n  unconfirmed: [max_irqq]\n  conflicts:\n    - key: max_irq\n      values:\n        - { value: 1, source: a }\n');
  const e = errors(t);
  assert.equal(e.length, 2, e.join('\n'));
  assert.ok(e[0].includes(`${at(t, 'max_irqq')}: error: expected each item of interrupts.unconfirmed to be a key of interrupts`));
  assert.ok(e[1].includes(`${at(t, '- { value: 1')}: error: expected interrupts.conflicts[].values to list at least two values`), e[1]);
});

test('YAML syntax errors and a mismatched name are positioned', () => {
  assert.match(errors('name: [demo\n')[0], /^platforms\/demo.yaml:\d+:\d+: error: /);
  const t = change('name: demo', 'name: other');
  assert.deepEqual(errors(t), [`${FILE}:${at(t, 'other')}: error: expected name to be 'demo', the file's name`]);
});

test('a variant takes the sections it omits from its base and reports base errors in the base file', () => {
  const variant = `name: demo\narch: aarch64\ntitle: Variant\nvariant_of: base\n${S}\ncores: { count: 2, cpu: A53, ${S} }\n`;
  const p = validate(variant, { base: GOOD.replace('name: demo', 'name: base') });
  assert.equal(p.cores, 2);
  assert.equal(p.variantOf, 'base');
  assert.equal(p.gic?.distributor, 0x8000000);
  const broken = GOOD.replace('name: demo', 'name: base').replace('max_irq: 159', 'max_irq: lots');
  assert.deepEqual(errors(variant, { base: broken }), [`platforms/base.yaml:${at(broken, 'lots')}: error: expected interrupts.max_irq to be an integer from 1 to 1019`]);
  assert.deepEqual(errors(variant), [`${FILE}:${at(variant, 'base', 0)}: error: expected variant_of to name a board under platforms/, got 'base'`]);
});

test('x86 boards take a pic section and no gic', () => {
  const t = change('arch: aarch64', 'arch: x86_64');
  const e = errors(t);
  assert.ok(e.some((x) => x.includes("missing required key 'pic'")), e.join('\n'));
  assert.ok(e.some((x) => x.includes(`${at(t, 'gic:')}: error: 'gic' describes Arm boards; this board's arch is x86_64`)), e.join('\n'));
});
