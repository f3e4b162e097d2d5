import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { DiagnosticError } from '../../../src/diagnostics';
import { preprocess } from '../../../src/camkes/cpp';

// Fragments that steer random text into directives, macro calls, pastes, comments and quotes.
const FRAGMENTS = [
  '#define ', '#define F(x, ...) ', '#define A ', '#undef ', '#if ', '#ifdef ', '#elif ', '#else', '#endif', '#include ',
  '#line ', '#error ', '#pragma once', '#', '##', '__VA_ARGS__', '...', 'args...', 'defined', '__LINE__', '__FILE__',
  'A', 'F(', 'F', '(', ')', ',', '"h.h"', '<h.h>', '"', "'", '/*', '*/', '//', '\\\n', '\n', ' ', '\t', '0x', '1', '07',
  '+', '-', '/', '%', '<<', '?', ':', 'u', 'L', '.', '\r\n', 'é',
];
const text = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), { maxLength: 40 }).map((a) => a.join(''));

test('preprocess throws nothing but DiagnosticError, whatever the input', () => {
  fc.assert(
    fc.property(text, text, (main, header) => {
      const files: Record<string, string> = { 'h.h': header };
      try {
        const r = preprocess('main.camkes', { text: main, readFile: (p) => files[path.normalize(p)] });
        // Whatever comes out must be mappable.
        for (let o = 0; o <= r.text.length; o += 7) r.map.pos(o);
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
        assert.ok(e.diagnostics[0].pos.line >= 1);
      }
    }),
    { seed: 4242, numRuns: 2000 },
  );
});

test('pathological inputs fail with a diagnostic instead of hanging or overflowing the stack', () => {
  const deep = '#define f(x) x\n' + 'f('.repeat(1000) + '1' + ')'.repeat(1000);
  assert.throws(() => preprocess('m', { text: deep }), DiagnosticError);
  const parens = '#if ' + '('.repeat(20000) + '1' + ')'.repeat(20000) + '\n#endif';
  assert.throws(() => preprocess('m', { text: parens }), DiagnosticError);
  const unary = '#if ' + '- '.repeat(20000) + '1\n#endif';
  assert.throws(() => preprocess('m', { text: unary }), DiagnosticError);
  // 2^30 tokens if expanded: stopped by the expansion budget.
  const bomb = ['#define a0 x x'].concat(Array.from({ length: 30 }, (_, k) => `#define a${k + 1} a${k} a${k}`)).join('\n') + '\na30';
  assert.throws(() => preprocess('m', { text: bomb }), DiagnosticError);
});
