import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SerialOutput } from '../../../src/camkes/runtime';
import { Trace } from '../../../src/sel4';

test('property: text written in any pieces gives the same lines and trace as written at once', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n') }), fc.array(fc.nat(), { maxLength: 20 }), (text, cuts) => {
      const render = (pieces: string[]) => {
        const trace = new Trace(() => 0);
        const out = new SerialOutput(() => 0, trace);
        for (const p of pieces) out.write('vm0', p, { layer: 'guest-kernel', op: 'console' });
        out.write('print_server', 'x\n');
        out.flush();
        return { lines: out.lines, events: trace.all() };
      };
      const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const pieces = [0, ...at, text.length].slice(1).map((end, i, a) => text.slice(i ? a[i - 1] : 0, end));
      assert.deepEqual(render(pieces), render([text]));
    }),
  );
});
