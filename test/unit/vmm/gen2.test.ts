import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_BAR } from '../../../src/vmm/crossvm/gen2';
import { loadPlatform } from '../../../src/platform';
import { TWO_CONNECTIONS, enableIrq, runArm } from './arm-fixture';

const gicd = (board: string) => loadPlatform(board).gic!.distributor;

const BASE = 0xdf000000;

test('layout: event BAR then dataport, each dataport-size apart; both BARs advertise the dataport size', () => {
  const sizes = [4096, 16384, 8192];
  const { tb, log } = runArm('qemu-arm-virt', function* (m, out) {
    for (let dev = 1; dev <= 3; dev++) {
      const bars: number[] = [];
      for (const off of [0x10, 0x14]) {
        bars.push((yield* m.pciConfigRead(dev, 0, off, 4)) & ~0xf);
        yield* m.pciConfigWrite(dev, 0, off, 4, 0xffffffff);
        bars.push(((~((yield* m.pciConfigRead(dev, 0, off, 4)) & ~0xf)) >>> 0) + 1);
        yield* m.pciConfigWrite(dev, 0, off, 4, 0);
      }
      out.push(bars.map((b) => b >>> 0));
    }
  }, { connections: sizes.map((size) => ({ size, emit: false, consume: false })) });
  assert.deepEqual(log, [
    [BASE, 4096, BASE + 0x1000, 4096],
    [BASE + 0x2000, 16384, BASE + 0x6000, 16384],
    [BASE + 0xa000, 8192, BASE + 0xc000, 8192],
  ]);
  assert.equal(tb.connections?.connections.length, 3);
});

test('the PCI identity of a connection device', () => {
  const { log } = runArm('exynos5422', function* (m, out) {
    for (const [off, size] of [[0, 2], [2, 2], [4, 2], [8, 1], [0x0a, 2], [0x2c, 2], [0x2e, 2], [0x3c, 1], [0x3d, 1]] as const) out.push(yield* m.pciConfigRead(1, 0, off, size));
  }, { connections: TWO_CONNECTIONS });
  assert.deepEqual(log, [0x1af4, 0xa111, 0x2, 1, 0x0500, 0, 0, 124, 1]);
});

test('the event BAR is zeroed with the NUL-padded name at offset 8, readable without faulting', () => {
  const { tb, log } = runArm('qemu-arm-virt', function* (m, out) {
    out.push(yield* m.read32(BASE + 4));
    out.push(Buffer.from(yield* m.read(BASE + EVENT_BAR.NAME, 50)).toString('latin1'));
    out.push(Buffer.from(yield* m.read(BASE + 0x2000 + EVENT_BAR.NAME, 8)).toString('latin1'));
  }, { connections: [{ name: 'conn_0', size: 4096, emit: false, consume: false }, { size: 4096, emit: false, consume: false }] });
  assert.equal(log[0], 0);
  assert.equal(log[1], 'conn_0' + '\0'.repeat(44));
  assert.equal(log[2], 'connector\0'.slice(0, 8), 'no name: the default');
  assert.equal(tb.vmmOps('vmexit').filter((e) => String(e.value).startsWith('0xdf000')).length, 0);
});

test('a name longer than 48 bytes is cut at 48', () => {
  const { log } = runArm('qemu-arm-virt', function* (m, out) {
    out.push(Buffer.from(yield* m.read(BASE + 8, 52)).toString('latin1'));
  }, { connections: [{ name: 'x'.repeat(60), size: 4096, emit: false, consume: false }] });
  assert.equal(log[0], 'x'.repeat(48) + '\0\0\0\0');
});

test('a write at offset 0 emits (the value is ignored); the & 0xff decode makes 0x100 emit too', () => {
  const { tb } = runArm('qemu-arm-virt', function* (m) {
    yield* m.write32(BASE, 0);
    yield* m.write(BASE + 0x100, Uint8Array.of(7));
    yield* m.idle(m.now() + 1e6);
  }, { connections: TWO_CONNECTIONS });
  assert.equal(tb.events.length, 2);
  assert.equal(tb.text('crossvm_init'), 'Got an event\nGot an event\n');
});

test('offset 4 stores the written value masked to the access width; other registers are unsupported', () => {
  const { tb, log } = runArm('qemu-arm-virt', function* (m, out) {
    yield* m.write32(BASE + 4, 0x12345678);
    out.push(yield* m.read32(BASE + 4));
    yield* m.write(BASE + 0x104, Uint8Array.of(0xab));
    out.push(yield* m.read32(BASE + 4));
    yield* m.write32(BASE + 8, 1);
    out.push(Buffer.from(yield* m.read(BASE + 8, 6)).toString('latin1'));
  }, { connections: TWO_CONNECTIONS });
  assert.deepEqual(log, [0x12345678, 0xab, 'conn_0']);
  assert.equal(tb.text('vm0:vmm'), 'handle_event_bar_fault@cross_vm_connection.c:119 Event Bar register unsupported\n');
});

