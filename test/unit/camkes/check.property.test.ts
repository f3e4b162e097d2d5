// Property: on any token-level mutation of a good input the checker returns positioned
// diagnostics (or none) and never throws, hangs or reports outside the user's files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAndCheck, type Arch } from '../../../src/camkes/check';

const GOOD = resolve(__dirname, '../../fixtures/camkes/check/good');
const sources = readdirSync(GOOD).filter((f) => f.endsWith('.camkes')).sort().map((f) => readFileSync(join(GOOD, f), 'utf8'));
const TOKEN = /[A-Za-z_]\w*|0x[0-9a-fA-F]+|\d+|\s+|"[^"]*"|./g;

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap-name' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant('number' as const), at: fc.nat(), value: fc.constantFrom('0', '1', '4095', '5000', '8192', '0x1001', '-1', '1 << 70', '1/0') }),
  fc.record({ op: fc.constant('word' as const), at: fc.nat(), value: fc.constantFrom('from', 'to', 'maybe', 'hardware', 'control', 'seL4SharedData', 'seL4Notification', 'Init1', 'vm1', 'for', 'Buf', 'dataport', 'emits', '}', ';', ',') }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, ms: readonly Mutation[]): string {
  const toks = text.match(TOKEN) ?? [];
  const names = toks.map((t, i) => (/^[A-Za-z_]/.test(t) ? i : -1)).filter((i) => i >= 0);
  const nums = toks.map((t, i) => (/^\d/.test(t) ? i : -1)).filter((i) => i >= 0);
  for (const m of ms) {
    const at = m.at % toks.length;
    if (m.op === 'delete') toks.splice(at, 1);
    else if (m.op === 'duplicate') toks.splice(at, 0, toks[at]);
    else if (m.op === 'swap-name' && names.length) toks[names[at % names.length]] = toks[names[m.with % names.length]];
    else if (m.op === 'number' && nums.length) toks[nums[at % nums.length]] = m.value;
    else if (m.op === 'word') toks[at] = ` ${m.value} `;
  }
  return toks.join('');
}

test('mutated good inputs give positioned diagnostics, never an exception', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmconf-check-prop-'));
  let n = 0;
  fc.assert(
    fc.property(fc.nat(sources.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, ms) => {
      const text = mutate(sources[which], ms);
      const file = join(dir, `m${n++ % 4}.camkes`);
      writeFileSync(file, text);
      const arch = /^\/\/ arch: (x86|arm)$/m.exec(text)?.[1] as Arch | undefined;
      const r = loadAndCheck(file, { arch });
      for (const d of r.diagnostics) {
        assert.ok(d.severity === 'error' || d.severity === 'warning');
        assert.ok(typeof d.message === 'string' && d.message.length > 0);
        assert.ok(Number.isInteger(d.pos.line) && d.pos.line >= 1 && Number.isInteger(d.pos.col) && d.pos.col >= 1, JSON.stringify(d.pos));
        assert.ok(typeof d.pos.file === 'string' && d.pos.file.length > 0);
      }
    }),
    { numRuns: 100, seed: 20240601 },
  );
});
