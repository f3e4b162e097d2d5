import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listBoards, loadPlatform } from '../../../src/platform';
import { constructArmVmm } from '../../../src/system/arm-vmm-build';
import { gicv2Error, gicv2Frames } from '../../../src/vmm/arm/gic-support';

test('the VMM is built exactly for the boards gicv2.h knows, its distributor where gicv2.h puts it', () => {
  for (const b of listBoards()) {
    const p = loadPlatform(b);
    if (p.family !== 'arm') continue;
    const r = constructArmVmm(p, 1);
    const frames = gicv2Frames(p);
    if (frames) {
      assert.ok(r.ok, `${b}: ${r.ok ? '' : r.error.message}`);
      assert.equal(r.vmm.vm.memory.mmioAt(frames.distributor)?.name, 'vgic distributor', b);
    } else {
      assert.ok(!r.ok, `${b} built a VMM`);
      assert.equal(r.error.diagnostics[0].message, gicv2Error(p)!.diagnostics[0].message, b);
    }
  }
});

test('constructing the VMM is deterministic', () => {
  const run = () => constructArmVmm(loadPlatform('tx2'), 5).kernel.trace.serialise();
  assert.equal(run(), run());
});
