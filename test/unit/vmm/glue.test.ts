import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readVmmGlue, type GlueSource } from '../../../src/vmm/glue';

const FIX = join(__dirname, '../../fixtures/glue');
const src = (name: string): GlueSource => ({ path: `apps/x/src/${name}`, text: readFileSync(join(FIX, name), 'utf8') });
const inline = (text: string): GlueSource => ({ path: 'src/cross_vm.c', text });

/** Drops positions so two spellings of the same glue can be compared. */
function noPos(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'pos' || k.endsWith('Pos') || k === 'files' || k === 'args' || k === 'irqBadgeArg' ? undefined : x)));
}

test('tutorial cross_vm.c (seed 002, verbatim) reads as generation 1 with ids from array positions', () => {
  const g = readVmmGlue(src('tutorial_minimal_cross_vm.c'));
  assert.equal(g.generation, 1);
  assert.deepEqual(g.dataports.map((d) => [d.id, d.handle?.symbol ?? null, d.handle?.interface ?? null]), [[0, null, null], [1, 'data_handle', 'data']]);
  assert.deepEqual(g.dataports[1].pos, { file: 'apps/x/src/tutorial_minimal_cross_vm.c', line: 19, col: 5 });
  assert.deepEqual(g.emittedEvents.map((e) => [e.id, e.emit?.interface ?? null]), [[0, null], [1, 'do_print']]);
  assert.equal(g.consumedEvents.length, 1);
  assert.equal(g.consumedEvents[0].id, 1);
  assert.equal(g.consumedEvents[0].regCallback.interface, 'done_printing');
  assert.deepEqual([g.consumedEvents[0].idPos.line, g.consumedEvents[0].idPos.col], [24, 13]);
  const { dataports, emits, consumes } = g.initFunctions;
  assert.ok(dataports && emits && consumes);
  assert.deepEqual([dataports.arrayArg.array, dataports.arrayArg.count, dataports.arrayArg.length], ['dataports', 2, 2]);
  assert.deepEqual([emits.arrayArg.array, emits.arrayArg.count], ['emitted_events', 2]);
  assert.deepEqual([consumes.arrayArg.array, consumes.arrayArg.count], ['consumed_events', 1]);
  assert.equal(consumes.callee, 'cross_vm_consumes_events_init_common');
  assert.deepEqual(consumes.params, ['vmm', 'vspace', 'irq_badge']);
  assert.deepEqual(consumes.mutex, { variable: 'cross_vm_event_mutex', camkesMutex: 'cross_vm_event_mutex', pos: consumes.mutex.pos });
  assert.equal(consumes.irqBadgeArg.kind === 'ident' && consumes.irqBadgeArg.name, 'irq_badge');
  assert.equal(consumes.arrayArg.countPos.line, 50); // the count sits on the continuation line of the call
  assert.equal(g.includes.length, 11);
  assert.deepEqual(g.includes[9], { path: 'vmm/vmm.h', system: true, pos: { file: 'apps/x/src/tutorial_minimal_cross_vm.c', line: 10, col: 10 } });
  assert.deepEqual(g.externs.map((e) => [e.name, e.type]), [['data_handle', 'dataport_caps_handle_t']]);
  assert.deepEqual(g.connections, []);
});

test('the flattened tutorial glue (seed 001, verbatim) gives the same model as the indented one', () => {
  assert.deepEqual(noPos(readVmmGlue(src('tutorial_crossvm_cross_vm.c'))), noPos(readVmmGlue(src('tutorial_minimal_cross_vm.c'))));
});

test('string_reverse generation-1 glue split over two files, positional { .id = 1, done_reg_callback }', () => {
  const g = readVmmGlue([src('optiplex9020_gen1/cross_vm_dataport.c'), src('optiplex9020_gen1/cross_vm_event.c')]);
  assert.equal(g.generation, 1);
  assert.deepEqual(g.dataports.map((d) => d.handle?.interface ?? null), [null, 'dp1', 'dp2']);
  assert.equal(g.initFunctions.dataports?.arrayArg.count, 3); // ARRAY_SIZE(dataports)
  assert.equal(g.initFunctions.dataports?.pos.file, 'apps/x/src/optiplex9020_gen1/cross_vm_dataport.c');
  assert.equal(g.initFunctions.consumes?.pos.file, 'apps/x/src/optiplex9020_gen1/cross_vm_event.c');
  assert.deepEqual(g.consumedEvents.map((c) => [c.id, c.regCallback.symbol]), [[1, 'done_reg_callback']]);
  assert.deepEqual(g.emittedEvents.map((e) => e.emit?.symbol ?? null), [null, 'ready_emit']);
});

