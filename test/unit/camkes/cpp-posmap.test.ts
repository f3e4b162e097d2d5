import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/diagnostics';
import { errorAtMapped, macroContext } from '../../../src/camkes/cpp';
import { pp } from './cpp-helpers';

test('plain text maps every token to its own line and column', () => {
  const r = pp('component A {\n\tuses X x; // c\n}');
  const at = (s: string) => r.map.pos(r.text.indexOf(s));
  assert.deepEqual(at('component'), { file: 'main.camkes', line: 1, col: 1 });
  assert.deepEqual(at('uses'), { file: 'main.camkes', line: 2, col: 2 });
  assert.deepEqual(at('x;'), { file: 'main.camkes', line: 2, col: 9 });
  assert.deepEqual(at('}'), { file: 'main.camkes', line: 3, col: 1 });
  // An offset inside a token counts on from the token's column.
  assert.deepEqual(r.map.pos(r.text.indexOf('ponent')), { file: 'main.camkes', line: 1, col: 4 });
  // The end of the text is the end of the main file.
  assert.deepEqual(r.map.pos(r.text.length), { file: 'main.camkes', line: 3, col: 2 });
});

test('expanded text maps to the outermost invocation, naming the macro and its definition', () => {
  const files = { 'inc/configurations/vm.h': '\n#define INNER uses Y y;\n#define VM_INIT_DEF() control; INNER' };
  const r = pp('#include <configurations/vm.h>\ncomponent Init0 {\n    VM_INIT_DEF()\n}', files, { includePaths: ['inc'] });
  const p = r.map.pos(r.text.indexOf('uses'));
  assert.deepEqual(p, {
    file: 'main.camkes', line: 3, col: 5,
    macro: { name: 'VM_INIT_DEF', defPos: { file: 'inc/configurations/vm.h', line: 3, col: 9 }, spelling: { file: 'inc/configurations/vm.h', line: 2, col: 15 } },
  });
  assert.equal(macroContext(p), " (in expansion of macro 'VM_INIT_DEF' defined at inc/configurations/vm.h:3:9)");
  assert.equal(
    formatDiagnostic(errorAtMapped(p, "unknown reference to 'Y'").diagnostics[0]),
    "main.camkes:3:5: error: unknown reference to 'Y' (in expansion of macro 'VM_INIT_DEF' defined at inc/configurations/vm.h:3:9)",
  );
  // Text after the expansion is back to its own position.
  assert.deepEqual(r.map.pos(r.text.lastIndexOf('}')), { file: 'main.camkes', line: 4, col: 1 });
});

test('macro arguments written by the user keep their own positions; pasted tokens map to the invocation', () => {
  const r = pp('#define COMP(n, T) component T vm##n;\n  COMP(3,\n     Init)');
  const init = r.map.pos(r.text.indexOf('Init'));
  assert.deepEqual(init, { file: 'main.camkes', line: 3, col: 6 });
  const vm3 = r.map.pos(r.text.indexOf('vm3'));
  assert.equal(`${vm3.file}:${vm3.line}:${vm3.col} ${vm3.macro?.name}`, 'main.camkes:2:3 COMP');
});

test('text from an included file maps into that file; line continuations are accounted for', () => {
  const r = pp('#include "h.h"\nafter', { 'h.h': 'one \\\n  two\nthree' });
  assert.deepEqual(r.map.pos(r.text.indexOf('two')), { file: 'h.h', line: 2, col: 3 });
  assert.deepEqual(r.map.pos(r.text.indexOf('three')), { file: 'h.h', line: 3, col: 1 });
  assert.deepEqual(r.map.pos(r.text.indexOf('after')), { file: 'main.camkes', line: 2, col: 1 });
});

test('every output token start maps to a position where that token (or its macro) is written', () => {
  const src = '#define A(x) x + B\n#define B b\nA(a) c\n  A(\nd)';
  const r = pp(src);
  const lines = src.split('\n');
  for (const m of r.text.matchAll(/\S+/g)) {
    const p = r.map.pos(m.index!);
    const line = lines[p.line - 1];
    const written = p.macro ? p.macro.name : m[0];
    assert.equal(line.slice(p.col - 1, p.col - 1 + written.length), written, `${m[0]} at ${p.line}:${p.col}`);
  }
});
