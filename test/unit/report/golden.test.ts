import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildReports, verdictExitStatus } from '../../../src/report/build';
import { FIXTURES, FIXTURE_OPTIONS, fixtureReportsDir } from './helpers';

// Golden tests in the spirit of the Cucumber Compatibility Kit: a run recorded by Cucumber itself
// (test/fixtures/report/generate.ts) goes in, the reports come out and are compared byte for byte.
// UPDATE_GOLDEN=1 rewrites the goldens after a deliberate change; review the diff.
const GOLDEN = path.join(FIXTURES, 'golden');
const NOW = new Date('2026-01-01T00:00:00Z');

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `golden ${file} is missing: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from its golden (UPDATE_GOLDEN=1 to accept)`);
}

test('summary.json, matrix.md and junit.xml match their goldens', () => {
  const dir = fixtureReportsDir();
  buildReports({ reportsDir: dir, now: NOW, ...FIXTURE_OPTIONS });
  golden('summary.json', fs.readFileSync(path.join(dir, 'fxboard', 'summary.json'), 'utf8'));
  golden('matrix.md', fs.readFileSync(path.join(dir, 'matrix.md'), 'utf8'));
  golden('junit.xml', fs.readFileSync(path.join(dir, 'fxboard', 'junit.xml'), 'utf8'));
});

test('every verdict of the fixture is what its scenario was written to produce', () => {
  const { reports } = buildReports({ reportsDir: fixtureReportsDir(), now: NOW, ...FIXTURE_OPTIONS });
  const verdicts = Object.fromEntries(reports[0].requirements.map((r) => [r.id, r.verdict]));
  assert.deepEqual(verdicts, {
    'REQ-FIX-001': 'pass',
    'REQ-FIX-002': 'fail',
    'REQ-FIX-003': 'not-supported',
    'REQ-FIX-004': 'known-fail',
    'REQ-FIX-005': 'unexpected-pass',
    'REQ-FIX-006': 'unresolved',
    'REQ-FIX-007': 'fail',
    'REQ-FIX-008': 'unresolved',
    'REQ-FIX-009': 'fail',
    'REQ-FIX-010': 'pass',
  });
  const dead = reports[0].requirements.find((r) => r.id === 'REQ-FIX-007')!.scenarios[0];
  assert.match(dead.pickle.attempt?.deadlockReport ?? '', /ping:control blocked on ep pong/);
  assert.equal(dead.pickle.attempt?.trace?.length, 2);
  assert.equal(verdictExitStatus(reports, ['fxboard']), 1);
});

test('the same messages give the same bytes in every output', () => {
  const a = fixtureReportsDir();
  const b = fixtureReportsDir();
  buildReports({ reportsDir: a, now: NOW, ...FIXTURE_OPTIONS });
  buildReports({ reportsDir: b, now: NOW, ...FIXTURE_OPTIONS });
  const list = (d: string): string[] =>
    (fs.readdirSync(d, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(d, f)).isFile()).sort();
  assert.deepEqual(list(a), list(b));
  for (const f of list(a)) assert.equal(fs.readFileSync(path.join(a, f), 'utf8'), fs.readFileSync(path.join(b, f), 'utf8'), f);
});

test('allure results carry the platform, feature and story labels and an environment', () => {
  const dir = fixtureReportsDir();
  buildReports({ reportsDir: dir, now: NOW, ...FIXTURE_OPTIONS });
  const res = path.join(dir, 'fxboard', 'allure-results');
  const results = fs
    .readdirSync(res)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(res, f), 'utf8')) as { status: string; labels: { name: string; value: string }[] });
  assert.equal(results.length, 11);
  for (const r of results) {
    const labels = new Map(r.labels.map((l) => [l.name, l.value]));
    assert.equal(labels.get('platform'), 'fxboard');
    assert.equal(labels.get('feature'), 'Report fixture');
    assert.match(labels.get('story') ?? '', /^REQ-FIX-\d{3}$/);
  }
  assert.deepEqual([...new Set(results.map((r) => r.status))].sort(), ['broken', 'failed', 'passed', 'skipped']);
  assert.match(fs.readFileSync(path.join(res, 'environment.properties'), 'utf8'), /^platform=fxboard$/m);
});

test('a previous summary gives the list of requirements whose verdict changed', () => {
  const dir = fixtureReportsDir();
  fs.mkdirSync(path.join(dir, '.previous'));
  const prev = { requirements: { 'REQ-FIX-001': { verdict: 'fail' }, 'REQ-FIX-002': { verdict: 'fail' }, 'REQ-FIX-099': { verdict: 'pass' } } };
  fs.writeFileSync(path.join(dir, '.previous', 'fxboard.json'), JSON.stringify(prev));
  const { reports } = buildReports({ reportsDir: dir, now: NOW, ...FIXTURE_OPTIONS });
  const changes = reports[0].changes!;
  assert.deepEqual(changes.find((c) => c.requirement === 'REQ-FIX-001'), { requirement: 'REQ-FIX-001', from: 'fail', to: 'pass' });
  assert.deepEqual(changes.find((c) => c.requirement === 'REQ-FIX-099'), { requirement: 'REQ-FIX-099', from: 'pass', to: 'absent' });
  assert.equal(changes.find((c) => c.requirement === 'REQ-FIX-002'), undefined);
  assert.match(fs.readFileSync(path.join(dir, 'fxboard', 'index.html'), 'utf8'), /REQ-FIX-001<\/a><\/td><td>fail<\/td><td>pass/);
});
