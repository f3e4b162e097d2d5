import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AHCI, ATA, AhciController, DWMAC, DwmacEthernet, E1000, IdeController, Intel82574, RecordingOutput, attachMmio, attachPorts, machineLine } from '../../../src/platform/devices';
import { InitCaps, Kernel, type Frame } from '../../../src/sel4';

test('AHCI: a command issued with interrupts enabled raises the line until PxIS and IS are cleared', () => {
  const irq = new RecordingOutput();
  const d = new AhciController('SATA', irq);
  d.mmioWrite(AHCI.P0CI, 4, 1);
  assert.equal(irq.active, false, 'GHC.IE clear: no interrupt');
  d.mmioWrite(AHCI.P0IS, 4, AHCI.PxIS_DHRS);
  d.mmioWrite(AHCI.GHC, 4, AHCI.GHC_IE);
  d.mmioWrite(AHCI.P0IE, 4, AHCI.PxIS_DHRS);
  d.mmioWrite(AHCI.P0CI, 4, 1);
  assert.deepEqual([irq.active, irq.raised, d.mmioRead(AHCI.IS, 4), d.mmioRead(AHCI.P0IS, 4), d.mmioRead(AHCI.P0CI, 4)], [true, 1, 1, 1, 0]);
  d.mmioWrite(AHCI.IS, 4, 1);
  assert.equal(irq.active, true, 'IS re-asserts while PxIS is pending');
  d.mmioWrite(AHCI.P0IS, 4, 1);
  d.mmioWrite(AHCI.IS, 4, 1);
  assert.deepEqual([irq.active, d.completed, d.mmioRead(AHCI.VS, 4), d.mmioRead(AHCI.VS + 2, 2)], [false, 2, 0x10300, 1]);
});

test('IDE: a command raises INTRQ; reading Alternate Status keeps it, reading Status clears it; nIEN masks it', () => {
  const irq = new RecordingOutput();
  const d = new IdeController('SATA', irq);
  const [cmd, ctl, bm] = d.blocks().map((b) => b.device);
  cmd.out(0x40b0 + ATA.COMMAND, 1, ATA.IDENTIFY_DEVICE);
  assert.equal(irq.active, true);
  assert.equal(ctl.in(0x40c8 + ATA.ALT_STATUS, 1), ATA.ST_DRDY | ATA.ST_DRQ);
  assert.equal(irq.active, true);
  assert.equal(bm.in(0x4080 + ATA.BM_STATUS, 1), ATA.BM_INTERRUPT);
  assert.equal(cmd.in(0x40b0 + ATA.STATUS, 1), ATA.ST_DRDY | ATA.ST_DRQ);
  assert.equal(irq.active, false);
  bm.out(0x4080 + ATA.BM_STATUS, 1, ATA.BM_INTERRUPT);
  assert.equal(bm.in(0x4080 + ATA.BM_STATUS, 1), 0);
  ctl.out(0x40c8 + ATA.DEVICE_CONTROL, 1, ATA.CTL_NIEN);
  cmd.out(0x40b0 + ATA.COMMAND, 1, 0xe7);
  assert.deepEqual([irq.active, irq.raised, d.completed], [false, 1, 2]);
});

test('82574: ICS pokes a cause, IMS enables it, reading ICR clears it and deasserts; the I/O BAR reaches the same registers', () => {
  const irq = new RecordingOutput();
  const d = new Intel82574('Ethernet5', irq);
  d.mmioWrite(E1000.ICS, 4, E1000.ICR_LSC);
  assert.equal(irq.active, false, 'masked');
  d.mmioWrite(E1000.IMS, 4, E1000.ICR_LSC | E1000.ICR_RXT0 | E1000.ICR_TXDW);
  assert.equal(irq.active, true);
  assert.equal(d.mmioRead(E1000.ICR, 4) >>> 0, (E1000.ICR_LSC | E1000.ICR_ASSERTED) >>> 0);
  assert.equal(irq.active, false);
  d.receive();
  const io = d.ioPorts();
  io.out(0x3000, 4, E1000.ICR);
  assert.equal(io.in(0x3004, 4) >>> 0, (E1000.ICR_RXT0 | E1000.ICR_ASSERTED) >>> 0);
  io.out(0x3000, 4, E1000.TDT);
  io.out(0x3004, 4, 1);
  assert.deepEqual([irq.raised, d.sent, d.received, d.mmioRead(E1000.STATUS, 4)], [3, 1, 1, E1000.STATUS_UP]);
});

