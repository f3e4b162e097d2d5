import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flat, pp, tokens } from './cpp-helpers';

test('object-like and function-like macros, nested', () => {
  assert.equal(flat('#define N 4\n#define SQ(x) ((x)*(x))\n#define CUBE(x) (SQ(x)*(x))\nCUBE(N)'), '( ( ( 4 ) * ( 4 ) ) * ( 4 ) )');
});

test('a function-like macro name not followed by ( is left alone', () => {
  assert.equal(flat('#define f(x) [x]\nf + f (1) f\n(2)'), 'f + [ 1 ] [ 2 ]');
});

test('arguments may span lines and hold parenthesised commas', () => {
  assert.equal(flat('#define F(a, b) a|b\nF((1,\n2),\n  3)'), '( 1 , 2 ) | 3');
});

test('# stringizes the spelling, escaping strings and normalising whitespace', () => {
  assert.equal(pp('#define S(x) #x\nS(  a   +\n  "q\\n" \'c\'  )').text.trim(), '"a + \\"q\\\\n\\" \'c\'"');
  assert.equal(pp('#define S(x) #x\n#define X(x) S(x)\n#define V 42\nS(V) X(V)').text.trim(), '"V" "42"');
});

test('## pastes, including empty arguments (placemarkers)', () => {
  assert.equal(flat('#define C(a, b) a ## b\nC(vm, 0) C(, x) C(y, ) C(,) C(1, 2)'), 'vm0 x y 12');
  assert.equal(flat('#define C3(a, b, c) a ## b ## c\nC3(p, , q)'), 'pq');
});

test('__VA_ARGS__, GNU named variadics and the `, ## __VA_ARGS__` comma elision', () => {
  assert.equal(flat('#define P(fmt, ...) f(fmt, __VA_ARGS__)\nP(1, 2, 3)'), 'f ( 1 , 2 , 3 )');
  assert.equal(flat('#define P(fmt, args...) f(fmt , ## args)\nP(1) P(1,) P(1, 2, 3)'), 'f ( 1 ) f ( 1 , ) f ( 1 , 2 , 3 )');
  assert.equal(flat('#define Q(...) g(x , ## __VA_ARGS__)\nQ() Q(y)'), 'g ( x ) g ( x , y )');
});

test('recursion protection: a macro is not re-expanded inside its own expansion', () => {
  assert.equal(flat('#define foo foo bar\nfoo'), 'foo bar');
  assert.equal(flat('#define AA BB\n#define BB AA\nAA BB'), 'AA BB');
  // C11 6.10.3.5 EXAMPLE 3 (first line): the painted f inside stays unexpanded.
  assert.equal(flat('#define x 2\n#define f(a) f(x * (a))\n#define z z[0]\nf(f(z))'), 'f ( 2 * ( f ( 2 * ( z [ 0 ] ) ) ) )');
});

test('#include "..." looks next to the includer, then -I; <...> looks in -I then built-in dirs', () => {
  const files = {
    'sub/a.h': '#include "b.h"\nA',
    'sub/b.h': 'B_SUB',
    'inc/b.h': 'B_INC',
    'inc/c.h': 'C_INC',
    'builtin/c.h': 'C_BUILTIN',
    'builtin/d.h': 'D_BUILTIN',
  };
  const opts = { includePaths: ['inc'], builtinIncludeDirs: ['builtin'] };
  assert.equal(flat('#include "sub/a.h"\n#include <c.h>\n#include <d.h>', files, opts), 'B_SUB A C_INC D_BUILTIN');
  const r = pp('#include "sub/a.h"\n#include <c.h>\n#include <c.h>', files, opts);
  assert.deepEqual(r.includes, ['sub/a.h', 'sub/b.h', 'inc/c.h']);
});

test('#include with a macro-expanded name', () => {
  assert.equal(flat('#define H <x.h>\n#define Q "y.h"\n#include H\n#include Q', { 'inc/x.h': 'X', 'y.h': 'Y' }, { includePaths: ['inc'] }), 'X Y');
});

test('include guards and #pragma once keep a header to one copy', () => {
  const files = { 'g.h': '#ifndef G_H\n#define G_H\nGUARDED\n#endif', 'o.h': '#pragma once\nONCE' };
  assert.equal(flat('#include "g.h"\n#include "g.h"\n#include "o.h"\n#include "o.h"', files), 'GUARDED ONCE');
});

test('conditionals: #if/#elif/#else/#endif, #ifdef/#ifndef, nesting, skipped groups are not evaluated', () => {
  const src = ['#define A 1', '#if A == 2', 'no', '#elif A', 'yes1', '#else', 'no', '#endif',
    '#ifdef A', 'yes2', '#endif', '#ifndef A', 'no', '#else', 'yes3', '#endif',
    '#if 0', '#if 1/0', '#bogus directive', '#endif', '#elif 1', 'yes4', '#elif 1/0', '#endif'].join('\n');
  assert.equal(flat(src), 'yes1 yes2 yes3 yes4');
});

test('#if: defined, defined(X), macros, and identifiers that are not macros (0)', () => {
  const src = '#define X\n#define Y 3\n#define D defined(X)\n#if defined X && defined(Y) && !defined Z && D && Y == 3 && UNKNOWN == 0\nok\n#endif';
  assert.equal(flat(src), 'ok');
});

