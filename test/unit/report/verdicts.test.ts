import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RAW_VERDICTS, worstRaw, type RawVerdict } from '../../../src/report/contract';
import type { Pickle, StepOutcome } from '../../../src/report/messages';
import { accepted, classifyScenario, judgeRequirements, requirementVerdict, sourceOf } from '../../../src/report/verdicts';

const raw = fc.constantFrom(...RAW_VERDICTS);

function pickle(steps: StepOutcome[], tags = ['@REQ-XVM-001'], deadlockReport?: string): Pickle {
  return { id: 'p', uri: 'f.feature', line: 3, col: 3, name: 's', feature: 'F', tags, attempt: { steps, deadlockReport } };
}
const ok = (text = 'Given x'): StepOutcome => ({ text, status: 'PASSED', durationNs: 1 });
const failed = (errorType: string, message: string): StepOutcome => ({ text: 'Then y', status: 'FAILED', errorType, message, durationNs: 1 });

test('a requirement is as bad as its worst scenario, whatever their order', () => {
  fc.assert(
    fc.property(fc.array(raw, { minLength: 1 }), (vs) => {
      const w = worstRaw(vs);
      assert.ok(vs.includes(w));
      for (const v of vs) assert.ok(RAW_VERDICTS.indexOf(v) <= RAW_VERDICTS.indexOf(w));
      assert.equal(worstRaw([...vs].reverse()), w);
    }),
  );
});

test('an expectation turns fail into known-fail and pass into unexpected-pass, and nothing else', () => {
  fc.assert(
    fc.property(raw, fc.boolean(), (v: RawVerdict, expected) => {
      const out = requirementVerdict(v, expected);
      if (!expected) assert.equal(out, v);
      else assert.equal(out, v === 'fail' ? 'known-fail' : v === 'pass' ? 'unexpected-pass' : v);
      // Neither a harness problem nor an unexpected pass is ever accepted.
      if (v === 'unresolved' || out === 'unexpected-pass') assert.equal(accepted(out), false);
    }),
  );
});

test('failures are classified by message prefix, deadlock and exception type', () => {
  assert.equal(classifyScenario(pickle([ok(), failed('AssertionError', 'expected 1 to equal 2')])).raw, 'fail');
  const ns = classifyScenario(pickle([failed('Error', 'NOT-SUPPORTED: no SMP on this board')]));
  assert.deepEqual([ns.raw, ns.message], ['not-supported', 'no SMP on this board']);
  assert.equal(classifyScenario(pickle([failed('TypeError', 'x is undefined')])).raw, 'unresolved');
  assert.equal(classifyScenario(pickle([failed('Error', 'boom')])).raw, 'unresolved');
  assert.equal(classifyScenario(pickle([failed('Error', 'blocked forever')], ['@REQ-XVM-001'], 'deadlock report')).raw, 'fail');
  assert.equal(classifyScenario(pickle([ok(), { text: 'Then z', status: 'UNDEFINED', durationNs: 0 }])).raw, 'unresolved');
  assert.equal(classifyScenario(pickle([{ text: 'Then z', status: 'PENDING', durationNs: 0 }])).raw, 'unresolved');
  assert.equal(classifyScenario(pickle([{ text: 'Given z', status: 'SKIPPED', durationNs: 0 }])).raw, 'unresolved');
  assert.equal(classifyScenario(pickle([{ text: 'hook', status: 'PASSED', durationNs: 0 }])).raw, 'unresolved');
  // A step skipped after the failing one does not change the verdict.
  assert.equal(classifyScenario(pickle([failed('AssertionError', 'no'), { text: 'Then z', status: 'SKIPPED', durationNs: 0 }])).raw, 'fail');
});

test('Outline rows of one requirement are judged together', () => {
  const rows = [classifyScenario(pickle([ok()])), classifyScenario(pickle([failed('AssertionError', 'no')]))];
  const exp = new Map([['REQ-XVM-001', { requirement: 'REQ-XVM-001', reason: 'r', link: 'https://x.org', pos: { file: 'e', line: 1, col: 1 } }]]);
  assert.equal(judgeRequirements(rows, new Map())[0].verdict, 'fail');
  assert.equal(judgeRequirements(rows, exp)[0].verdict, 'known-fail');
  assert.equal(judgeRequirements([rows[0]], exp)[0].verdict, 'unexpected-pass');
});

test('source tags read as document and section', () => {
  assert.equal(sourceOf(['@source:cross-vm-connectors.md#4.3']), 'cross-vm-connectors.md §4.3');
  assert.equal(sourceOf(['@x', '@source:002#Adding-a-dataport']), '002 §Adding a dataport');
  assert.equal(sourceOf(['@source:nohash']), undefined);
});
