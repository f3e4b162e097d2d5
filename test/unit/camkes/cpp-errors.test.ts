import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError, formatDiagnostic } from '../../../src/diagnostics';
import { pp } from './cpp-helpers';

/** The first diagnostic, formatted with its notes, that preprocessing `text` throws. */
function failure(text: string, files: Record<string, string> = {}, includePaths: string[] = []): string {
  try {
    pp(text, files, { includePaths });
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, `expected a DiagnosticError, got ${String(e)}`);
    return formatDiagnostic(e.diagnostics[0]);
  }
  assert.fail('expected a DiagnosticError');
}

test('#error stops with its text at the directive', () => {
  assert.equal(failure('ok\n#  error  need   TK1 "now"'), 'main.camkes:2:4: error: #error need TK1 "now"');
  assert.equal(failure('#if 0\n#error skipped\n#endif\n#ifdef NOPE\n#else\n#error taken\n#endif'), 'main.camkes:6:2: error: #error taken');
});

test('a missing include names the file and where it looked', () => {
  assert.equal(
    failure('\n#include <configurations/vm.h>', {}, ['inc', 'more']),
    "main.camkes:2:10: error: 'configurations/vm.h' file not found\nmain.camkes:2:10: note: searched: 'inc', 'more'",
  );
  assert.equal(failure('#include "x.h"'), "main.camkes:1:10: error: 'x.h' file not found\nmain.camkes:1:10: note: searched: '.'");
});

test('errors inside an included file point into that file', () => {
  assert.equal(failure('#include "h.h"', { 'h.h': 'ok\n\n  #error in header' }), 'h.h:3:4: error: #error in header');
});

test('conditional structure errors', () => {
  assert.equal(failure('x\n#if 1\ny'), 'main.camkes:2:1: error: unterminated #if');
  assert.equal(failure('#ifdef A\n#else'), 'main.camkes:1:1: error: unterminated #else');
  assert.equal(failure('#else'), 'main.camkes:1:2: error: #else without #if');
  assert.equal(failure('\n#endif'), 'main.camkes:2:2: error: #endif without #if');
  assert.equal(failure('#elif 1'), 'main.camkes:1:2: error: #elif without #if');
  assert.equal(failure('#if 1\n#else\n#else\n#endif'), 'main.camkes:3:2: error: #else after #else\nmain.camkes:1:1: note: the conditional began here');
  assert.equal(failure('#if 0\n#else\n#elif 1\n#endif'), 'main.camkes:3:2: error: #elif after #else\nmain.camkes:1:1: note: the conditional began here');
  assert.equal(failure('#include "h.h"\n#endif', { 'h.h': '#if 1' }), 'h.h:1:1: error: unterminated #if');
});

test('#if expression errors', () => {
  assert.equal(failure('#if\n#endif'), 'main.camkes:1:2: error: #if with no expression');
  assert.equal(failure('#if 1 / 0\n#endif'), 'main.camkes:1:7: error: division by zero in #if');
  assert.equal(failure('#if (1 + 2\n#endif'), "main.camkes:1:5: error: missing ')' in expression");
  assert.equal(failure('#if 1 2\n#endif'), 'main.camkes:1:7: error: missing binary operator before token "2"');
  assert.equal(failure('#if 1 +\n#endif'), "main.camkes:1:7: error: operator '+' has no right operand");
  assert.equal(failure('#if defined(\n#endif'), 'main.camkes:1:5: error: operator "defined" requires an identifier');
  assert.equal(failure('#if defined(X\n#endif'), `main.camkes:1:13: error: missing ')' after "defined"`);
  assert.equal(failure('#if 1.5\n#endif'), 'main.camkes:1:5: error: floating constant in preprocessor expression');
  assert.equal(failure('#if 12abc\n#endif'), 'main.camkes:1:5: error: invalid suffix "abc" on integer constant');
  assert.equal(failure('#if 08\n#endif'), 'main.camkes:1:5: error: invalid digit "8" in octal constant');
  assert.equal(failure('#if "s"\n#endif'), 'main.camkes:1:5: error: token ""s"" is not valid in preprocessor expressions');
  assert.equal(failure('#if 1 ? 2\n#endif'), "main.camkes:1:7: error: '?' without following ':'");
  assert.equal(failure("#if ''\n#endif"), 'main.camkes:1:5: error: empty character constant');
  // An error in text produced by a macro is reported at the macro's use.
  assert.equal(failure('#define BAD 1 / 0\n#if 1 + \\\n   BAD\n#endif'), 'main.camkes:3:4: error: division by zero in #if');
});

test('macro invocation errors', () => {
  assert.equal(failure('#define F(a, b) a\nx F(1,\n2'), 'main.camkes:2:3: error: unterminated argument list invoking macro "F"');
  assert.equal(
    failure('#define F(a, b) a\n  F(1)'),
    'main.camkes:2:3: error: macro "F" requires 2 arguments, but only 1 given\nmain.camkes:1:9: note: macro "F" defined here',
  );
  assert.equal(
    failure('#define F(a) a\nF(1, 2)'),
    'main.camkes:2:1: error: macro "F" passed 2 arguments, but takes just 1\nmain.camkes:1:9: note: macro "F" defined here',
  );
  assert.equal(failure('#define P(a, b) a ## b\n\n P(+, -)'), 'main.camkes:3:2: error: pasting "+" and "-" does not give a valid preprocessing token');
});

test('#define errors', () => {
  assert.equal(failure('#define'), 'main.camkes:1:2: error: no macro name given in #define directive');
  assert.equal(failure('#define 3 x'), 'main.camkes:1:9: error: macro names must be identifiers');
  assert.equal(failure('#define defined'), 'main.camkes:1:9: error: "defined" cannot be used as a macro name');
  assert.equal(failure('#define F(a, a) a'), 'main.camkes:1:14: error: duplicate macro parameter "a"');
  assert.equal(failure('#define F(a b) a'), `main.camkes:1:13: error: expected ',' or ')', found "b"`);
  assert.equal(failure('#define F(a'), "main.camkes:1:11: error: expected ')' before end of line");
  assert.equal(failure('#define S(a) #b'), "main.camkes:1:14: error: '#' is not followed by a macro parameter");
  assert.equal(failure('#define P(a) ## a'), "main.camkes:1:14: error: '##' cannot appear at either end of a macro expansion");
  assert.equal(failure('#define P a ##'), "main.camkes:1:13: error: '##' cannot appear at either end of a macro expansion");
});

test('lexical and directive errors', () => {
  assert.equal(failure('a /* never\nclosed'), 'main.camkes:1:3: error: unterminated comment');
  assert.equal(failure('\n  #frobnicate now'), 'main.camkes:2:4: error: invalid preprocessing directive #frobnicate');
  assert.equal(failure('#include'), 'main.camkes:1:2: error: #include expects "FILENAME" or <FILENAME>');
  assert.equal(failure('#line x'), 'main.camkes:1:7: error: "x" after #line is not a positive integer');
  assert.match(failure('#include "self.h"', { 'self.h': '#include "self.h"' }), /^self\.h:1:2: error: #include nested depth 200 exceeds maximum of 200/);
});