test('#if: full C integer arithmetic (intmax_t / uintmax_t)', () => {
  const cases: [string, boolean][] = [
    ['1 + 2 * 3 == 7', true], ['(1 + 2) * 3 == 9', true], ['7 / 2 == 3 && -7 / 2 == -3 && -7 % 2 == -1', true],
    ['0x1F == 31 && 017 == 15 && 0b101 == 5', true], ['10u == 10 && 5ULL == 5 && 3l == 3', true],
    ['-1 < 0', true], ['-1 < 0u', false], ['(0 ? 1u : -1) > 0', true], ['~0u == 0xffffffffffffffff', true],
    ['1 << 4 == 16 && 256 >> 4 == 16 && -16 >> 2 == -4', true], ['(5 & 3) == 1 && (5 | 3) == 7 && (5 ^ 3) == 6', true],
    ["'a' == 97 && '\\n' == 10 && '\\x41' == 65 && '\\101' == 65 && '\\377' == -1", true],
    ['!0 && !!5 && -(-3) == 3 && +2 == 2', true], ['1 ? 2 : 3', true], ['0 ? 2 : 0', false],
    ['0 && 1 / 0', false], ['1 || 1 / 0', true], ['(1, 0)', false], ['9223372036854775807 + 1 < 0', true],
  ];
  for (const [e, want] of cases) assert.equal(flat(`#if ${e}\nT\n#else\nF\n#endif`), want ? 'T' : 'F', e);
});

test('-D NAME, -D NAME=VALUE, -D F(x)=..., -U and #undef', () => {
  const opts = { defines: ['ON', 'V=7', 'F(x)=[x]', 'GONE=1'], undefines: ['GONE'] };
  assert.equal(flat('ON V F(2) GONE\n#undef V\nV', {}, opts), '1 7 [ 2 ] GONE V');
  assert.equal(flat('TK1DEVICEFWD', {}, { defines: { TK1DEVICEFWD: 0, FLAG: true } }), '0');
});

test('predefined: __FILE__, __LINE__ (line of the outermost invocation), CAMKES_TOOL_PROCESSING', () => {
  const files = { 'h.h': '__FILE__ __LINE__' };
  assert.equal(flat('#define L __LINE__\n__FILE__\n\nL __LINE__\n#include "h.h"\nCAMKES_TOOL_PROCESSING', files), '"main.camkes" 4 4 "h.h" 1 1');
  assert.equal(flat('#define f(x) x __LINE__\nf(\n__LINE__\n)'), '3 2');
});

test('#line changes __LINE__, __FILE__ and the positions of what follows', () => {
  const r = pp('#line 100 "orig.camkes"\nA __LINE__ __FILE__\nB');
  assert.equal(tokens(r.text).join(' '), 'A 100 "orig.camkes" B');
  assert.deepEqual(r.map.pos(r.text.indexOf('B')), { file: 'orig.camkes', line: 101, col: 1 });
});

test('comments are removed (also inside macro bodies and lists); strings and chars are untouched', () => {
  // Splicing comes first, so a // comment ending in a backslash swallows the next line too.
  const src = '#define L [1, /* one */ 2, /* two\\\n */ 3] // end \\\n still comment\nL "a /* not */ // b" \'/\' /*\nmulti\n*/ end';
  assert.equal(flat(src), '[ 1 , 2 , 3 ] "a /* not */ // b" \'/\' end');
});

test('line continuations join lines, also inside a string in a #define', () => {
  assert.equal(pp('#define CMD "a b \\\nc d"\nCMD').text.trim(), '"a b c d"');
  assert.equal(flat('#def\\\nine X \\\n  1\nX'), '1');
});

test('#warning and unterminated quotes are warnings, not errors', () => {
  const r = pp("#warning careful now\nit's");
  assert.deepEqual(r.warnings.map((w) => `${w.pos.line}:${w.pos.col} ${w.message}`), ['1:2 #warning careful now', "2:3 missing terminating ' character"]);
  assert.equal(r.text.trim(), "it's");
});

test('a redefinition that differs is warned about, an identical one is not', () => {
  assert.deepEqual(pp('#define A 1\n#define A 1\n#define A  1').warnings, []);
  const w = pp('#define A 1\n#define A 2\nA').warnings;
  assert.equal(w.length, 1);
  assert.equal(w[0].message, '"A" redefined');
  assert.deepEqual(w[0].notes?.[0].pos, { file: 'main.camkes', line: 1, col: 9 });
});

test('a CAmkES file shaped like the VM apps preprocesses to component items', () => {
  const files = {
    'vm/configurations/vm.h': [
      '#define VAR_STRINGIZE(...) #__VA_ARGS__',
      '#define VM_INIT_DEF() control; uses FileServerInterface fs;',
      '#define VM_PER_VM_COMP_DEF(num) component Init##num vm##num; \\',
      '  connection seL4RPCDataport fs##num(from vm##num.fs, to fserv.fs_ctrl);',
      '#define VM_PER_VM_CONFIG_DEF(num) vm##num.serial_getchar_attributes = VAR_STRINGIZE(num);',
    ].join('\n'),
  };
  const src = '#include <configurations/vm.h>\ncomponent Init0 { VM_INIT_DEF() }\nassembly { composition { VM_PER_VM_COMP_DEF(0) } configuration { VM_PER_VM_CONFIG_DEF(0) } }';
  assert.equal(
    flat(src, files, { includePaths: ['vm'] }),
    'component Init0 { control ; uses FileServerInterface fs ; } assembly { composition { component Init0 vm0 ; connection seL4RPCDataport fs0 ( from vm0 . fs , to fserv . fs_ctrl ) ; } configuration { vm0 . serial_getchar_attributes = "0" ; } }',
  );
});
