import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeq, type Node } from 'yaml';
import { DiagnosticError, formatDiagnostic } from '../../../src/diagnostics';
import { parseYaml, parseYamlPositioned } from '../../../src/diagnostics/yaml';

test('YAML syntax errors: every one, positioned, one line each in the yaml package wording', () => {
  const text = 'a: 1\nb: "oops\nc: [1, 2\n';
  const { errors } = parseYamlPositioned('f.yaml', text);
  assert.ok(errors.length >= 1);
  for (const d of errors) {
    assert.equal(d.pos.file, 'f.yaml');
    assert.doesNotMatch(d.message, /\n|at line \d+, column \d+/, 'no second copy of the position, no excerpt');
  }
  assert.match(formatDiagnostic(errors[0]), /^f\.yaml:\d+:\d+: error: Missing closing "quote$/);
  assert.throws(() => parseYaml('f.yaml', text), (e: unknown) => e instanceof DiagnosticError && e.diagnostics.length === errors.length);
});

test('YAML positions: a node is where it starts; a missing node is line 1 col 1', () => {
  const y = parseYaml('g.yaml', 'name: x\nlist:\n  - 1\n  - two\n');
  const list = y.doc.get('list', true);
  assert.ok(isSeq(list));
  assert.deepEqual(y.pos(list.items[1] as Node), { file: 'g.yaml', line: 4, col: 5 });
  assert.deepEqual(y.pos(null), { file: 'g.yaml', line: 1, col: 1 });
  assert.deepEqual(y.at(5), { file: 'g.yaml', line: 1, col: 6 });
});
