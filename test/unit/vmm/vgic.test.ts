import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GICD, GICD_IIDR_VALUE, GICD_TYPER_VALUE, MAX_IRQ_QUEUE_LEN, NUM_SLOTS_SPI_VIRQ, Vgic } from '../../../src/vmm/arm/vgic';

class Fatal extends Error {}

/** A vGIC whose list registers are a recording fake of seL4_ARM_VCPU_InjectIRQ. */
function setup(numVcpus = 1, lrs = 4) {
  const injected: { vcpu: number; virq: number; idx: number }[][] = Array.from({ length: numVcpus }, () => []);
  const records: string[] = [];
  const vgic = new Vgic(numVcpus, lrs, {
    record: (op, _o, value, result) => void records.push(`${op} ${value} ${result}`),
    fatal: (func, message) => {
      throw new Fatal(`${func}: ${message}`);
    },
  });
  for (let v = 0; v < numVcpus; v++)
    vgic.attachVcpu(v, {
      injectIRQ: (virq, _p, _g, idx) => {
        injected[v].push({ vcpu: v, virq, idx });
        return 'seL4_NoError';
      },
    });
  const enable = (vcpu: number, irq: number) => vgic.write(vcpu, GICD.ISENABLER + 4 * Math.floor(irq / 32), 4, 1 << irq % 32);
  vgic.write(0, GICD.CTLR, 4, 1);
  return { vgic, injected, records, enable };
}

test('distributor identification registers read the libsel4vm values', () => {
  const { vgic } = setup();
  assert.equal(vgic.read(0, GICD.TYPER, 4), GICD_TYPER_VALUE);
  assert.equal(vgic.read(0, GICD.IIDR, 4), GICD_IIDR_VALUE);
  assert.equal(vgic.read(0, GICD.CTLR, 4), 1);
  vgic.write(0, GICD.CTLR, 4, 0);
  assert.equal(vgic.read(0, GICD.CTLR, 4), 0);
});

test('ISENABLER/ICENABLER set and clear enable bits; SGI enables are fixed', () => {
  const { vgic } = setup();
  assert.equal(vgic.read(0, GICD.ISENABLER, 4), 0x0000ffff);
  vgic.write(0, GICD.ISENABLER + 8, 4, 0x00040004);
  assert.equal(vgic.read(0, GICD.ISENABLER + 8, 4), 0x00040004);
  assert.equal(vgic.read(0, GICD.ICENABLER + 8, 4), 0x00040004);
  vgic.write(0, GICD.ICENABLER + 8, 4, 0x4);
  assert.equal(vgic.read(0, GICD.ISENABLER + 8, 4), 0x00040000);
  vgic.write(0, GICD.ICENABLER, 4, 0xffffffff);
  assert.equal(vgic.read(0, GICD.ISENABLER, 4), 0x0000ffff);
});

test('IPRIORITYR and ITARGETSR are byte registers; SGI/PPI targets are read-only', () => {
  const { vgic } = setup();
  vgic.write(0, GICD.IPRIORITYR + 82, 1, 0xa0);
  assert.equal(vgic.read(0, GICD.IPRIORITYR + 80, 4), 0x00a00000);
  assert.equal(vgic.read(0, GICD.ITARGETSR, 4), 0x01010101);
  vgic.write(0, GICD.ITARGETSR, 4, 0x02020202);
  assert.equal(vgic.read(0, GICD.ITARGETSR, 4), 0x01010101);
  vgic.write(0, GICD.ITARGETSR + 80, 4, 0x02020202);
  assert.equal(vgic.read(0, GICD.ITARGETSR + 82, 1), 0x02);
});

test('ICFGR: SGIs are edge and read-only, SPIs switch between level and edge', () => {
  const { vgic } = setup();
  assert.equal(vgic.read(0, GICD.ICFGR, 4), 0xaaaaaaaa);
  vgic.write(0, GICD.ICFGR, 4, 0);
  assert.equal(vgic.read(0, GICD.ICFGR, 4), 0xaaaaaaaa);
  assert.equal(vgic.dist.isEdge(82, 0), false);
  vgic.write(0, GICD.ICFGR + 4 * Math.floor(82 / 16), 4, 2 << (2 * (82 % 16)));
  assert.equal(vgic.dist.isEdge(82, 0), true);
});

test('an IRQ is refused without a handle, when disabled, or with the distributor off', () => {
  const { vgic, enable } = setup();
  assert.equal(vgic.injectIrq(0, 82), -1);
  vgic.registerIrq(0, 82, () => undefined);
  assert.equal(vgic.injectIrq(0, 82), -1);
  enable(0, 82);
  vgic.write(0, GICD.CTLR, 4, 0);
  assert.equal(vgic.injectIrq(0, 82), -1);
  vgic.write(0, GICD.CTLR, 4, 1);
  assert.equal(vgic.injectIrq(0, 82), 0);
});

test('list registers fill in order, then the overflow queue; maintenance refills the freed register', () => {
  const { vgic, injected, enable } = setup();
  const acks: number[] = [];
  for (let irq = 40; irq < 46; irq++) {
    vgic.registerIrq(0, irq, () => void acks.push(irq));
    enable(0, irq);
  }
  acks.length = 0;
  for (let irq = 40; irq < 46; irq++) assert.equal(vgic.injectIrq(0, irq), 0);
  assert.deepEqual(injected[0].map((i) => [i.virq, i.idx]), [[40, 0], [41, 1], [42, 2], [43, 3]]);
  assert.deepEqual(vgic.queued(0), [44, 45]);
  vgic.handleMaintenance(0, 2);
  assert.deepEqual(acks, [42]);
  assert.deepEqual(injected[0].at(-1), { vcpu: 0, virq: 44, idx: 2 });
  assert.deepEqual(vgic.queued(0), [45]);
  assert.deepEqual(vgic.listRegisterShadow(0), [40, 41, 44, 43]);
});

