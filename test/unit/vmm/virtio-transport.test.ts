import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PciBus } from '../../../src/vmm/pci';
import {
  createVirtioConsole, createVirtioNet, FlatMemory, le, VIRTIO_CONFIG_S_ACKNOWLEDGE, VIRTIO_CONFIG_S_DRIVER, VIRTIO_CONFIG_S_DRIVER_OK,
  VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS, VIRTIO_PCI, VIRTIO_PLACEMENT, VirtioIoSpace, vringLayout,
} from '../../../src/vmm/virtio';

function netDevice() {
  const mem = new FlatMemory(0, 1 << 20);
  const irqs: string[] = [];
  const logs: string[] = [];
  const d = createVirtioNet({ mac: '02:00:00:00:AA:01', memory: mem, irqLine: 124, interrupt: () => irqs.push('raise'), deassert: () => irqs.push('lower'), log: (t) => logs.push(t) });
  return { mem, irqs, logs, ...d };
}

test('the PCI function: virtio ids, class, I/O BAR0 at the chosen port, INTA on the board line', () => {
  const { transport } = netDevice();
  const bus = new PciBus();
  const dev = bus.add(transport.def);
  assert.equal(dev, 1);
  assert.equal(bus.configRead(0, dev, 0, 0, 4), 0x1000_1af4);
  assert.equal(bus.configRead(0, dev, 0, 0x2c, 4), 0x0001_1af4);
  assert.equal(bus.configRead(0, dev, 0, 0x08, 4) >>> 8, 0x020000);
  assert.equal(bus.configRead(0, dev, 0, 0x10, 4), VIRTIO_PLACEMENT.ioPort.net | 1);
  bus.configWrite(0, dev, 0, 0x10, 4, 0xffffffff);
  assert.equal(bus.configRead(0, dev, 0, 0x10, 4), ((-VIRTIO_PLACEMENT.ioSize & ~3) | 1) >>> 0);
  bus.configWrite(0, dev, 0, 0x10, 4, VIRTIO_PLACEMENT.ioPort.net);
  assert.equal(bus.configRead(0, dev, 0, 0x3c, 1), 124);
  assert.equal(bus.configRead(0, dev, 0, 0x3d, 1), 1);
});

test('negotiation: the driver can only accept offered features; reset forgets everything', () => {
  const { transport: t } = netDevice();
  const P = VIRTIO_PCI;
  assert.equal(t.ioRead(P.HOST_FEATURES, 4), ((1 << VIRTIO_NET_F_MAC) | (1 << VIRTIO_NET_F_STATUS)) >>> 0);
  t.ioWrite(P.STATUS, 1, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
  t.ioWrite(P.GUEST_FEATURES, 4, 0xffffffff);
  assert.equal(t.ioRead(P.GUEST_FEATURES, 4), ((1 << VIRTIO_NET_F_MAC) | (1 << VIRTIO_NET_F_STATUS)) >>> 0);
  // MAC bytes then the link status in the device configuration.
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => t.ioRead(P.CONFIG + i, 1)), [2, 0, 0, 0, 0xaa, 1]);
  assert.equal(t.ioRead(P.CONFIG + 6, 2), 1);
  t.ioWrite(P.QUEUE_SEL, 2, 0);
  assert.equal(t.ioRead(P.QUEUE_NUM, 2), VIRTIO_PLACEMENT.queueSize);
  t.ioWrite(P.QUEUE_PFN, 4, 0x10);
  assert.equal(t.ioRead(P.QUEUE_PFN, 4), 0x10);
  assert.ok(t.queue(0));
  t.ioWrite(P.QUEUE_SEL, 2, 2);
  assert.equal(t.ioRead(P.QUEUE_NUM, 2), 0, 'virtio-net has two queues');
  t.ioWrite(P.STATUS, 1, 0);
  assert.equal(t.ioRead(P.STATUS, 1), 0);
  assert.equal(t.ioRead(P.GUEST_FEATURES, 4), 0);
  assert.equal(t.queue(0), null);
});

test('notify → process → used ring → one interrupt until the ISR is read', () => {
  const { transport: t, mem, irqs, net } = netDevice();
  const P = VIRTIO_PCI;
  const sent: Uint8Array[] = [];
  net.connect({ transmit: (f) => sent.push(f) });
  // Transmit queue at 0x20000: one 10-byte header + 4-byte frame in one descriptor.
  const l = vringLayout(0x20000, VIRTIO_PLACEMENT.queueSize);
  mem.write(0x30000, Uint8Array.of(...new Array(10).fill(0), 1, 2, 3, 4));
  const d = new Uint8Array(16);
  d.set(le(8, 0x30000), 0);
  d.set(le(4, 14), 8);
  mem.write(l.desc, d);
  mem.write(l.avail + 4, le(2, 0));
  mem.write(l.avail + 2, le(2, 1));
  t.ioWrite(P.QUEUE_NOTIFY, 2, 1);
  assert.equal(sent.length, 0, 'a queue without an address is not processed');
  t.ioWrite(P.QUEUE_SEL, 2, 1);
  t.ioWrite(P.QUEUE_PFN, 4, 0x20000 >> 12);
  t.ioWrite(P.STATUS, 1, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_DRIVER_OK);
  assert.deepEqual(sent, [Uint8Array.of(1, 2, 3, 4)]);
  assert.deepEqual(mem.read(l.used + 2, 2), le(2, 1));
  assert.deepEqual(irqs, ['raise']);
  assert.equal(t.ioRead(P.ISR, 1), 1);
  assert.deepEqual(irqs, ['raise', 'lower']);
  assert.equal(t.ioRead(P.ISR, 1), 0);
  // A receive with no buffer posted is dropped and counted.
  assert.equal(net.receive(Uint8Array.of(9)), false);
  assert.equal(net.counters.rxDropped, 1);
});

test('a malformed chain is reported once through the VMM log and the queue stops', () => {
  const { transport: t, mem, logs } = netDevice();
  const P = VIRTIO_PCI;
  const l = vringLayout(0x20000, VIRTIO_PLACEMENT.queueSize);
  mem.write(l.avail + 4, le(2, 500));
  mem.write(l.avail + 2, le(2, 1));
  t.ioWrite(P.QUEUE_SEL, 2, 1);
  t.ioWrite(P.QUEUE_PFN, 4, 0x20000 >> 12);
  t.ioWrite(P.STATUS, 1, VIRTIO_CONFIG_S_DRIVER_OK);
  t.ioWrite(P.QUEUE_NOTIFY, 2, 1);
  assert.deepEqual(logs, ['virtio-net: queue 1: available ring entry 500 is not a descriptor (queue size 128); queue stopped\n']);
});

test('I/O space: overlapping devices are refused, unclaimed ports read all ones', () => {
  const mem = new FlatMemory(0, 4096);
  const io = new VirtioIoSpace();
  const mk = (ioPort?: number) => createVirtioConsole({ memory: mem, irqLine: 9, interrupt: () => {}, output: () => {}, ioPort }).transport;
  io.add(mk());
  assert.throws(() => io.add(mk(VIRTIO_PLACEMENT.ioPort.console + 0x10)), /overlap another virtio device/);
  assert.equal(io.read(0x5000, 2), 0xffff);
  assert.equal(io.read(VIRTIO_PLACEMENT.ioPort.console + VIRTIO_PCI.HOST_FEATURES, 4), 0);
});
