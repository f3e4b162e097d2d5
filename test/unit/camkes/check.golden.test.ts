// Golden tests over test/fixtures/camkes/check/ in camkes-tool's style (tests/good, tests/bad-at-*):
// good/ checks clean; each bad/ file's first error is the `// error: LINE:COL: MESSAGE` it starts
// with; each warn/ file gives exactly its `// warning:` lines, and only errors under --strict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAndCheck, type Arch } from '../../../src/camkes/check';
import type { Diagnostic } from '../../../src/diagnostics';

const ROOT = resolve(__dirname, '../../fixtures/camkes/check');

interface Fixture {
  readonly file: string;
  readonly arch?: Arch;
  readonly expected: readonly string[];
}

function read(kind: 'good' | 'bad' | 'warn'): Fixture[] {
  const dir = join(ROOT, kind);
  return readdirSync(dir).filter((f) => f.endsWith('.camkes')).sort().map((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    const arch = /^\/\/ arch: (x86|arm)$/m.exec(text)?.[1] as Arch | undefined;
    const expected = text.split('\n').filter((l) => /^\/\/ (error|warning): /.test(l)).map((l) => l.slice(3).replace(/\\n/g, '\n'));
    return { file: join(dir, f), arch, expected };
  });
}

/** `severity: LINE:COL: message`, with the fixture directory taken out of embedded paths. */
function show(d: Diagnostic, file: string): string {
  assert.equal(d.pos.file, file, `diagnostic in another file: ${d.pos.file}`);
  const dir = file.slice(0, file.lastIndexOf('/') + 1);
  return `${d.severity}: ${d.pos.line}:${d.pos.col}: ${d.message.split(dir).join('')}`;
}

for (const f of read('good')) {
  test(`good: ${f.file.slice(ROOT.length + 1)} checks clean, also under --strict`, () => {
    assert.deepEqual(loadAndCheck(f.file, { arch: f.arch, strict: true }).diagnostics, []);
  });
}

for (const f of read('bad')) {
  test(`bad: ${f.file.slice(ROOT.length + 1)}`, () => {
    assert.equal(f.expected.length, 1, 'a bad fixture states exactly one expected error');
    const first = loadAndCheck(f.file, { arch: f.arch }).diagnostics.find((d) => d.severity === 'error');
    assert.ok(first, 'expected an error, the check passed');
    assert.equal(show(first, f.file), f.expected[0]);
  });
}

for (const f of read('warn')) {
  test(`warn: ${f.file.slice(ROOT.length + 1)}`, () => {
    assert.ok(f.expected.length > 0 && f.expected.every((e) => e.startsWith('warning: ')));
    const plain = loadAndCheck(f.file, { arch: f.arch }).diagnostics;
    assert.deepEqual(plain.map((d) => show(d, f.file)), f.expected);
    const strict = loadAndCheck(f.file, { arch: f.arch, strict: true }).diagnostics;
    assert.deepEqual(strict.map((d) => show(d, f.file)), f.expected.map((e) => e.replace(/^warning: /, 'error: ')));
  });
}

test('the corpus covers every kind', () => {
  assert.ok(read('good').length >= 4 && read('bad').length >= 40 && read('warn').length >= 5);
});