test('an IRQ already pending coalesces until its EOI', () => {
  const { vgic, injected, enable } = setup();
  vgic.registerIrq(0, 82, () => undefined);
  enable(0, 82);
  vgic.injectIrq(0, 82);
  vgic.injectIrq(0, 82);
  assert.equal(injected[0].length, 1);
  vgic.handleMaintenance(0, 0);
  vgic.injectIrq(0, 82);
  assert.equal(injected[0].length, 2);
});

test('the overflow queue holds 64; one more is fatal (ZF_LOGF)', () => {
  const { vgic, enable } = setup();
  const n = 4 + MAX_IRQ_QUEUE_LEN;
  for (let i = 0; i < n + 1; i++) {
    vgic.registerIrq(0, 32 + i, () => undefined);
    enable(0, 32 + i);
  }
  for (let i = 0; i < n; i++) assert.equal(vgic.injectIrq(0, 32 + i), 0);
  assert.equal(vgic.queued(0).length, MAX_IRQ_QUEUE_LEN);
  assert.throws(() => vgic.injectIrq(0, 32 + n), /Failure enqueueing IRQ, increase MAX_IRQ_QUEUE_LEN/);
});

test('the SPI table has 200 slots', () => {
  const { vgic } = setup();
  for (let i = 0; i < NUM_SLOTS_SPI_VIRQ; i++) assert.equal(vgic.registerIrq(0, 32 + (i % 200), () => undefined), 0);
  assert.equal(vgic.registerIrq(0, 40, () => undefined), -1);
  assert.equal(vgic.registerIrq(0, 20, () => undefined), 0, 'PPIs are per vCPU, not in the SPI table');
});

test('PPIs are banked per vCPU', () => {
  const { vgic, injected, enable } = setup(2);
  for (const v of [0, 1]) vgic.registerIrq(v, 27, () => undefined);
  enable(0, 27);
  assert.equal(vgic.read(0, GICD.ISENABLER, 4) >>> 27 & 1, 1);
  assert.equal(vgic.read(1, GICD.ISENABLER, 4) >>> 27 & 1, 0);
  assert.equal(vgic.injectIrq(1, 27), -1);
  assert.equal(vgic.injectIrq(0, 27), 0);
  assert.equal(injected[0].length, 1);
  assert.equal(injected[1].length, 0);
});

test('SGIR target list filter: list, all but self, self', () => {
  const { vgic, injected } = setup(3);
  vgic.write(0, GICD.SGIR, 4, (0 << 24) | (0b110 << 16) | 5);
  assert.deepEqual(injected.map((l) => l.map((i) => i.virq)), [[], [5], [5]]);
  vgic.write(1, GICD.SGIR, 4, (1 << 24) | 3);
  assert.deepEqual(injected.map((l) => l.map((i) => i.virq)), [[3], [5], [5, 3]]);
  vgic.write(2, GICD.SGIR, 4, (2 << 24) | 7);
  assert.deepEqual(injected.map((l) => l.map((i) => i.virq)), [[3], [5], [5, 3, 7]]);
});

test('a level line still asserted fires again when its ack runs at EOI', () => {
  const { vgic, injected, enable } = setup();
  let level = false;
  vgic.registerIrq(0, 33, () => {
    if (level) vgic.injectIrq(0, 33);
  });
  enable(0, 33);
  level = true;
  vgic.write(0, GICD.ISPENDR + 4, 4, 1 << 1);
  assert.equal(injected[0].length, 1);
  vgic.handleMaintenance(0, 0);
  assert.equal(injected[0].length, 2, 'still asserted: injected again');
  level = false;
  vgic.handleMaintenance(0, 0);
  assert.equal(injected[0].length, 2, 'deasserted: not again');
});

test('enabling a registered line that is not pending runs its ack (re-arms a passthrough IRQ)', () => {
  const { vgic, enable } = setup();
  let acks = 0;
  vgic.registerIrq(0, 85, () => void acks++);
  enable(0, 85);
  assert.equal(acks, 1);
});

test('property: at most one list register or queue entry per pending IRQ, and every injected IRQ is delivered once per EOI', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer({ min: 32, max: 47 }).map((irq) => ({ irq })), fc.integer({ min: 0, max: 3 }).map((eoi) => ({ eoi }))), { maxLength: 80 }), (ops) => {
      const { vgic, enable } = setup();
      for (let irq = 32; irq < 48; irq++) {
        vgic.registerIrq(0, irq, () => undefined);
        enable(0, irq);
      }
      for (const op of ops) {
        if ('irq' in op) vgic.injectIrq(0, op.irq);
        else if (vgic.listRegisterShadow(0)[op.eoi] !== null) vgic.handleMaintenance(0, op.eoi);
        const held = [...vgic.listRegisterShadow(0).filter((x): x is number => x !== null), ...vgic.queued(0)];
        assert.equal(new Set(held).size, held.length);
        for (const irq of held) assert.ok(vgic.dist.get('pending', irq, 0));
        if (vgic.queued(0).length) assert.ok(vgic.listRegisterShadow(0).every((x) => x !== null));
      }
    }),
  );
});
