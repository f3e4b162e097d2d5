import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError, LineMap } from '../../../src/diagnostics';
import { tokenize } from '../../../src/camkes/lexer';

function toks(text: string): string[] {
  const m = new LineMap('t.camkes', text);
  return tokenize(text, (o) => m.pos(o)).map((t) => `${t.kind}:${t.text}`);
}

function lexFails(text: string): string {
  const m = new LineMap('t.camkes', text);
  try {
    tokenize(text, (o) => m.pos(o));
  } catch (e) {
    assert.ok(e instanceof DiagnosticError);
    const d = e.diagnostics[0];
    return `${d.pos.line}:${d.pos.col}: ${d.message}`;
  }
  assert.fail(`expected a lexical error for ${JSON.stringify(text)}`);
}

test('keywords are reserved; Buf is a keyword too; other words are identifiers', () => {
  assert.deepEqual(toks('to from Buf foo _x Bär'), ['kw:to', 'kw:from', 'kw:Buf', 'id:foo', 'id:_x', 'id:Bär', 'eof:']);
});

test('numbers: hex, decimal, float; 0X, exponents and suffixes split into separate tokens', () => {
  assert.deepEqual(toks('0x1F 42 1.5 0'), ['int:0x1F', 'int:42', 'float:1.5', 'int:0', 'eof:']);
  assert.deepEqual(toks('0X1F'), ['int:0', 'id:X1F', 'eof:']);
  assert.deepEqual(toks('1e5 10UL .5'), ['int:1', 'id:e5', 'int:10', 'id:UL', 'punct:.', 'int:5', 'eof:']);
  assert.deepEqual(toks('1.x'), ['int:1', 'punct:.', 'id:x', 'eof:']);
});

test('strings have no escapes and may span lines', () => {
  assert.deepEqual(toks('"a\\b\nc" "d"'), ['string:a\\b\nc', 'string:d', 'eof:']);
  // `"a\"b"` is the string `a\`, then `b`, then an unterminated string (VERIFIED-RUN upstream)
  assert.equal(lexFails('"a\\"b"'), `1:6: Illegal character in input: '"' (unterminated string)`);
});

test('angle strings only after import and include', () => {
  assert.deepEqual(toks('import <std_connector.camkes>;'), ['kw:import', 'angle:std_connector.camkes', 'punct:;', 'eof:']);
  assert.deepEqual(toks('include <sys/types.h>;'), ['kw:include', 'angle:sys/types.h', 'punct:;', 'eof:']);
  assert.deepEqual(toks('a <b> c'), ['id:a', 'punct:<', 'id:b', 'punct:>', 'id:c', 'eof:']);
});

test('two-character punctuation wins over one-character', () => {
  assert.deepEqual(toks('<- -> << >> <= >= == != && || **'),
    ['<-', '->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '**'].map((p) => `punct:${p}`).concat('eof:'));
});

test('comments: //, /* */ and # to end of line (cpp line markers)', () => {
  assert.deepEqual(toks('# 1 "x.camkes"\na // c\n/* b\n */ c # d\ne'), ['id:a', 'id:c', 'id:e', 'eof:']);
});

test('positions come from posOf, so they can map through the preprocessor', () => {
  const text = 'a\n  b';
  const t = tokenize(text, (o) => ({ file: 'orig.camkes', line: 100 + o, col: 7 }));
  assert.deepEqual(t.map((x) => x.pos), [
    { file: 'orig.camkes', line: 100, col: 7 },
    { file: 'orig.camkes', line: 104, col: 7 },
    { file: 'orig.camkes', line: 105, col: 7 },
  ]);
});

test('lexical errors are positioned DiagnosticErrors with upstream wording', () => {
  assert.equal(lexFails('a\n  @'), "2:3: Illegal character in input: '@'");
  assert.equal(lexFails('a "open'), `1:3: Illegal character in input: '"' (unterminated string)`);
  assert.equal(lexFails('/* open'), "1:1: Illegal character in input: '/' (unterminated comment)");
  assert.equal(lexFails('ünder'), "1:1: Illegal character in input: 'ü'");
  assert.equal(lexFails('\u0001'), "1:1: Illegal character in input: '\\x01'");
});
