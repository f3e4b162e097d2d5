import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { busyboxEcho, expandWord, expandWordToString, parseShell, type Command, type Program, type SimpleCommand } from '../../../src/guest/shell';

const FIX = join(__dirname, '../../fixtures/shell');
const read = (name: string): string => readFileSync(join(FIX, name), 'utf8');
const noEnv = { get: () => undefined, positional: [] as string[] };

function simple(c: Command): SimpleCommand {
  assert.equal(c.kind, 'simple');
  return c as SimpleCommand;
}
/** Each top-level item's first command, as [line, argv after quote removal]. */
function commands(p: Program): [number, string[]][] {
  return p.body.items.map((i) => {
    const c = simple(i.command.first.commands[0]);
    return [c.pos.line, c.words.flatMap((w) => expandWord(w, noEnv))];
  });
}

for (const seed of ['camkes_init.seed000', 'camkes_init.seed001', 'camkes_init.seed002']) {
  test(`tutorial camkes_init (${seed}, verbatim) parses to the three init commands`, () => {
    const p = parseShell(read(seed), 'S90camkes_init');
    assert.deepEqual(commands(p).map(([, argv]) => argv), [
      ['dataport_init', '/dev/camkes_data', '4096'],
      ['consumes_event_init', '/dev/camkes_done_printing'],
      ['emits_event_init', '/dev/camkes_do_print'],
    ]);
  });
}

test('camkes_init commands keep their script lines (seed 002 layout)', () => {
  const p = parseShell(read('camkes_init.seed002'), 'S90camkes_init');
  assert.deepEqual(commands(p).map(([line]) => line), [7, 11, 12]);
  assert.equal(p.body.items[0].pos.file, 'S90camkes_init');
});

test('S91crossvm_test: set -e, the echo | dataport_write pipeline and a background wait', () => {
  const p = parseShell(read('S91crossvm_test'), 'S91crossvm_test');
  const items = p.body.items;
  assert.equal(items.length, 9);
  assert.deepEqual(commands(p)[0], [4, ['set', '-e']]);
  const pipe = items[2].command.first;
  assert.equal(pipe.commands.length, 2);
  const echo = simple(pipe.commands[0]).words.flatMap((w) => expandWord(w, noEnv));
  // In double quotes \n and \0 stay as backslash sequences; echo -e turns them into bytes.
  assert.deepEqual(echo, ['echo', '-ne', 'This is a test user string\\n\\0']);
  assert.deepEqual([...busyboxEcho(echo.slice(1))].slice(-3), [0x67, 0x0a, 0x00]);
  assert.deepEqual(simple(pipe.commands[1]).words.map((w) => w.text), ['dataport_write', '/dev/uio0', '4096']);
  assert.deepEqual(items.map((i) => i.background), [false, false, false, false, true, false, false, false, false]);
  assert.deepEqual(commands(p)[8], [13, ['echo', 'Finished crossvm test script']]);
});

test('init_template: exec redirections carry their descriptors; "$@" stays one quoted word', () => {
  const p = parseShell(read('init_template'), 'init');
  const execs = p.body.items.slice(5, 8).map((i) => simple(i.command.first.commands[0]).redirects[0]);
  assert.deepEqual(execs.map((r) => [r.op, r.fd, r.target.text]), [['<', 0, '/dev/console'], ['>', 1, '/dev/console'], ['>', 2, '/dev/console']]);
  const last = simple(p.body.items[8].command.first.commands[0]);
  assert.deepEqual(last.words.map((w) => w.text), ['exec', '/sbin/init', '"$@"']);
  assert.deepEqual(expandWord(last.words[2], { get: () => undefined, positional: ['a b', 'c'] }), ['a b', 'c']);
  assert.deepEqual(expandWord(last.words[2], noEnv), []);
  assert.equal(parseShell(read('S90crossvm_module_init'), 'S90').body.items.length, 1);
});

