import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DiagnosticError } from '../../../src/diagnostics';
import { preprocess } from '../../../src/camkes/cpp';
import { tokens } from './cpp-helpers';

// Differential tests: the system `cpp -P` (gcc) is the reference. Outputs are compared as token
// sequences (whitespace ignored, string literals compared exactly), and a program gcc rejects
// must be rejected with a DiagnosticError.

const probe = spawnSync('cpp', ['--version'], { encoding: 'utf8' });
const cppMissing = probe.error ? String(probe.error.message) : probe.status !== 0 ? `cpp --version exited with ${probe.status}` : null;

interface Outcome {
  readonly ok: boolean;
  readonly toks: string[];
  readonly detail: string;
}

function gcc(text: string, args: string[] = []): Outcome {
  const r = spawnSync('cpp', ['-P', ...args, '-'], { input: text, encoding: 'utf8' });
  return { ok: r.status === 0, toks: tokens(r.stdout ?? ''), detail: r.stderr };
}

function ours(text: string, includePaths: string[] = [], file = '<stdin>'): Outcome {
  try {
    return { ok: true, toks: tokens(preprocess(file, { text, includePaths }).text), detail: '' };
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return { ok: false, toks: [], detail: e.message };
  }
}

function agree(program: string, want: Outcome, got: Outcome): void {
  const show = `--- program ---\n${program}\n--- gcc (${want.ok ? 'ok' : 'error'}) ---\n${want.ok ? want.toks.join(' ') : want.detail}\n--- ours ---\n${got.ok ? got.toks.join(' ') : got.detail}`;
  assert.equal(got.ok, want.ok, show);
  if (want.ok) assert.deepEqual(got.toks, want.toks, show);
}

// ---- random macro programs ----
const OBJ = ['A', 'B', 'C'];
const FUN = ['F', 'G', 'H'];
const PLAIN = ['a', 'b', 'x'];
const NUMS = ['0', '1', '2', '10', '0x1f'];
const PUNCT = ['+', '-', '*', ',', '.', ';', '<', '=', '[', ']'];
const word = fc.constantFrom(...PLAIN, ...OBJ, ...FUN, ...NUMS, ...PUNCT, '"s"', "'c'");
const pasteable = fc.constantFrom(...PLAIN, ...OBJ, ...NUMS, '+');

function bodyOf(params: string[]): fc.Arbitrary<string> {
  const atoms: fc.Arbitrary<string>[] = [word, word, fc.constant('('), fc.constant(')')];
  const operand = params.length ? fc.oneof(pasteable, fc.constantFrom(...params)) : pasteable;
  atoms.push(fc.tuple(operand, operand).map(([l, r]) => `${l} ## ${r}`));
  if (params.length) {
    const p = fc.constantFrom(...params);
    atoms.push(p, p, p.map((x) => `#${x}`), fc.tuple(p, pasteable).map(([x, y]) => `${y}##${x}`));
    if (params.includes('__VA_ARGS__')) atoms.push(fc.constant(', ## __VA_ARGS__'));
    if (params.includes('rest')) atoms.push(fc.constant(', ## rest'));
  }
  return fc.array(fc.oneof(...atoms), { maxLength: 6 }).map((a) => a.join(' '));
}

const objectDef = fc.tuple(fc.constantFrom(...OBJ), bodyOf([])).map(([n, b]) => `#define ${n} ${b}`);
const functionDef = fc
  .tuple(fc.constantFrom(...FUN), fc.subarray(['p', 'q', 'r'], { maxLength: 3 }), fc.constantFrom('', '...', 'rest...'))
  .chain(([n, ps, va]) => {
    const list = va ? [...ps, va] : ps;
    const names = va === '...' ? [...ps, '__VA_ARGS__'] : va ? [...ps, 'rest'] : ps;
    return bodyOf(names).map((b) => `#define ${n}(${list.join(', ')}) ${b}`);
  });

const use: fc.Arbitrary<string> = fc.letrec<{ seq: string; call: string }>((tie) => ({
  seq: fc.array(fc.oneof({ weight: 4, arbitrary: word }, { weight: 2, arbitrary: tie('call') }), { maxLength: 4 }).map((a) => a.join(' ')),
  call: fc
    .tuple(fc.constantFrom(...FUN, ...OBJ), fc.array(tie('seq'), { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([f, args, nl]) => `${f}(${args.join(nl ? ',\n' : ', ')})`),
})).seq;

const expr = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    { weight: 6, arbitrary: fc.constantFrom('0', '1', '2', '-1', '0x10', '07', "'a'", '10u', 'defined(A)', 'defined F', '!defined(B)') },
    { weight: 1, arbitrary: fc.constantFrom('A', 'B', 'a', 'F(1)') },
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '<<', '>>', '<', '>', '<=', '>=', '==', '!=', '&', '^', '|', '&&', '||'), tie('e')).map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(fc.constantFrom('!', '-', '~'), tie('e')).map(([o, a]) => `${o}${a}`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
  ),
})).e;

const conditional = fc
  .tuple(expr, use, fc.option(fc.tuple(expr, use)), fc.option(use))
  .map(([c, a, elif, els]) => ['#if ' + c, a, ...(elif ? ['#elif ' + elif[0], elif[1]] : []), ...(els !== null ? ['#else', els] : []), '#endif'].join('\n'));

const program = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: objectDef },
      { weight: 4, arbitrary: functionDef },
      { weight: 4, arbitrary: use },
      { weight: 2, arbitrary: conditional },
      { weight: 1, arbitrary: fc.constantFrom(...OBJ, ...FUN).map((n) => `#undef ${n}`) },
    ),
    { minLength: 2, maxLength: 12 },
  )
  .map((items) => items.join('\n') + '\n');

test('random macro programs preprocess to the same tokens as cpp -P (or both fail)', (t) => {
  if (cppMissing) {
    t.skip(`cpp not found: ${cppMissing}`);
    return;
  }
  let failures = 0;
  fc.assert(
    fc.property(program, (p) => {
      const want = gcc(p);
      if (!want.ok) failures++;
      agree(p, want, ours(p));
    }),
    { seed: 20240611, numRuns: 300 },
  );
  // The comparison must mostly be about output, not about both sides failing.
  assert.ok(failures < 100, `${failures} of 300 generated programs were errors for gcc`);
});

test('the fixture corpus preprocesses to the same tokens as cpp -P', (t) => {
  if (cppMissing) {
    t.skip(`cpp not found: ${cppMissing}`);
    return;
  }
  const dir = path.join('test', 'fixtures', 'cpp');
  const inc = path.join(dir, 'include');
  const files = readdirSync(dir).filter((f) => /\.(c|camkes)$/.test(f));
  assert.ok(files.length >= 2);
  for (const f of files) {
    const file = path.join(dir, f);
    const r = spawnSync('cpp', ['-P', `-I${inc}`, file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `gcc rejected ${file}: ${r.stderr}`);
    const got = preprocess(file, { includePaths: [inc] });
    assert.deepEqual(tokens(got.text), tokens(r.stdout), file);
  }
});
