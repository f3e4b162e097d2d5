import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAllPlatforms } from '../../../src/platform';
import { buildReports } from '../../../src/report/build';
import { buildCatalogue, CATALOGUE_COMMAND, CATALOGUE_FILE, catalogueText, IMPLIED_STRENGTH, readScenarios } from '../../../src/report/catalogue';
import { assessCell } from '../../../src/report/matrix';
import { FIXTURE_OPTIONS, FIXTURES, fixtureReportsDir, loadFixtureBoard } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('matrix: untested upstream but passing, CONFLICT with both sources, and agreement are told apart', () => {
  const { reports } = buildReports({ reportsDir: fixtureReportsDir(), ...FIXTURE_OPTIONS });
  const b = reports[0];
  const cross = assessCell(b.board, 'cross-vm', b.matrix['cross-vm']);
  assert.equal(cross.relation, 'differ');
  assert.deepEqual(cross.flags, ['untested upstream, passes here', 'differs']);
  assert.match(cross.detail!, /observed Supported \(REQ-FIX-001\); documented Unsupported \(untested\) per test\/fixtures\/report\/platforms\/fxboard\.json/);
  const multi = assessCell(b.board, 'multi-vm', b.matrix['multi-vm']);
  assert.equal(multi.relation, 'agree');
  assert.deepEqual(multi.flags, ['CONFLICT']);
  assert.match(multi.detail!, /Unsupported per README\.md \(matrix text\); Supported per apps\/vm_multi settings\.cmake; the run agrees with apps\/vm_multi settings\.cmake/);
  assert.deepEqual(assessCell(b.board, 'virtio-pci', b.matrix['virtio-pci']).flags, ['UNCONFIRMED']);
  assert.equal(assessCell(b.board, 'smp', b.matrix.smp).relation, 'agree');
  assert.equal(assessCell(b.board, 'virtio-net', b.matrix['virtio-net']).relation, 'attention');
});

test('catalogue: every requirement of the fixture with wording, strength, source and boards', () => {
  const scenarios = readScenarios(path.join(FIXTURES, 'features'), ROOT);
  const entries = buildCatalogue(scenarios, [loadFixtureBoard()]);
  const e1 = entries.find((e) => e.id === 'REQ-FIX-001')!;
  assert.deepEqual([e1.strength, e1.rules, e1.sources, e1.boards], ['MUST', ['The VMM MUST deliver a cross-VM event to the consuming component'], ['cross-vm-connectors.md §4.3'], ['fxboard']]);
  assert.equal(entries.find((e) => e.id === 'REQ-FIX-003')!.strength, 'SHOULD');
  assert.equal(entries.find((e) => e.id === 'REQ-FIX-004')!.strength, IMPLIED_STRENGTH);
  assert.equal(entries.find((e) => e.id === 'REQ-FIX-009')!.scenarios.length, 2);
});

test(`catalogue: ${CATALOGUE_FILE} is up to date with the feature files`, () => {
  const want = catalogueText(ROOT, loadAllPlatforms());
  const file = path.join(ROOT, CATALOGUE_FILE);
  const have = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  assert.ok(have === want, `${CATALOGUE_FILE} is stale: regenerate it with \`${CATALOGUE_COMMAND}\` and commit it`);
});
