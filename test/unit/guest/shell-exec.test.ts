import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trace } from '../../../src/sel4';
import type { GuestStep } from '../../../src/guest/kernel/kernel';
import type { Libc } from '../../../src/guest/kernel/libc';
import { FakeMachine } from './fake-machine';
import { boot } from './helpers';

/** A program that prints its stdin bytes as decimal numbers (to see NULs through a pipe). */
function* hexdump(c: Libc): GuestStep<number> {
  const bytes: number[] = [];
  for (;;) {
    const b = yield* c.read(0, 100);
    if (!b || !b.length) break;
    bytes.push(...b);
  }
  yield* c.printf(bytes.join(' ') + '\n');
  return 0;
}

function shell(files: Record<string, string> = {}) {
  const m = new FakeMachine();
  const trace = new Trace(() => m.time);
  const all = new Map<string, string | { program: string }>(Object.entries(files));
  all.set('/usr/bin/bytes', { program: 'bytes' });
  const b = boot({ generation: 'none', files: all, trace, programs: new Map([['bytes', hexdump]]) }, m);
  return { ...b, trace };
}

const body = (out: string): string => out.slice(out.indexOf('\n') + 1).replace(/# $/, '');

test('lists, && and ||, $?, if, for, while, variables', () => {
  const { run } = shell();
  assert.equal(body(run('false; echo $?; true && echo yes || echo no; false && echo a || echo b')), '1\nyes\nb\n');
  assert.equal(body(run('if false; then echo t; elif true; then echo e; else echo f; fi')), 'e\n');
  assert.equal(body(run('for x in 1 2 3; do echo -n $x; done; echo')), '123\n');
  assert.equal(body(run('i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo -n $i; done; echo')), '123\n');
  assert.equal(body(run('X=hello; echo "$X world" ${Y:-dflt} $(echo sub)')), 'hello world dflt sub\n');
});

test('pipes carry bytes: echo -ne with NUL through a pipe', () => {
  const { run } = shell();
  assert.equal(body(run('echo -ne "ab\\0c\\n" | bytes')), '97 98 0 99 10\n');
  assert.equal(body(run('echo one | cat | cat')), 'one\n');
});

test('redirections: > >> < 2>&1 and here-documents', () => {
  const { run } = shell();
  assert.equal(body(run('echo a > /tmp/f; echo b >> /tmp/f; cat < /tmp/f')), 'a\nb\n');
  assert.equal(body(run('cat /nonexistent 2>&1 | bytes')).split(' ').length > 5, true);
  assert.equal(body(run('cat /nonexistent; echo $?')), "cat: can't open '/nonexistent': No such file or directory\n1\n");
  // Typed ahead: the tty echoes all three lines, then the shell prints a PS2 prompt per line it reads.
  assert.equal(body(run('cat <<EOF\nhere $HOME\nEOF')), 'here $HOME\nEOF\n> > here /root\n');
});

test('background jobs and wait; $! is the job pid', () => {
  const { run, m } = shell();
  const t0 = m.time;
  const out = body(run('sleep 1 & sleep 1 & wait; echo done'));
  assert.match(out, /^\[1\] \d+\n\[2\] \d+\ndone\n$/);
  const elapsed = m.time - t0;
  assert.ok(elapsed >= 1e9 && elapsed < 1.5e9, `the two sleeps ran concurrently (${elapsed})`);
});

test('not found: 127 with busybox wording, interactively and in a script', () => {
  const { run } = shell({ '/tmp/s': '#!/bin/sh\necho first\nnosuch arg\necho after $?\n' });
  assert.equal(body(run('nosuch; echo $?')), '-sh: nosuch: not found\n127\n');
  assert.equal(body(run('sh /tmp/s')), 'first\n/tmp/s: line 3: nosuch: not found\nafter 127\n');
});

test('set -e stops a script at the first failing command, not in conditions', () => {
  const { run } = shell({ '/tmp/e': '#!/bin/sh\nset -e\nif false; then echo no; fi\nfalse || echo ok\necho before\nfalse\necho never\n' });
  assert.equal(body(run('sh /tmp/e; echo status $?')), 'ok\nbefore\nstatus 1\n');
});

test('a syntax error stops a script where ash would, after running the lines before it', () => {
  const { run } = shell({ '/tmp/x': '#!/bin/sh\necho ran\nfi\necho not\n' });
  assert.equal(body(run('sh /tmp/x; echo $?')), 'ran\n/tmp/x: line 3: syntax error: unexpected "fi"\n2\n');
  assert.equal(body(run('fi')), '-sh: syntax error: unexpected "fi"\n');
});

test('incomplete input continues on a PS2 line', () => {
  const { r, fresh } = shell();
  r.typeLine('if true');
  assert.equal(fresh(), 'if true\n> ');
  r.typeLine('then echo yes; fi');
  assert.equal(fresh(), 'then echo yes; fi\nyes\n# ');
});

test('every command exit and every prompt line is in the trace', () => {
  const { run, trace, guest } = shell();
  run('/bin/true; /bin/false; nosuch');
  const exits = trace.filter((e) => e.layer === 'guest-process' && e.op === 'exit').map((e) => [e.actor.replace(/pid \d+ /, ''), e.value]);
  assert.deepEqual(exits.slice(-2), [['vm0:true', 0], ['vm0:false', 1]]);
  const done = trace.filter((e) => e.op === 'command-done').pop()!;
  assert.equal(done.object, '/bin/true; /bin/false; nosuch');
  assert.equal(done.value, 127);
  assert.deepEqual(guest.status().commands.pop(), { line: '/bin/true; /bin/false; nosuch', status: 127 });
  assert.ok(trace.filter((e) => e.op === 'shell-prompt').length >= 2);
});