test('emit on a connection without an emit function logs it, with the extra empty line', () => {
  const { tb } = runArm('qemu-arm-virt', function* (m) {
    yield* m.write32(BASE + 0x2000, 1);
  }, { connections: TWO_CONNECTIONS });
  assert.equal(tb.text('vm0:vmm'), 'handle_event_bar_fault@cross_vm_connection.c:109 Connection is not configured with an emit function\n\n');
  assert.equal(tb.events.length, 0);
});

test('consume: the register counts events and the shared IRQ reaches the guest through the vGIC', () => {
  const { tb, log } = runArm('qemu-arm-virt', function* (m, out) {
    yield* enableIrq(m, gicd('qemu-arm-virt'), 82);
    yield* m.write32(BASE, 1);
    yield* m.idle(null);
    const irq = yield* m.acknowledgeInterrupt();
    out.push(irq, yield* m.read32(BASE + 4));
    yield* m.write32(BASE + 4, 0);
    yield* m.endOfInterrupt(irq!);
    out.push(yield* m.read32(BASE + 4));
  }, { connections: TWO_CONNECTIONS });
  assert.deepEqual(log, [82, 1, 0]);
  assert.equal(tb.text('vm0:vmm'), '');
});

test('consume events that land before the guest handles the IRQ coalesce into one interrupt with a count', () => {
  const { log } = runArm('exynos5422', function* (m, out) {
    yield* enableIrq(m, gicd('exynos5422'), 124);
    for (let i = 0; i < 3; i++) yield* m.write32(0x3f000000, 1);
    yield* m.idle(m.now() + 1e6);
    out.push(yield* m.acknowledgeInterrupt(), yield* m.read32(0x3f000004), yield* m.acknowledgeInterrupt());
  }, { connections: TWO_CONNECTIONS });
  assert.deepEqual(log, [124, 3, null]);
});

test('a consume badge that matches no connection is ignored silently; an unregistered badge is "Unknown badge"', () => {
  const { tb } = runArm('qemu-arm-virt', function* (m) {
    yield* m.write32(BASE, 1);
    yield* m.idle(m.now() + 1e6);
  }, { connections: [{ size: 4096, emit: true, consume: false }] });
  assert.match(tb.text('vm0:vmm'), /^handle_async_event@main\.c:1046 Unknown badge \(8\)\n$/);
});

test('a board with no free interrupt line: consume logs "Failed to inject connection irq" and the guest gets nothing', () => {
  const { tb, log } = runArm('tk1', function* (m, out) {
    out.push(yield* m.pciConfigRead(1, 0, 0x3c, 1));
    yield* m.write32(0x3f000000, 1);
    yield* m.idle(m.now() + 1e8);
    out.push(yield* m.acknowledgeInterrupt(), yield* m.read32(0x3f000004));
  }, { connections: TWO_CONNECTIONS });
  assert.deepEqual(log, [0xff, null, 1]);
  assert.equal(tb.text('vm0:vmm'), 'consume_connection_event@cross_vm_connection.c:199 Failed to inject connection irq\n');
});

test('more than 32 connections: "Unable to register more than 32 dataports" and no devices', () => {
  const { tb, log } = runArm('qemu-arm-virt', function* (m, out) {
    out.push(yield* m.pciConfigRead(1, 0, 0, 4));
  }, { connections: Array.from({ length: 33 }, () => ({ size: 4096, emit: false, consume: false })) });
  assert.equal(tb.text('vm0:vmm'), 'cross_vm_connections_init_common@cross_vm_connection.c:267 Unable to register more than 32 dataports\n');
  assert.deepEqual(log, [0xffffffff]);
});

test('a dataport that would overlap guest RAM cannot be reserved', () => {
  const { tb } = runArm('qemu-arm-virt', function* () {}, { connections: TWO_CONNECTIONS, baseAddress: 0x40000000 });
  assert.equal(
    tb.text('vm0:vmm'),
    [
      'initialise_connections@cross_vm_connection.c:231 Failed to create event bar (id:0)',
      'cross_vm_connections_init_common@cross_vm_connection.c:273 Failed to reserve memory for dataports',
      '',
    ].join('\n'),
  );
});

test('the dataport BAR is the component\'s memory', () => {
  const { tb, log } = runArm('qemu-arm-virt', function* (m, out) {
    yield* m.write(BASE + 0x1000, new TextEncoder().encode('hello'));
    out.push(Buffer.from(yield* m.read(BASE + 0x3000, 3)).toString('latin1'));
  }, { connections: TWO_CONNECTIONS });
  const f = tb.dataports[0].frames[0];
  assert.equal(Buffer.from(Uint8Array.from({ length: 5 }, (_, i) => f.readByte(i))).toString('latin1'), 'hello');
  tb.dataports[1].frames[0].write(0, new TextEncoder().encode('abc'));
  assert.deepEqual(log, ['\0\0\0']);
});
