import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InitCaps, SPURIOUS_IRQ, ARCHES, type VCPU } from '../../../src/sel4';
import { boot } from './fixture';

test('list registers: one per injection, "full" when all hold interrupts, out of range is RangeError', () => {
  const { root, alloc } = boot('aarch64');
  const v = alloc.must('VCPU', 'vcpu vm0:0');
  const n = ARCHES.aarch64.listRegisters;
  for (let i = 0; i < n; i++) {
    const lr = root.vcpuFreeListRegister(v);
    assert.equal(lr, i);
    assert.equal(root.vcpuInjectIRQ(v, 40 + i, 0, 0, lr), 'seL4_NoError');
  }
  assert.equal(root.vcpuFreeListRegister(v), -1);
  assert.equal(root.vcpuInjectIRQ(v, 50, 0, 0, n), 'seL4_RangeError');
});

test('the guest acks and EOIs; EOI frees the register and the VMM gets a VGICMaintenance fault naming it', () => {
  const { kernel, root, alloc } = boot('aarch64');
  const v = alloc.must('VCPU', 'vcpu vm0:0');
  const ep = alloc.must('Endpoint', 'ep vm0.fault');
  const seen: string[] = [];
  kernel.spawn({ name: 'vmm', priority: 100 }, function* (sys) {
    assert.equal(sys.vcpuInjectIRQ(v, 27, 0, 0, 0), 'seL4_NoError');
    const m = yield* sys.recv(ep);
    seen.push(`vmm: ${m.fault!.type} lr=${m.mrs[0]} free=${sys.vcpuFreeListRegister(v)}`);
    sys.reply();
  });
  kernel.spawn({ name: 'vm0:vcpu0', priority: 50, vcpu: root.object<VCPU>(v)!, faultHandler: ep }, function* (sys) {
    yield* sys.waitForInterrupt();
    const irq = sys.acknowledgeInterrupt();
    seen.push(`guest: irq ${irq}`);
    assert.equal(sys.vcpuInjectIRQ(v, 28, 0, 0, 0), 'seL4_DeleteFirst');
    yield* sys.endOfInterrupt(irq);
    seen.push(`guest: after eoi, iar=${sys.acknowledgeInterrupt()}`);
  });
  assert.equal(kernel.run().reason, 'finished');
  assert.deepEqual(seen, ['guest: irq 27', 'vmm: seL4_Fault_VGICMaintenance lr=0 free=0', `guest: after eoi, iar=${SPURIOUS_IRQ}`]);
});

test('IOPortControl issues a range once; accesses outside it are seL4_IllegalOperation', () => {
  const { kernel, root, alloc } = boot('x86_64');
  const ctl = InitCaps.seL4_CapIOPortControl;
  const com1 = alloc.slot();
  let last = 0;
  kernel.machine.attachIOPorts(0x3f8, 0x3ff, { in: (p) => (p === 0x3fd ? 0x60 : 0), out: (_p, _s, v) => void (last = v) });
  assert.equal(root.ioPortControlIssue(ctl, 0x3f8, 0x3ff, 2, com1), 'seL4_NoError');
  assert.equal(root.ioPortControlIssue(ctl, 0x3fc, 0x400, 2, alloc.slot()), 'seL4_RevokeFirst');
  assert.equal(root.ioPortControlIssue(ctl, 0x500, 0x4ff, 2, alloc.slot()), 'seL4_InvalidArgument');
  assert.equal(root.ioPortControlIssue(ctl, 0x500, 0x10000, 2, alloc.slot()), 'seL4_RangeError');
  assert.deepEqual(root.ioPortIn(com1, 0x3fd, 1), { error: 'seL4_NoError', value: 0x60 });
  assert.equal(root.ioPortOut(com1, 0x3f8, 1, 0x41), 'seL4_NoError');
  assert.equal(last, 0x41);
  assert.equal(root.ioPortIn(com1, 0x3fe, 4).error, 'seL4_IllegalOperation');
  assert.equal(root.ioPortOut(com1, 0x2f8, 1, 0), 'seL4_IllegalOperation');
});

test('IOPort caps are x86 only', () => {
  const { root } = boot('aarch32');
  assert.equal(root.ioPortControlIssue(InitCaps.seL4_CapIOPortControl, 0x3f8, 0x3ff, 2, 100), 'seL4_InvalidCapability');
});
