import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllRights, InitCaps, type Trigger } from '../../../src/sel4';
import { boot } from './fixture';

const IRQC = InitCaps.seL4_CapIRQControl;

function irqSetup(trigger: Trigger, line = 79) {
  const b = boot();
  const n = b.alloc.must('Notification', 'ntfn vm0.irq');
  const badged = b.alloc.slot();
  b.root.cnodeMint(2, badged, 2, n, AllRights, 0x20);
  const h = b.alloc.slot();
  assert.equal(b.root.irqControlGet(IRQC, line, 2, h, trigger), 'seL4_NoError');
  assert.equal(b.root.irqHandlerSetNotification(h, badged), 'seL4_NoError');
  return { ...b, n, h, line };
}

test('a second handler for the same line is seL4_RevokeFirst; a line beyond the controller is seL4_RangeError', () => {
  const { root, alloc, line } = irqSetup('level');
  assert.equal(root.irqControlGet(IRQC, line, 2, alloc.slot()), 'seL4_RevokeFirst');
  assert.equal(root.irqControlGet(IRQC, 5000, 2, alloc.slot()), 'seL4_RangeError');
});

test('deleting the handler cap frees the line for another Get', () => {
  const { root, alloc, h, line } = irqSetup('edge');
  assert.equal(root.cnodeDelete(2, h), 'seL4_NoError');
  assert.equal(root.irqControlGet(IRQC, line, 2, alloc.slot()), 'seL4_NoError');
});

test('an interrupt signals the bound notification with the badge of the cap given', () => {
  const { kernel, root, n, line } = irqSetup('edge');
  kernel.machine.pulseIRQ(line);
  assert.equal(root.poll(n), 0x20);
});

test('edge: an edge before Ack is masked, kept once, and delivered on Ack', () => {
  const { kernel, root, n, h, line } = irqSetup('edge');
  kernel.machine.pulseIRQ(line);
  assert.equal(root.poll(n), 0x20);
  kernel.machine.pulseIRQ(line);
  kernel.machine.pulseIRQ(line);
  assert.equal(root.poll(n), 0, 'masked until Ack');
  root.irqHandlerAck(h);
  assert.equal(root.poll(n), 0x20, 'the latched edge fires on Ack');
  root.irqHandlerAck(h);
  assert.equal(root.poll(n), 0, 'the two edges coalesced into one');
});

test('level: the line re-fires after Ack while the source stays asserted, and not once it deasserts', () => {
  const { kernel, root, n, h, line } = irqSetup('level');
  kernel.machine.assertIRQ(line);
  assert.equal(root.poll(n), 0x20);
  root.irqHandlerAck(h);
  assert.equal(root.poll(n), 0x20);
  kernel.machine.deassertIRQ(line);
  root.irqHandlerAck(h);
  assert.equal(root.poll(n), 0);
});

test('an interrupt with no notification bound is reported undelivered and masked', () => {
  const { kernel, root, alloc } = boot();
  const h = alloc.slot();
  root.irqControlGet(IRQC, 33, 2, h, 'edge');
  kernel.machine.pulseIRQ(33);
  assert.deepEqual(kernel.log, ['Undelivered IRQ: 33']);
});

test('a driver thread waits, handles and acks in virtual time', () => {
  const { kernel, root, n, h, line } = irqSetup('edge');
  const handled: number[] = [];
  kernel.spawn({ name: 'driver', priority: 200 }, function* (sys) {
    for (let i = 0; i < 3; i++) {
      yield* sys.wait(n);
      handled.push(sys.now);
      sys.irqHandlerAck(h);
    }
  });
  for (const t of [1000, 2000, 3000]) kernel.at(t, () => kernel.machine.pulseIRQ(line), 'timer device');
  assert.equal(kernel.run().reason, 'finished');
  assert.deepEqual(handled, [1000, 2000, 3000]);
  void root;
});
