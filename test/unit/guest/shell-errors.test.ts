import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DiagnosticError } from '../../../src/diagnostics';
import { parseShell } from '../../../src/guest/shell';

/** busybox ash's wording after `syntax error:`, at the position of the offending token. */
const CASES: [string, string][] = [
  ['dataport_init /dev/a 4096\n\nif true; then\nfi\n', 'S90camkes_init:4:1: error: syntax error: unexpected "fi"'],
  ['fi', 'S90camkes_init:1:1: error: syntax error: unexpected "fi"'],
  ['if true; fi', 'S90camkes_init:1:10: error: syntax error: unexpected "fi" (expecting "then")'],
  ['if true; then echo', 'S90camkes_init:1:19: error: syntax error: unexpected end of file (expecting "fi")'],
  ['while true; echo; done', 'S90camkes_init:1:19: error: syntax error: unexpected "done" (expecting "do")'],
  ['for x in a b; echo; done', 'S90camkes_init:1:15: error: syntax error: unexpected word (expecting "do")'],
  ['for 1x in a; do :; done', 'S90camkes_init:1:5: error: syntax error: bad for loop variable'],
  ['echo )', 'S90camkes_init:1:6: error: syntax error: unexpected ")"'],
  ['echo a;;', 'S90camkes_init:1:7: error: syntax error: unexpected ";;"'],
  ['| wc', 'S90camkes_init:1:1: error: syntax error: unexpected "|"'],
  ['echo >', 'S90camkes_init:1:7: error: syntax error: unexpected end of file'],
  ['echo > ;', 'S90camkes_init:1:8: error: syntax error: unexpected ";"'],
  ['{ echo }', 'S90camkes_init:1:9: error: syntax error: unexpected end of file (expecting "}")'],
  ['( )', 'S90camkes_init:1:3: error: syntax error: unexpected ")"'],
  ['case a in b echo;; esac', 'S90camkes_init:1:13: error: syntax error: unexpected word (expecting ")")'],
  ['1f() { :; }', 'S90camkes_init:1:1: error: syntax error: bad function name'],
  ['echo "abc', 'S90camkes_init:1:6: error: syntax error: unterminated quoted string'],
  ["echo 'abc", 'S90camkes_init:1:6: error: syntax error: unterminated quoted string'],
  ['echo ${x', "S90camkes_init:1:6: error: syntax error: missing '}'"],
  ['echo ${x!y}', 'S90camkes_init:1:6: error: syntax error: bad substitution'],
  ['echo $(echo', 'S90camkes_init:1:12: error: syntax error: unexpected end of file (expecting ")")'],
  ['echo `date', 'S90camkes_init:1:6: error: syntax error: EOF in backquote substitution'],
  ['echo $((1 + 2)', "S90camkes_init:1:6: error: syntax error: missing '))'"],
];

for (const [src, want] of CASES) {
  test(`syntax error: ${JSON.stringify(src)}`, () => {
    assert.throws(() => parseShell(src, 'S90camkes_init'), (e: unknown) => {
      assert.ok(e instanceof DiagnosticError);
      assert.equal(e.message, want);
      return true;
    });
  });
}

const PIECES = ['echo', ' ', '\n', ';', ';;', '&', '&&', '||', '|', '(', ')', '{', '}', 'if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done',
  'while', 'case', 'esac', '!', '"', "'", '\\', '`', '$', '${', '}', '$(', '$((', '))', '<', '>', '>>', '2>&1', '<<EOF', 'EOF', '<<-', '#', 'x=1', 'a', '*'];

test('property: the shell parser ends (quickly) with a Program or a DiagnosticError on any input', () => {
  const check = (text: string): void => {
    try {
      parseShell(text, 'fuzz');
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      assert.match(e.message, /^fuzz:\d+:\d+: error: /);
    }
  };
  const started = process.hrtime.bigint();
  fc.assert(fc.property(fc.string({ maxLength: 200 }), check), { numRuns: 2000 });
  fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((a) => a.join('')), check), { numRuns: 4000 });
  check('$('.repeat(3000));
  check('('.repeat(3000));
  // No input should make the parser loop: 6000 inputs in well under the test's budget.
  assert.ok(process.hrtime.bigint() - started < 20_000_000_000n);
});
