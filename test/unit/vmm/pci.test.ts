import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PCI_CLASS_MEMORY_RAM, PCI_COMMAND_MEMORY, PciBus, PciConfigPorts, camOffset, type PciDeviceDef } from '../../../src/vmm/pci';

function def(over: Partial<PciDeviceDef> = {}): PciDeviceDef {
  return {
    name: 'test', vendorId: 0x1af4, deviceId: 0xa111, command: PCI_COMMAND_MEMORY, status: 0, revisionId: 1,
    classCode: PCI_CLASS_MEMORY_RAM, progIf: 0, headerType: 0, subsystemVendorId: 0, subsystemId: 0,
    interruptLine: 82, interruptPin: 1,
    bars: [{ address: 0xdf000000, size: 0x1000, space: 'memory', prefetchable: true }, { address: 0xdf001000, size: 0x1000, space: 'memory', prefetchable: true }],
    ...over,
  };
}

test('bus 0 has the host bridge at device 0; devices take the next numbers', () => {
  const bus = new PciBus();
  assert.equal(bus.configRead(0, 0, 0, 0x0a, 2), 0x0600, 'host bridge class');
  assert.equal(bus.add(def()), 1);
  assert.equal(bus.add(def()), 2);
  assert.equal(new PciBus({ hostBridge: false }).add(def()), 0);
});

test('configuration header fields at their PCI offsets', () => {
  const bus = new PciBus();
  const dev = bus.add(def());
  const r = (off: number, size: 1 | 2 | 4) => bus.configRead(0, dev, 0, off, size);
  assert.equal(r(0x00, 2), 0x1af4);
  assert.equal(r(0x02, 2), 0xa111);
  assert.equal(r(0x00, 4), 0xa1111af4);
  assert.equal(r(0x04, 2), PCI_COMMAND_MEMORY);
  assert.equal(r(0x08, 1), 1);
  assert.equal(r(0x08, 4), 0x05000001);
  assert.equal(r(0x0e, 1), 0);
  assert.equal(r(0x2c, 4), 0);
  assert.equal(r(0x3c, 1), 82);
  assert.equal(r(0x3d, 1), 1);
  assert.equal(r(0x10, 4), 0xdf000008, 'prefetchable memory BAR');
  assert.equal(r(0x18, 4), 0, 'unused BAR');
});

test('absent devices, other functions and other buses read all ones', () => {
  const bus = new PciBus();
  assert.equal(bus.configRead(0, 5, 0, 0, 4), 0xffffffff);
  assert.equal(bus.configRead(0, 0, 1, 0, 2), 0xffff);
  assert.equal(bus.configRead(1, 0, 0, 0, 1), 0xff);
});

test('BAR sizing: all ones reads the size mask, any other write keeps the VMM address', () => {
  const bus = new PciBus();
  const dev = bus.add(def());
  bus.configWrite(0, dev, 0, 0x10, 4, 0xffffffff);
  assert.equal(bus.configRead(0, dev, 0, 0x10, 4), 0xfffff008);
  bus.configWrite(0, dev, 0, 0x10, 4, 0x12340000);
  assert.equal(bus.configRead(0, dev, 0, 0x10, 4), 0xdf000008);
  bus.configWrite(0, dev, 0, 0x18, 4, 0xffffffff);
  assert.equal(bus.configRead(0, dev, 0, 0x18, 4), 0, 'an unimplemented BAR stays 0');
  bus.configWrite(0, dev, 0, 0x04, 2, 0);
  assert.equal(bus.configRead(0, dev, 0, 0x04, 2), PCI_COMMAND_MEMORY, 'header registers are read-only');
});

test('property: probing any power-of-two BAR gives back its size', () => {
  fc.assert(
    fc.property(fc.integer({ min: 4, max: 31 }), fc.boolean(), (bits, prefetch) => {
      const bus = new PciBus();
      const size = 2 ** bits;
      const dev = bus.add(def({ bars: [{ address: 0, size, space: 'memory', prefetchable: prefetch }] }));
      bus.configWrite(0, dev, 0, 0x10, 4, 0xffffffff);
      const v = bus.configRead(0, dev, 0, 0x10, 4);
      assert.equal(((~(v & ~0xf) >>> 0) + 1) >>> 0 || 2 ** 32, size);
      assert.equal((v & 0x8) !== 0, prefetch);
    }),
  );
});

test('x86 configuration mechanism #1 through 0xcf8 / 0xcfc', () => {
  const bus = new PciBus();
  const dev = bus.add(def());
  const ports = new PciConfigPorts(bus);
  assert.ok(ports.handles(0xcf8) && ports.handles(0xcff) && !ports.handles(0xd00));
  ports.ioOut(0xcf8, 4, 0x80000000 | (dev << 11));
  assert.equal(ports.ioIn(0xcf8, 4), (0x80000000 | (dev << 11)) >>> 0);
  assert.equal(ports.ioIn(0xcfc, 4), 0xa1111af4);
  assert.equal(ports.ioIn(0xcfe, 2), 0xa111);
  ports.ioOut(0xcf8, 4, 0x80000000 | (dev << 11) | 0x3c);
  assert.equal(ports.ioIn(0xcfd, 1), 1, 'interrupt pin');
  ports.ioOut(0xcf8, 4, dev << 11);
  assert.equal(ports.ioIn(0xcfc, 4), 0xffffffff, 'enable bit clear');
});

test('the Arm CFG window decodes CAM offsets', () => {
  assert.deepEqual(camOffset((2 << 11) | 0x3c), { bus: 0, dev: 2, fn: 0, reg: 0x3c });
  assert.deepEqual(camOffset((1 << 16) | (31 << 11) | (7 << 8) | 0xff), { bus: 1, dev: 31, fn: 7, reg: 0xff });
});

test('the bus serves the x86 VMM\'s PciConfigSpace view (null for an absent function)', () => {
  const bus = new PciBus();
  const dev = bus.add(def());
  assert.equal(bus.read(0, dev, 0, 0, 2), 0x1af4);
  assert.equal(bus.read(0, 9, 0, 0, 2), null);
});
