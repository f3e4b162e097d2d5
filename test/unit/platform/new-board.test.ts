import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticError } from '../../../src/diagnostics';
import { listBoards, loadDeviceTree, loadPlatform, PLATFORMS_DIR } from '../../../src/platform';
import { checklistOutcome, newBoard, portingChecklist } from '../../../src/platform/new-board';
import { applicabilityExpression, groupTags } from '../../../src/harness/binding';
import { main } from '../../../src/cli/main';

function tempPlatforms(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmconf-new-board-'));
  for (const f of fs.readdirSync(PLATFORMS_DIR)) if (/\.(yaml|dts)$/.test(f)) fs.copyFileSync(path.join(PLATFORMS_DIR, f), path.join(dir, f));
  return dir;
}

test('new-board writes a validated copy marked unconfirmed, with a header and the device tree, and becomes a board', () => {
  const dir = tempPlatforms();
  const r = newBoard('myboard', 'qemu-arm-virt', dir);
  assert.deepEqual(r.files.map((f) => path.basename(f)), ['myboard.yaml', 'myboard.dts']);
  const text = fs.readFileSync(path.join(dir, 'myboard.yaml'), 'utf8');
  assert.match(text, /^# myboard: new board description, derived from qemu-arm-virt.yaml/);
  assert.match(text, /npm test -- --tags @myboard/);
  assert.match(fs.readFileSync(path.join(dir, 'myboard.dts'), 'utf8'), /^\/\*\n \* myboard: device tree skeleton copied from qemu-arm-virt.dts/);
  assert.ok(listBoards(dir).includes('myboard'));
  const p = loadPlatform('myboard', dir);
  assert.equal(p.name, 'myboard');
  for (const s of [p.sel4, p.gic!, p.timer!, p.console, p.apps.vm_minimal]) {
    assert.deepEqual(s.unconfirmed, ['*']);
    assert.match(s.source, /platforms\.md §/, 'the source is kept');
    assert.match(s.note ?? '', /copied from qemu-arm-virt.yaml by vmconf new-board/);
  }
  assert.ok(loadDeviceTree(p));
  // The harness binds the group-tagged scenarios (@all-boards, @arm, @aarch64) to the new board.
  assert.deepEqual(groupTags(p), ['@all-boards', '@arm', '@aarch64']);
  assert.match(applicabilityExpression(p, listBoards(dir)), /^@myboard or \(\(@all-boards or @arm or @aarch64\) and not \(@cma34cr or /);
  assert.ok(portingChecklist(p).every((i) => i.ok), 'a copy of a supported board passes the checklist');
  fs.rmSync(dir, { recursive: true });
});

test('new-board refuses to overwrite, checks its arguments, and writes nothing on failure', () => {
  const dir = tempPlatforms();
  const before = fs.readFileSync(path.join(dir, 'tk1.yaml'), 'utf8');
  assert.throws(() => newBoard('tk1', 'tx1', dir), (e: unknown) => e instanceof DiagnosticError && /refusing to overwrite existing file .*tk1.yaml/.test(e.message));
  assert.equal(fs.readFileSync(path.join(dir, 'tk1.yaml'), 'utf8'), before);
  fs.writeFileSync(path.join(dir, 'only-dts.dts'), '/dts-v1/;\n/ {};\n');
  assert.throws(() => newBoard('only-dts', 'tk1', dir), /refusing to overwrite existing file .*only-dts.dts/);
  assert.ok(!fs.existsSync(path.join(dir, 'only-dts.yaml')));
  assert.throws(() => newBoard('Bad Name', 'tk1', dir), /expected a board name of lower-case letters/);
  assert.throws(() => newBoard('x', 'nosuch', dir), /unknown board 'nosuch' to start from/);
  const x86 = newBoard('myx86', 'cma34cr', dir);
  assert.deepEqual(x86.files.map((f) => path.basename(f)), ['myx86.yaml']);
  assert.equal(x86.platform.variantOf, 'pc99');
  fs.rmSync(dir, { recursive: true });
});

test('vmconf new-board: usage errors exit 2, input errors print file:line:col and exit 1', async () => {
  const out: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
  assert.equal(await main(['new-board', 'x'], io), 2);
  assert.equal(await main(['new-board', 'qemu-arm-virt', '--from', 'tk1'], io), 1);
  assert.match(out.join(''), /platforms\/qemu-arm-virt.yaml:1:1: error: refusing to overwrite existing file/);
});

test('the porting checklist: supported boards pass every item; imx8mq-evk (GICv3) and rpi4 (no app) are not supported, with reasons', () => {
  for (const b of ['exynos5422', 'exynos5410', 'tk1', 'tx1', 'tx2', 'qemu-arm-virt', 'odroidc2', 'zcu102']) {
    const p = loadPlatform(b);
    assert.deepEqual(portingChecklist(p).filter((i) => !i.ok).map((i) => i.reason), [], b);
  }
  const imx = loadPlatform('imx8mq-evk');
  const gic = portingChecklist(imx).find((i) => i.id === 'gicv2')!;
  assert.equal(checklistOutcome(imx, gic), 'not-supported');
  assert.equal(gic.reason, "imx8mq-evk has a GICv3 (arm,gic-v3); the VMM's vGIC emulates only GICv2 (libsel4vm)");
  const rpi = loadPlatform('rpi4');
  assert.deepEqual(portingChecklist(rpi).map((i) => checklistOutcome(rpi, i)), ['pass', 'pass', 'not-supported', 'not-supported']);
  const notes = portingChecklist(loadPlatform('tx2')).find((i) => i.id === 'devices-match-dts')!.notes;
  assert.ok(notes.includes('vm_minimal/vm0: dtb path "/mc" selects /thermal-zones/MCPU-therm (first match)'));
});
