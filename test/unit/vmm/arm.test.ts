import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlatform } from '../../../src/platform';
import { GICD_IIDR_VALUE, GICD_TYPER_VALUE } from '../../../src/vmm/arm';
import { enableIrq, runArm } from './arm-fixture';

const QEMU = loadPlatform('qemu-arm-virt');
const GICD = QEMU.gic!.distributor;

test('guest RAM is backed on its first stage-2 fault and the access restarts', () => {
  const { tb, log, finished } = runArm('qemu-arm-virt', function* (m, out) {
    yield* m.write32(0x40001000, 0xcafe);
    out.push(yield* m.read32(0x40001000));
    yield* m.write32(0x40001004, 1);
  });
  assert.ok(finished);
  assert.deepEqual(log, [0xcafe]);
  const backed = tb.vmmOps('guest_ram_backed');
  assert.equal(backed.length, 1, 'one page, backed once');
  assert.equal(tb.kernel.trace.all().filter((e) => e.op === 'fault' && String(e.value).includes('0x40001000')).length, 1);
});

test('a data abort on the distributor is decoded (address, size, value) and emulated; the reply resumes the vCPU', () => {
  const { tb, log } = runArm('qemu-arm-virt', function* (m, out) {
    out.push(yield* m.read32(GICD + 4));
    out.push((yield* m.read(GICD + 8, 1))[0]);
    yield* m.write(GICD, Uint8Array.of(1));
    out.push(yield* m.read32(GICD));
  });
  assert.deepEqual(log, [GICD_TYPER_VALUE, GICD_IIDR_VALUE & 0xff, 1]);
  const exits = tb.vmmOps('vmexit').map((e) => `${e.value} ${e.result}`);
  assert.deepEqual(exits, ['0x8000004 read 4', '0x8000008 read 1', '0x8000000 write 1', '0x8000000 read 4']);
});

test('an abort on nothing the VMM emulates stops the VM: the vCPU is never resumed', () => {
  const { tb, finished } = runArm('qemu-arm-virt', function* (m) {
    yield* m.write32(0x20000000, 5);
  });
  assert.equal(finished, false);
  assert.equal(tb.vmm.vm.state.kind, 'dead');
  assert.equal(tb.text('vm0:vmm'), 'VM_FATAL_ERROR ::: unhandled stage-2 fault: write of unmapped guest-physical address 0x20000000\n');
});

test('handle_async_event: every handler whose badge bits are all present runs once; no match logs the badge in decimal', () => {
  const ran: string[] = [];
  const { tb } = runArm('qemu-arm-virt', function* (m) {
    yield* m.idle(m.now() + 1e6);
  });
  tb.vmm.registerAsyncEventHandler(0x1, () => void ran.push('a'));
  tb.vmm.registerAsyncEventHandler(0x2, () => void ran.push('b'));
  tb.vmm.registerAsyncEventHandler(0x6, () => void ran.push('c'));
  tb.signalVmm(0x3);
  tb.kernel.run({ until: tb.kernel.now + 1e6 });
  assert.deepEqual(ran, ['a', 'b']);
  tb.signalVmm(0x40);
  tb.kernel.run({ until: tb.kernel.now + 1e6 });
  assert.equal(tb.text('vm0:vmm'), 'handle_async_event@main.c:1046 Unknown badge (64)\n');
});

test('WFI returns at the guest timer deadline when nothing is pending', () => {
  const { log } = runArm('exynos5422', function* (m, out) {
    const t0 = m.now();
    yield* m.idle(t0 + 2_000_000);
    out.push(m.now() - t0, yield* m.acknowledgeInterrupt());
  });
  assert.deepEqual(log, [2_000_000, null]);
});

test('the passthrough console IRQ: typed input raises it, its ack at EOI acknowledges the seL4 IRQ handler', () => {
  const { tb, log } = runArm('qemu-arm-virt', function* (m, out) {
    yield* enableIrq(m, GICD, m.consoleIrq);
    yield* m.idle(null);
    const irq = yield* m.acknowledgeInterrupt();
    out.push(irq, new TextDecoder().decode(yield* m.consoleRead(16)));
    yield* m.endOfInterrupt(irq!);
    yield* m.consoleWrite(new TextEncoder().encode('ok\n'));
  }, {}, 5e9);
  void log;
  // Nothing typed yet: the guest idles. Type, then run on.
  tb.vmm.vm.console.input('ls\n');
  tb.kernel.run({ until: tb.kernel.now + 1e9 });
  assert.deepEqual(log, [33, 'ls\n']);
  assert.equal(tb.text('vm0'), 'ok\n');
  const acks = tb.kernel.trace.all().filter((e) => e.op === 'seL4_IRQHandler_Ack');
  assert.ok(acks.length >= 2, 'acked when the guest enabled the line and again at its EOI');
});

test('same inputs give the same trace byte for byte', () => {
  const run = () => runArm('qemu-arm-virt', function* (m) {
    yield* enableIrq(m, GICD, 82);
    yield* m.write32(0xdf000000, 1);
    yield* m.idle(null);
    const irq = yield* m.acknowledgeInterrupt();
    yield* m.endOfInterrupt(irq!);
  }, { connections: [{ name: 'conn_0', size: 4096, emit: true, consume: true }] }).tb.kernel.trace.serialise();
  assert.equal(run(), run());
});
