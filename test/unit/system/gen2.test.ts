import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagnosticError, formatDiagnostic } from '../../../src/diagnostics';
import { loadPlatform } from '../../../src/platform';
import { buildSystem, runApp } from '../../../src/system';
import { boardDefines, guestVersions } from '../../../src/system/gen2';
import { readVmmGlue } from '../../../src/vmm/glue';

const stamp = (l: string) => l.replace(/^\[\s*\d+\.\d{6}\] /, '');

/** Lines of `want` in order inside `got`; the first missing one, or null. */
function missingInOrder(got: readonly string[], want: readonly string[]): string | null {
  let at = 0;
  for (const w of want) {
    const i = got.indexOf(w, at);
    if (i < 0) return w;
    at = i + 1;
  }
  return null;
}

const CONNECTOR_CONSOLE = [
  'Event Bar (dev-0) initialized', '1 Dataports (dev-0) initialized', 'Event Bar (dev-1) initialized', '1 Dataports (dev-1) initialized',
  'This is a crossvm dataport test string', '', 'This is a test user string', '', 'Got an event', 'Back from waiting with val: 1', 'Finished crossvm test script',
];

for (const [board, irq, base] of [['qemu-arm-virt', 82, 0xdf000000], ['exynos5422', 124, 0x3f000000]] as const) {
  test(`vm_cross_connector on ${board}: the init scripts run to "Finished crossvm test script" through IRQ ${irq}`, () => {
    const r = runApp('apps/vm_cross_connector', { board, commands: ['cat /sys/class/uio/uio0/name'] });
    assert.equal(r.outcome.kind, 'completed', JSON.stringify(r.outcome));
    const lines = r.console.map(stamp);
    assert.equal(missingInOrder(lines, CONNECTOR_CONSOLE), null, lines.join('\n'));
    assert.ok(lines.includes('conn_0'));
    const vm = r.system.vms[0];
    const conns = vm.gen2?.connections;
    assert.ok(conns);
    assert.equal(conns.connections[0].eventBar, base);
    // The consume went through the instance's global endpoint badge to the vGIC, into the guest.
    const trace = r.system.sys.kernel.trace.all();
    assert.ok(trace.some((e) => e.op === 'async_event' && e.object === 'ntfn vm0.global_endpoint'));
    assert.ok(trace.some((e) => e.op === 'seL4_ARM_VCPU_InjectIRQ' && e.value === irq));
    assert.ok(trace.some((e) => e.layer === 'guest-kernel' && e.op === 'irq' && e.value === irq && e.result === 'IRQ_HANDLED'));
    assert.equal(vm.vmm.vm.state.kind, 'running');
  });
}

test('vm_cross_connector: the same seed gives the same trace byte for byte', () => {
  const a = runApp('apps/vm_cross_connector', { board: 'qemu-arm-virt', seed: 7, commands: [] });
  const b = runApp('apps/vm_cross_connector', { board: 'qemu-arm-virt', seed: 7, commands: [] });
  assert.equal(a.system.sys.kernel.trace.serialise(), b.system.sys.kernel.trace.serialise());
});

test('string_reverse gen 2 on pc99: hello → olleh; the consume goes reg_callback → IRQ-12 badge → PIC line 12', () => {
  const r = runApp('apps/string_reverse_gen2', { board: 'pc99', commands: ['echo hello | string_reverse', 'cat /sys/class/uio/uio1/name'] });
  assert.equal(r.outcome.kind, 'completed', JSON.stringify(r.outcome));
  const lines = r.console.map(stamp);
  assert.equal(missingInOrder(lines, ['# echo hello | string_reverse', 'olleh', '# cat /sys/class/uio/uio1/name', 'connector']), null, lines.join('\n'));
  const t = r.system.sys.kernel.trace.all();
  const bump = t.findIndex((e) => e.object === 'connection 1 event register' && e.result === 'no inject');
  assert.ok(bump >= 0, 'consume_connection_event(id 1, false) ran');
  const pic = t.findIndex((e, i) => i > bump && e.op === 'inject_irq' && e.object === 'i8259' && e.value === 12);
  assert.ok(pic > bump, 'then the VMM raised PIC line 12');
  assert.ok(t.some((e) => e.actor === 'vm0:done__run' && e.op === 'seL4_Signal'), 'the interface thread signalled the IRQ-12 badged cap');
});

test('an Arm VM with a malformed RAM setting is a positioned error', () => {
  const root = mkdtempSync(join(tmpdir(), 'vmconf-gen2-unit-'));
  try {
    const dir = join(root, 'vm_cross_connector');
    cpSync('apps/vm_cross_connector', dir, { recursive: true });
    const f = join(dir, 'qemu-arm-virt', 'devices.camkes');
    writeFileSync(f, readFileSync(f, 'utf8').replace('"linux_ram_size" : VAR_STRINGIZE(VM_RAM_SIZE)', '"linux_ram_size" : "lots"'));
    assert.throws(
      () => buildSystem(dir, { board: 'qemu-arm-virt' }),
      (e: unknown) => e instanceof DiagnosticError && /devices\.camkes:\d+:\d+: error: expected vm0\.linux_address_config\.linux_ram_size to be a number such as "0x40000000", found "lots"/.test(formatDiagnostic(e.diagnostics[0])),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the app is refused on a board it is not shipped for', () => {
  assert.throws(() => buildSystem('apps/vm_cross_connector', { board: 'tk1' }), /does not target board 'tk1'/);
});

test('board defines select the glue base address; guest kernel versions follow reference 8.3', () => {
  const text = readFileSync('apps/vm_cross_connector/src/cross_vm_connections.c', 'utf8');
  const base = (b: string) => readVmmGlue({ path: 'cross_vm_connections.c', text }, { defines: boardDefines(loadPlatform(b)) }).connectionsInit?.baseAddress;
  assert.equal(base('qemu-arm-virt'), 0xdf000000);
  assert.equal(base('exynos5422'), 0x3f000000);
  assert.deepEqual(guestVersions(loadPlatform('qemu-arm-virt')), { kernelVersion: '4.9.189', moduleVersion: '4.14.87' });
  assert.deepEqual(guestVersions(loadPlatform('exynos5422')), { kernelVersion: '4.14.87', moduleVersion: '4.14.87' });
});

test('x86 glue passing its base-address parameter gets Init\'s CROSS_VM_BASE_ADDRESS', () => {
  const path = 'apps/string_reverse_gen2/src/cross_vm_connections.c';
  const g = readVmmGlue({ path, text: readFileSync(path, 'utf8') });
  assert.equal(g.connectionsInit?.baseAddress, 0xa0000000);
  assert.equal(g.connectionsInit?.baseAddressParam, 'connection_base_addr');
});
