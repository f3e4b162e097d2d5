import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CDNS_UART, CadenceUart, PL011, Pl011Uart, RecordingOutput } from '../../../src/platform/devices';

test('PL011: a received character raises RXRIS; the output follows RIS & IMSC; ICR clears it', () => {
  const out = new RecordingOutput();
  const u = new Pl011Uart('pl011', out);
  u.receive(0x41);
  assert.equal(u.mmioRead(PL011.RIS, 4), 0, 'UARTEN is clear after reset: nothing is received');
  u.mmioWrite(PL011.CR, 4, PL011.CR_UARTEN | PL011.CR_TXE | PL011.CR_RXE);
  u.receive(0x41);
  assert.equal(out.active, false, 'RXIM masked');
  u.mmioWrite(PL011.IMSC, 4, PL011.RX);
  assert.equal(out.active, true);
  assert.equal(u.mmioRead(PL011.MIS, 4), PL011.RX);
  u.mmioWrite(PL011.ICR, 4, PL011.RX);
  assert.equal(out.active, false);
  assert.equal(out.raised, 1);
});

test('PL011: reading DR until the FIFO is empty drops the RX request; FR.RXFE says so', () => {
  const out = new RecordingOutput();
  const u = new Pl011Uart('pl011', out);
  u.mmioWrite(PL011.CR, 4, PL011.CR_UARTEN | PL011.CR_RXE);
  u.mmioWrite(PL011.IMSC, 4, PL011.RX);
  u.receive(0x61);
  u.receive(0x62);
  assert.equal(u.mmioRead(PL011.DR, 4), 0x61);
  assert.equal(out.active, true, 'one character left');
  assert.equal(u.mmioRead(PL011.DR, 4), 0x62);
  assert.equal(out.active, false);
  assert.equal(u.mmioRead(PL011.FR, 4) & PL011.FR_RXFE, PL011.FR_RXFE);
});

test('PL011: the PrimeCell identification registers read as the AMBA bus expects', () => {
  const u = new Pl011Uart('pl011', new RecordingOutput());
  assert.deepEqual([0xff0, 0xff4, 0xff8, 0xffc].map((o) => u.mmioRead(o, 4)), [0x0d, 0xf0, 0x05, 0xb1]);
  assert.equal(u.mmioRead(0xfe0, 4), 0x11);
});

test('Cadence UART: RXTRIG latches at the RXWM level, reaches the line through IER, and ISR is write-one-to-clear', () => {
  const out = new RecordingOutput();
  const u = new CadenceUart('uart0', out);
  u.receive(1);
  assert.equal(u.mmioRead(CDNS_UART.ISR, 4), 0, 'the receiver is disabled at reset');
  u.mmioWrite(CDNS_UART.CR, 4, CDNS_UART.CR_RXEN);
  u.mmioWrite(CDNS_UART.IER, 4, CDNS_UART.IXR_RXTRIG);
  u.receive(1);
  assert.equal(out.active, false, 'RXWM is 0x20 after reset: one character is below it');
  u.mmioWrite(CDNS_UART.RXWM, 4, 1);
  u.receive(2);
  assert.equal(out.active, true);
  u.mmioWrite(CDNS_UART.ISR, 4, CDNS_UART.IXR_RXTRIG);
  assert.equal(out.active, false);
  assert.equal(u.mmioRead(CDNS_UART.FIFO, 4), 1);
  assert.equal(u.mmioRead(CDNS_UART.SR, 4) & CDNS_UART.SR_RXEMPTY, 0);
});

test('Cadence UART: the output is always ISR & IMR, whatever IER/IDR writes and receives happen', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.record({ op: fc.constantFrom('ier', 'idr', 'isr'), v: fc.integer({ min: 0, max: 0x3fff }) }), fc.record({ op: fc.constant('rx'), v: fc.integer({ min: 0, max: 255 }) })), { maxLength: 40 }), (ops) => {
      const out = new RecordingOutput();
      const u = new CadenceUart('u', out);
      u.mmioWrite(CDNS_UART.CR, 4, CDNS_UART.CR_RXEN);
      u.mmioWrite(CDNS_UART.RXWM, 4, 1);
      for (const o of ops) {
        if (o.op === 'rx') u.receive(o.v);
        else u.mmioWrite(o.op === 'ier' ? CDNS_UART.IER : o.op === 'idr' ? CDNS_UART.IDR : CDNS_UART.ISR, 4, o.v);
        if (out.active !== ((u.mmioRead(CDNS_UART.ISR, 4) & u.mmioRead(CDNS_UART.IMR, 4)) !== 0)) return false;
      }
      return true;
    }),
  );
});
