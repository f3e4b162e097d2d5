import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BOARD_DEVICE_LAYOUTS, RecordingOutput, StatusIrqDevice, layoutFor } from '../../../src/platform/devices';

test('layoutFor finds a layout by any of the node compatibles', () => {
  assert.equal(layoutFor(['foo', 'nvidia,tegra124-sdhci'])?.status, 0x30);
  assert.equal(layoutFor(['foo']), undefined);
});

test('StatusIrqDevice: the output follows cause & enable, writing the cause clears it', () => {
  for (const l of BOARD_DEVICE_LAYOUTS) {
    const out = new RecordingOutput();
    const d = new StatusIrqDevice('d', l, out);
    d.raise();
    assert.equal(out.active, false, `${l.compatible}: not enabled yet`);
    d.mmioWrite(l.enable, 4, l.enableBit);
    assert.equal(out.active, true, `${l.compatible}: enabled`);
    assert.equal((d.mmioRead(l.status, 4) & l.cause) >>> 0, l.cause >>> 0);
    d.mmioWrite(l.status, 4, l.cause);
    assert.equal(out.active, false, `${l.compatible}: cleared`);
    assert.equal(out.raised, 1);
  }
});

test('StatusIrqDevice: writing status bits other than the cause never drops a pending request', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: BOARD_DEVICE_LAYOUTS.length - 1 }), fc.integer({ min: 0, max: 0xffffffff }), (i, v) => {
      const l = BOARD_DEVICE_LAYOUTS[i];
      const out = new RecordingOutput();
      const d = new StatusIrqDevice('d', l, out);
      d.mmioWrite(l.enable, 4, l.enableBit);
      d.raise();
      d.mmioWrite(l.status, 4, (v & ~l.cause) >>> 0);
      return out.active;
    }),
  );
});
