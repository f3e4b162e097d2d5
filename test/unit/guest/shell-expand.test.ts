import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError } from '../../../src/diagnostics';
import { busyboxEcho, expandWord, expandWordToString, parseShell, splitFields, type ExpansionEnv, type SimpleCommand } from '../../../src/guest/shell';

const bytes = (...args: string[]): number[] => [...busyboxEcho(args)];
const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];

const ECHO: [string[], number[]][] = [
  [['hello', 'world'], ascii('hello world\n')],
  [['-n', 'x'], ascii('x')],
  [['-ne', 'This is a test user string\\n\\0'], [...ascii('This is a test user string\n'), 0]],
  [['a\\nb'], ascii('a\\nb\n')], // no -e: backslashes are printed
  [['-e', 'a\\tb\\\\c'], ascii('a\tb\\c\n')],
  [['-e', 'a\\cb', 'c'], ascii('a')], // \c stops everything, newline included
  [['-e', '\\0101\\101\\01'], [0o101, 0o101, 1, 10]],
  [['-e', '\\x41\\x4g\\xZ'], [0x41, 4, 0x67, 0, 0x5a, 10]],
  [['-e', '\\777'], [0o77, 0x37, 10]], // a third digit that would exceed 255 is not taken
  [['-e', '\\q\\'], [0x5c, 0x71, 0x5c, 10]],
  [['-e', '\\a\\b\\e\\f\\r\\v'], [7, 8, 27, 12, 13, 11, 10]],
  [['-'], ascii('-\n')],
  [['--', '-n'], ascii('-- -n\n')],
  [['-nx', 'y'], ascii('-nx y\n')],
  [['-n', '-e', '-E', '\\n'], ascii('\\n')],
  [['-e', 'é'], [0xc3, 0xa9, 10]],
  [[], [10]],
];

for (const [args, want] of ECHO) {
  test(`busyboxEcho ${JSON.stringify(args)}`, () => assert.deepEqual(bytes(...args), want));
}

function words(line: string): SimpleCommand['words'] {
  return (parseShell(line, 't').body.items[0].command.first.commands[0] as SimpleCommand).words;
}
const env = (vars: Record<string, string>, positional: string[] = []): ExpansionEnv => ({ get: (n) => vars[n], positional });

test('field splitting applies to unquoted expansions only', () => {
  const e = env({ x: ' a  b ', e: '' });
  assert.deepEqual(words('c $x "$x" a"$x"b $e "$e" \'$x\' \\$x').map((w) => expandWord(w, e)), [
    ['c'], ['a', 'b'], [' a  b '], ['a a  b b'], [], [''], ['$x'], ['$x'],
  ]);
  assert.deepEqual(splitFields('a::b : c', ':'), ['a', '', 'b ', ' c']);
  assert.deepEqual(splitFields(' a : b ', ' :'), ['a', 'b']);
  assert.deepEqual(expandWord(words('c $x')[1], env({ x: 'a:b', IFS: ':' })), ['a', 'b']);
  assert.deepEqual(expandWord(words('c $x')[1], env({ x: 'a b', IFS: '' })), ['a b']);
});

test('parameter expansion: defaults, errors, lengths, pattern removal, specials', () => {
  const e = env({ f: '/dev/uio0.txt.bak', '?': '0', $: '42' }, ['one', 'two']);
  const ex = (s: string): string[] => expandWord(words(`c ${s}`)[1], e);
  assert.deepEqual(ex('${u:-def}'), ['def']);
  assert.deepEqual(ex('${f:+set}'), ['set']);
  assert.deepEqual(ex('${#f}'), ['17']);
  assert.deepEqual(ex('${f%.*}'), ['/dev/uio0.txt']);
  assert.deepEqual(ex('${f%%.*}'), ['/dev/uio0']);
  assert.deepEqual(ex('${f#*/}'), ['dev/uio0.txt.bak']);
  assert.deepEqual(ex('${f##*/}'), ['uio0.txt.bak']);
  assert.deepEqual(ex('$?$$$#$1${2}'), ['042' + '2' + 'onetwo']);
  assert.deepEqual(ex('"$*"'), ['one two']);
  const set: Record<string, string> = {};
  assert.deepEqual(expandWord(words('c ${n:=v}')[1], { get: (n) => set[n], set: (n, v) => { set[n] = v; }, positional: [] }), ['v']);
  assert.equal(set.n, 'v');
  assert.throws(() => ex('${u:?}'), (err: unknown) => err instanceof DiagnosticError && err.message === 't:1:3: error: u: parameter not set or null');
  assert.throws(() => ex('${u?no device}'), (err: unknown) => err instanceof DiagnosticError && err.message === 't:1:3: error: u: no device');
  assert.throws(() => ex('$(true)'), (err: unknown) => err instanceof DiagnosticError && /command substitution is not available/.test(err.message));
  assert.throws(() => ex('$((1/0))'), (err: unknown) => err instanceof DiagnosticError && err.message === 't:1:3: error: divide by zero');
  assert.equal(expandWordToString(words('c "$@"x')[1], e), 'one twox');
});