test('every command typed at the # prompt in the documents parses on its own', () => {
  const lines = read('prompt_commands.txt').split('\n').filter(Boolean);
  const argvs = lines.map((l, k) => commands(parseShell(l, `prompt:${k + 1}`))[0][1]);
  assert.deepEqual(argvs[1], ['grep', 'poke', '/proc/devices']); // the trailing comment is dropped
  assert.deepEqual(argvs[6], ['print_client', 'hello', 'world']);
  const echo = simple(parseShell(lines[3], 'prompt').body.items[0].command.first.commands[0]);
  assert.deepEqual([echo.words.length, echo.redirects[0].op, echo.redirects[0].target.text], [1, '>', '/dev/poke']);
});

test('compound commands, functions, assignments and here-docs have the expected structure', () => {
  const p = parseShell([
    'A=1 B="x y" cmd $A',
    'f() { echo "$1"; }',
    'if [ -e /dev/uio0 ]; then echo yes; elif false; then :; else echo no; fi',
    'for d in uio0 uio1; do echo $d; done',
    'while ! false; do break; done 2>/dev/null',
    'case $x in a|b) echo ab;; (*) ;; esac',
    '( cd / && ls ) | wc -l',
    'cat <<EOF',
    'value $A',
    'EOF',
    'cat <<-\'END\'',
    '\tliteral $A',
    '\tEND',
  ].join('\n'), 'script');
  const [a, f, i, fo, w, c, sub, h1, h2] = p.body.items.map((x) => x.command.first.commands[0]);
  const s = simple(a);
  assert.deepEqual(s.assignments.map((x) => [x.name, x.value.text]), [['A', '1'], ['B', '"x y"']]);
  assert.equal(f.kind === 'function' && f.name, 'f');
  assert.ok(i.kind === 'if' && i.branches.length === 2 && i.elseBody?.items.length === 1);
  assert.ok(fo.kind === 'for' && fo.variable === 'd' && fo.items?.map((x) => x.text).join() === 'uio0,uio1');
  assert.ok(w.kind === 'while' && !w.until && w.redirects[0].fd === 2 && w.condition.items[0].command.first.bang);
  assert.ok(c.kind === 'case' && c.items.length === 2 && c.items[0].patterns.length === 2 && c.items[1].body === undefined);
  assert.equal(sub.kind, 'subshell');
  assert.equal(p.body.items[6].command.first.commands.length, 2);
  const env = { get: (n: string) => (n === 'A' ? '7' : undefined), positional: [] };
  const d1 = simple(h1).redirects[0].heredoc!;
  assert.equal(d1.expand, true);
  assert.equal(expandWordToString(d1.body, env), 'value 7\n');
  const d2 = simple(h2).redirects[0].heredoc!;
  assert.deepEqual([d2.expand, d2.body.parts[0].kind === 'single' && d2.body.parts[0].value], [false, 'literal $A\n']);
});

test('$(...), backquotes and $((...)) nest and keep positions', () => {
  const p = parseShell('echo $(echo "$(cat f)") `date` $((1 + (2 << 3)))', 'x');
  const words = simple(p.body.items[0].command.first.commands[0]).words;
  const sub = words[1].parts[0];
  assert.ok(sub.kind === 'command' && !sub.backquote && sub.program.body.items.length === 1);
  assert.ok(words[2].parts[0].kind === 'command' && words[2].parts[0].backquote);
  assert.deepEqual(words[2].parts[0].pos, { file: 'x', line: 1, col: 25 });
  assert.deepEqual(expandWord(words[3], noEnv), ['17']);
  const run = { ...noEnv, commandSubstitution: () => 'out put\n\n' };
  assert.deepEqual(expandWord(words[1], run), ['out', 'put']); // unquoted: split, trailing newlines removed
  const quoted = (parseShell('echo "`date`"', 'x').body.items[0].command.first.commands[0] as SimpleCommand).words[1];
  assert.deepEqual(expandWord(quoted, run), ['out put']);
});