test('ARM vm_cross_connector glue: base address follows the board define, badge set at init', () => {
  const qemu = readVmmGlue(src('arm_vm_cross_connector/cross_vm_connections.c'), { defines: { CONFIG_PLAT_QEMU_ARM_VIRT: '1' } });
  const other = readVmmGlue(src('arm_vm_cross_connector/cross_vm_connections.c'));
  assert.equal(qemu.generation, 2);
  assert.equal(qemu.connectionsInit?.baseAddress, 0xdf000000);
  assert.equal(other.connectionsInit?.baseAddress, 0x3f000000);
  assert.equal(qemu.connectionsInit?.function, 'init_cross_vm_connections');
  assert.deepEqual(qemu.connectionsInit?.arrayArg && [qemu.connectionsInit.arrayArg.count, qemu.connectionsInit.arrayArg.length], [2, 2]);
  const [c0, c1] = qemu.connections;
  assert.deepEqual([c0.layout, c0.dataport?.interface, c0.emit?.interface, c0.connectionName], ['arm', 'crossvm_dp_0', 'ready', 'conn_0']);
  // -1 in the initialiser, replaced by done_notification_badge() before cross_vm_connections_init.
  assert.equal(c0.consume.kind, 'notification-badge');
  assert.equal(c0.consume.kind === 'notification-badge' && c0.consume.of.interface, 'done');
  assert.deepEqual([c1.dataport?.interface, c1.emit, c1.consume.kind, c1.connectionName], ['crossvm_dp_1', null, 'none', 'conn_1']);
  assert.deepEqual(qemu.asyncEventHandlers.map((h) => [h.badge, h.callback]), [[{ connection: 0 }, 'consume_callback']]);
  assert.deepEqual(qemu.defines.map((d) => [d.name, d.value]), [['CONNECTION_BASE_ADDRESS', 0xdf000000], ['FIRST_CROSS_VM_BADGE', 8]]);
  assert.deepEqual(qemu.modules.map((m) => [m.name, m.functions]), [['cross_vm_connections', ['init_cross_vm_connections']]]);
});

test('x86 generation-2 glue: consume ids from { .id, .reg_callback }, -1 for none', () => {
  const g = readVmmGlue(src('optiplex9020_gen2/cross_vm_connections.c'));
  assert.equal(g.generation, 2);
  assert.equal(g.connectionsInit?.baseAddress, 0xa0000000);
  assert.deepEqual(g.connections.map((c) => [c.layout, c.dataport?.interface, c.emit?.interface ?? null, c.consume.kind]), [
    ['x86', 'dp1', 'ready', 'none'],
    ['x86', 'dp2', null, 'id'],
  ]);
  const c = g.connections[1].consume;
  assert.ok(c.kind === 'id' && c.id === 1 && c.regCallback?.interface === 'done');
});

const GEN1_TAIL = `
int cross_vm_dataports_init(vmm_t *vmm) {
    return cross_vm_dataports_init_common(vmm, dataports, sizeof(dataports)/sizeof(dataports[0]));
}
`;

test('designated indices leave NULL holes, and a literal count is recorded as passed', () => {
  const g = readVmmGlue(inline(`
static dataport_caps_handle_t *dataports[] = { [2] = &b_handle, [0] = NULL };
int cross_vm_dataports_init(vmm_t *vmm) { return cross_vm_dataports_init_common(vmm, dataports, 5); }
`));
  assert.deepEqual(g.dataports.map((d) => d.handle?.interface ?? null), [null, null, 'b']);
  assert.deepEqual([g.initFunctions.dataports?.arrayArg.count, g.initFunctions.dataports?.arrayArg.length], [5, 3]);
});

test('object-like and function-like #defines are expanded inside the arrays; #if 0 is skipped', () => {
  const g = readVmmGlue(inline(`
#define DONE_ID (1 << 2 | 0x1)
#define HANDLE(x) &x##_handle
#if 0
this is not C at all {
#elif defined(NOT_SET) || 1
static dataport_caps_handle_t *dataports[] = { NULL, HANDLE(data), };
#else
#error not reached
#endif
static camkes_consumes_event_t consumed_events[] = { { DONE_ID, done_reg_callback } };
${GEN1_TAIL}`));
  assert.equal(g.dataports[1].handle?.symbol, 'data_handle');
  assert.equal(g.dataports[1].handle?.pos.line, 7); // the use site, not the #define
  assert.equal(g.consumedEvents[0].id, 5);
  assert.equal(g.defines.find((d) => d.name === 'DONE_ID')?.value, 5);
  assert.equal('emits' in g.initFunctions, false); // hook not defined: token stays unregistered
});
