import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticError } from '../../../src/diagnostics';
import { buildReports } from '../../../src/report/build';
import { parseExpectations } from '../../../src/report/expectations';
import { readMessages } from '../../../src/report/messages';
import { parseNdjson } from '../../../src/report/ndjson';
import { FIXTURE_OPTIONS, FIXTURE_PLATFORMS, fixtureReportsDir } from './helpers';

const KNOWN = new Set(['REQ-XVM-001', 'REQ-XVM-002']);

function messagesOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, `expected a DiagnosticError, got ${String(e)}`);
    return e.message.split('\n');
  }
  assert.fail('expected the input to be rejected');
}

test('expectations: a well-formed file maps requirement ids to reason and link, with positions', () => {
  const m = parseExpectations('e.yaml', '# c\nREQ-XVM-001:\n  reason: drops an event\n  link: https://example.org/1\n', KNOWN);
  assert.deepEqual(m.get('REQ-XVM-001'), { requirement: 'REQ-XVM-001', reason: 'drops an event', link: 'https://example.org/1', pos: { file: 'e.yaml', line: 2, col: 1 } });
  assert.equal(parseExpectations('e.yaml', '', KNOWN).size, 0);
});

test('expectations: an unknown requirement is an error at its key', () => {
  assert.deepEqual(messagesOf(() => parseExpectations('e.yaml', 'REQ-XVM-001:\n  reason: r\n  link: https://x.org\nREQ-XVM-077:\n  reason: r\n  link: https://x.org\n', KNOWN)), [
    "e.yaml:4:1: error: unknown requirement 'REQ-XVM-077': no scenario carries @REQ-XVM-077",
  ]);
});

test('expectations: every malformed entry is reported with file:line:col', () => {
  const text = ['REQ-XVM-001:', '  reason: ""', '  link: not a url', '  colour: red', 'not-an-id: 1', 'REQ-XVM-002: just a string', ''].join('\n');
  assert.deepEqual(messagesOf(() => parseExpectations('e.yaml', text, KNOWN)), [
    "e.yaml:2:11: error: expected 'reason' to be a non-empty string",
    "e.yaml:3:9: error: expected 'link' to be an http(s) URL, found 'not a url'",
    "e.yaml:4:3: error: unknown field 'colour' (expected reason, link)",
    "e.yaml:5:1: error: expected a requirement id like REQ-XVM-001, found 'not-an-id'",
    "e.yaml:6:14: error: expected 'REQ-XVM-002' to map to { reason, link }",
  ]);
  assert.deepEqual(messagesOf(() => parseExpectations('e.yaml', 'REQ-XVM-001:\n  link: https://x.org\n', KNOWN)), ["e.yaml:1:1: error: 'REQ-XVM-001' needs a 'reason'"]);
  assert.match(messagesOf(() => parseExpectations('e.yaml', 'REQ-XVM-001: [\n', KNOWN))[0], /^e\.yaml:\d+:\d+: error: /);
  assert.deepEqual(messagesOf(() => parseExpectations('e.yaml', '- REQ-XVM-001\n', KNOWN)), ['e.yaml:1:1: error: expected a map from requirement id to { reason, link }']);
});

test('messages: a corrupted NDJSON line is rejected naming the file and line', () => {
  assert.deepEqual(messagesOf(() => parseNdjson('m.ndjson', '{"meta":{}}\n[1]\n')), ['m.ndjson:2:1: error: expected one JSON object per line']);
  assert.match(messagesOf(() => parseNdjson('m.ndjson', '{"meta":{}}\n\n{"pickle": {"id": \n'))[0], /^m\.ndjson:3:\d+: error: expected one JSON object per line: /);
});

test('messages: a run cut short is reported as incomplete and needs attention', () => {
  const dir = fixtureReportsDir();
  const file = path.join(dir, 'fxboard', 'messages.ndjson');
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  fs.writeFileSync(file, lines.slice(0, -1).join('\n') + '\n');
  const { reports } = buildReports({ reportsDir: dir, ...FIXTURE_OPTIONS });
  assert.equal(reports[0].ok, false);
  assert.match(reports[0].problems[0], /messages\.ndjson:\d+:1: error: the run did not finish/);
});

test('messages: a message referring to an unknown test case is rejected with its line', () => {
  const text = '{"testCaseStarted":{"id":"s1","testCaseId":"nope","attempt":0}}\n';
  assert.deepEqual(messagesOf(() => readMessages('m.ndjson', text)), ["m.ndjson:1:1: error: testCaseStarted names unknown test case 'nope'"]);
});

test('a corrupted trace attachment and a missing board file are clear errors', () => {
  const dir = fixtureReportsDir();
  const file = path.join(dir, 'fxboard', 'messages.ndjson');
  const text = fs.readFileSync(file, 'utf8').replace('{\\"seq\\":0,', '{\\"sequence\\":0,');
  fs.writeFileSync(file, text);
  const lines = messagesOf(() => buildReports({ reportsDir: dir, ...FIXTURE_OPTIONS }));
  assert.match(lines[0], /fxboard\/messages\.ndjson:\d+:1: error: trace attachment line 1: expected a TraceEvent/);

  const other = fixtureReportsDir();
  fs.renameSync(path.join(other, 'fxboard'), path.join(other, 'no-such-board'));
  assert.match(messagesOf(() => buildReports({ reportsDir: other, platformsDir: FIXTURE_PLATFORMS }))[0], /no-such-board\.yaml:1:1: error: no such board 'no-such-board'/);
});

test('a malformed step marks attachment is rejected naming the messages file and line', () => {
  const dir = fixtureReportsDir();
  const file = path.join(dir, 'fxboard', 'messages.ndjson');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes('step-marks+json'));
  assert.ok(i >= 0, 'the fixture run has step marks');
  lines[i] = lines[i].replace(/"body":"\[[^"]*?\{/, '"body":"[{\\"oops\\":1},{');
  fs.writeFileSync(file, lines.join('\n'));
  assert.deepEqual(messagesOf(() => buildReports({ reportsDir: dir, ...FIXTURE_OPTIONS })), [
    `${path.relative(process.cwd(), file)}:${i + 1}:1: error: step marks attachment: expected an array of { text, type, from, to } with from <= to`,
  ]);
});
