// The checker's API and `vmconf check`: shipped apps check clean, ordering, --strict, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkCamkes, hasErrors, loadAndCheck, searchPathFor } from '../../../src/camkes/check';
import { loadCamkes } from '../../../src/camkes/parser';
import { main } from '../../../src/cli/main';
import { formatDiagnostic } from '../../../src/diagnostics';

const APPS = resolve(__dirname, '../../../apps');
const TUTORIAL = join(APPS, 'crossvm_tutorial/crossvm_tutorial.camkes');

async function cli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await main(['check', ...argv], { out: (t) => (out += t), err: (t) => (err += t) });
  return { status, out, err };
}

/** The tutorial app copied to a temp dir with one line replaced (the shipped app is never edited). */
function tutorialWith(from: string, to: string): string {
  const text = readFileSync(TUTORIAL, 'utf8');
  assert.ok(text.includes(from));
  const dir = mkdtempSync(join(tmpdir(), 'vmconf-check-'));
  writeFileSync(join(dir, 'app.yaml'), readFileSync(join(APPS, 'crossvm_tutorial/app.yaml')));
  const file = join(dir, 'crossvm_tutorial.camkes');
  writeFileSync(file, text.replace(from, to));
  return file;
}

for (const [app, root, boards] of [
  ['minimal', 'minimal.camkes', [undefined]],
  ['crossvm_tutorial', 'crossvm_tutorial.camkes', [undefined]],
  ['string_reverse_gen1', 'string_reverse.camkes', [undefined]],
  ['string_reverse_gen2', 'string_reverse.camkes', [undefined]],
  ['pingpong', 'pingpong.camkes', [undefined]],
  ['vm_cross_connector', 'vm_cross_connector.camkes', ['qemu-arm-virt', 'exynos5422']],
] as const) {
  for (const board of boards) {
    test(`apps/${app}${board ? ` (${board})` : ''} checks clean without --strict`, () => {
      const r = loadAndCheck(join(APPS, app, root), { board });
      assert.ok(r.loaded, 'the app loads');
      assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    });
  }
}

test("apps/pingpong/as_quoted fails with app.yaml's expected message", () => {
  const r = loadAndCheck(join(APPS, 'pingpong/as_quoted/pingpong.camkes'), {});
  const first = r.diagnostics.find((d) => d.severity === 'error');
  assert.equal(first?.message, "connection 'ntfn2' has an end ping.n2 that cannot be used as 'from'");
  assert.deepEqual([first?.pos.line, first?.pos.col], [29, 43]);
});

test('the architecture and board come from app.yaml unless given', () => {
  const sp = searchPathFor(join(APPS, 'vm_cross_connector/vm_cross_connector.camkes'), {});
  assert.equal(sp.arch, 'arm');
  assert.ok(sp.dirs[0].endsWith('vm_cross_connector/qemu-arm-virt'));
  assert.ok(sp.dirs.at(-2)!.endsWith('include/arm') && sp.dirs.at(-1)!.endsWith('include/common'));
  const ex = searchPathFor(join(APPS, 'vm_cross_connector/vm_cross_connector.camkes'), { board: 'exynos5422', boardArch: 'arm' });
  assert.ok(ex.dirs[0].endsWith('vm_cross_connector/exynos5422'));
  assert.equal(searchPathFor(TUTORIAL, { arch: 'arm' }).arch, 'arm');
});

test('diagnostics are sorted by position and --strict turns warnings into errors', () => {
  const file = tutorialWith('        vm0.data_id = 1; // ids must be contiguous, starting from 1\n        vm0.data_size = 4096;\n', '');
  const plain = loadAndCheck(file, {}).diagnostics;
  assert.deepEqual(plain.map((d) => d.severity), ['warning', 'warning']);
  assert.match(plain[0].message, /^vm0\.data_id is not set/);
  assert.match(plain[1].message, /^vm0\.data_size is not set/);
  assert.equal(hasErrors(plain), false);
  const strict = loadAndCheck(file, { strict: true }).diagnostics;
  assert.deepEqual(strict.map((d) => d.severity), ['error', 'error']);
  const unsorted = loadAndCheck(tutorialWith('vm0.data_size = 4096;', 'vm0.data_size = 100; vm0.bad = ;'), {}).diagnostics;
  assert.equal(unsorted.length, 1, 'a syntax error stops before the checks, as upstream');
});

test('checkCamkes reports a spec with no assembly instead of throwing', () => {
  const spec = loadCamkes('x.camkes', { readFile: (p) => (p.endsWith('x.camkes') ? 'component A { control; }' : undefined), preprocess: 'none' });
  const d = checkCamkes(spec);
  assert.deepEqual(d.map((x) => [x.pos.line, x.pos.col, x.message]), [[1, 1, 'no assembly found in input specification']]);
});

test('vmconf check: clean exit 0, error exit 1 with path:line:col, warnings exit 0 unless --strict', async () => {
  assert.deepEqual(await cli(TUTORIAL), { status: 0, out: '', err: '' });
  const bad = tutorialWith('vm0.data_size = 4096;', 'vm0.data_size = 5000;');
  const r = await cli(bad);
  assert.equal(r.status, 1);
  assert.equal(r.out, `${bad}:60:9: error: Setting vm0.data_size does not meet minimum size requirements. 5000 must be at least 4096 and 4096 aligned\n`);
  const warn = tutorialWith('vm0.data_id = 1;', 'vm0.data_id = 2;');
  const w = await cli(warn);
  assert.equal(w.status, 0);
  assert.match(w.out, /:59:9: warning: dataport ids of vm0 must be contiguous, starting from 1 .*found 2\n$/);
  const s = await cli(warn, '--strict');
  assert.equal(s.status, 1);
  assert.match(s.out, /:59:9: error: dataport ids of vm0/);
});

test('vmconf check: -D reaches the preprocessor, --arch and --platform select the include dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmconf-check-'));
  const file = join(dir, 'sized.camkes');
  writeFileSync(file, 'import <std_connector.camkes>;\ncomponent A { control; dataport Buf(SIZE) d; }\n' +
    'assembly { composition { component A a; component A b; connection seL4SharedData s(from a.d, to b.d); } }\n');
  assert.equal((await cli(file, '-D', 'SIZE=8192')).status, 0);
  const r = await cli(file, '-DSIZE=100');
  assert.equal(r.status, 1);
  assert.match(r.out, /sized\.camkes:2:33: error: Setting Buf\(100\) does not meet minimum size requirements/);
  const arm = await cli(TUTORIAL, '--arch', 'arm');
  assert.equal(arm.status, 1, 'the x86 tutorial does not build against the Arm VM header');
  assert.equal((await cli(TUTORIAL, '--platform', 'pc99')).status, 0);
});

test('vmconf check: usage errors exit 2', async () => {
  assert.equal((await cli()).status, 2);
  assert.equal((await cli(TUTORIAL, '--arch', 'mips')).status, 2);
  assert.equal((await cli(TUTORIAL, '--bogus')).status, 2);
  assert.equal((await cli(TUTORIAL, '--platform', 'pc99', '--arch', 'x86')).status, 2);
  const missing = await cli('/nonexistent/x.camkes');
  assert.equal(missing.status, 1);
  assert.match(missing.out, /^\/nonexistent\/x\.camkes:1:1: error: cannot read/);
});