test('DWMAC: enabled causes raise one edge each; a pending cause gives no second edge until cleared', () => {
  const irq = new RecordingOutput();
  const d = new DwmacEthernet('eth', irq);
  d.mmioWrite(DWMAC.INT_ENABLE, 4, DWMAC.NIS | DWMAC.RI | DWMAC.TI);
  d.receive();
  d.mmioWrite(DWMAC.TX_POLL_DEMAND, 4, 1);
  assert.deepEqual([irq.raised, d.mmioRead(DWMAC.STATUS, 4)], [1, DWMAC.NIS | DWMAC.RI | DWMAC.TI]);
  d.mmioWrite(DWMAC.STATUS, 4, DWMAC.RI | DWMAC.TI | DWMAC.NIS);
  assert.deepEqual([irq.active, d.mmioRead(DWMAC.STATUS, 4)], [false, 0]);
  d.receive();
  assert.equal(irq.raised, 2);
});

test('on the kernel model: device frames decode to the device, and the level line signals the handler\'s notification until cleared', () => {
  const kernel = new Kernel({ arch: 'x86_64', untyped: [{ sizeBits: 20, count: 1, paddr: 0x1000000 }, { sizeBits: 12, count: 1, paddr: 0xc0713000, device: true }] });
  const alloc = kernel.allocator();
  assert.equal(kernel.untyped[1].device, true);
  const dev = alloc.slot();
  assert.equal(kernel.root.untypedRetype(kernel.untyped[1].cptr, { type: 'Frame', sizeBits: 12, offset: dev, name: 'frame abar' }), 'seL4_NoError');
  const f = kernel.root.object<Frame>(dev)!;
  const ntfn = alloc.must('Notification', 'ntfn sata');
  const h = alloc.slot();
  assert.equal(kernel.root.irqControlGet(InitCaps.seL4_CapIRQControl, 27, InitCaps.seL4_CapInitThreadCNode, h, 'level'), 'seL4_NoError');
  kernel.root.irqHandlerSetNotification(h, ntfn);
  const ahci = new AhciController('SATA', machineLine(kernel.machine, 27, 'level'));
  const detach = attachMmio(ahci, [f]);
  f.writeU(AHCI.GHC, 4, AHCI.GHC_IE);
  f.writeU(AHCI.P0IE, 4, 1);
  f.writeU(AHCI.P0CI, 4, 1);
  assert.equal(f.readU(AHCI.P0IS, 4), 1);
  const delivered = () => kernel.trace.filter((e) => e.op === 'irq' && e.object === 'irq 27' && e.result === 'delivered').length;
  assert.equal(delivered(), 1);
  kernel.root.irqHandlerAck(h);
  assert.equal(delivered(), 2, 'a level line still asserted fires again on Ack');
  f.writeU(AHCI.P0IS, 4, 1);
  f.writeU(AHCI.IS, 4, 1);
  kernel.root.irqHandlerAck(h);
  assert.equal(delivered(), 2);
  detach();
  f.writeU(0, 4, 0xabcd);
  assert.equal(f.readU(0, 4), 0xabcd, 'detached: plain memory again');
});

test('an edge line pulses once per rising request; I/O-port devices sit on the machine\'s port bus', () => {
  const kernel = new Kernel({ arch: 'x86_64' });
  const ide = new IdeController('SATA', machineLine(kernel.machine, 27, 'edge'));
  for (const b of ide.blocks()) attachPorts(kernel.machine, b.first, b.span, b.device);
  kernel.machine.ioOut(0x40b7, 1, ATA.IDENTIFY_DEVICE);
  kernel.machine.ioOut(0x40b7, 1, ATA.IDENTIFY_DEVICE);
  assert.equal(kernel.trace.filter((e) => e.op === 'irq_pulse').length, 1);
  assert.equal(kernel.machine.ioIn(0x40b7, 1), ATA.ST_DRDY | ATA.ST_DRQ);
  kernel.machine.ioOut(0x40b7, 1, ATA.IDENTIFY_DEVICE);
  assert.equal(kernel.trace.filter((e) => e.op === 'irq_pulse').length, 2);
});
