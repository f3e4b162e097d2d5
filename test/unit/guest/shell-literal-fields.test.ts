import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expandWord, parseShell, type SimpleCommand } from '../../../src/guest/shell';
import { literalFields } from '../../../src/guest/shell/words';

const PIECES = ['a', 'x1', '-n', '*', '?', "''", '""', '"a b"', "'c  d'", '\\ ', '\\"', '"\\$x"', "'$y'", '"\'"', '\\\\', '"" ""'];

function words(line: string): SimpleCommand['words'] {
  return (parseShell(line, 't').body.items[0].command.first.commands[0] as SimpleCommand).words;
}

test('property: a word without expansions gets the fields full expansion would give it', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (ws) => {
      for (const w of words(`echo ${ws.map((p) => p.join('')).join(' ')}`)) {
        const fast = literalFields(w);
        assert.ok(fast, `'${w.text}' has no expansion`);
        assert.deepEqual(fast, expandWord(w, { get: () => undefined, positional: [] }), w.text);
      }
    }),
    { numRuns: 300 },
  );
});

test('words with an expansion take the full path', () => {
  for (const w of words('echo $x "a$x" $(true) $((1+1)) ${y:-z}')) if (w.text !== 'echo') assert.equal(literalFields(w), undefined, w.text);
});
