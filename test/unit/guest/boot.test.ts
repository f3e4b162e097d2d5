import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trace } from '../../../src/sel4';
import { createBuildrootGuest } from '../../../src/guest';
import { FakeMachine, Runner } from './fake-machine';
import { boot, TUTORIAL_FILES } from './helpers';

test('minimal guest boots to the login prompt, logs in with a Password: line, shows the # prompt', () => {
  const m = new FakeMachine({ cmdline: 'console=ttyS0,115200 i8042.nokbd=y' });
  const trace = new Trace(() => m.time);
  const guest = createBuildrootGuest({ generation: 'none', trace });
  assert.equal(guest.status().phase, 'off');
  const r = new Runner(m, guest);
  r.settle();
  assert.ok(m.output.endsWith('\nWelcome to Buildroot\nbuildroot login: '), m.output);
  assert.equal(guest.status().phase, 'login');
  const prompt = trace.filter((e) => e.op === 'login-prompt')[0];
  assert.equal(prompt.layer, 'guest-process');
  assert.ok(prompt.time > 12e9 && prompt.time < 13e9, `login prompt near 12 s (${prompt.time})`);
  r.typeLine('root');
  assert.ok(m.output.endsWith('buildroot login: root\nPassword: '));
  assert.equal(guest.status().phase, 'password');
  r.typeLine('root');
  assert.ok(m.output.endsWith('Password: \n# '), 'the password is not echoed');
  assert.equal(guest.status().phase, 'shell');
  assert.equal(trace.filter((e) => e.op === 'shell-prompt').length, 1);
});

test('a wrong password: 3 s delay, Login incorrect, the login prompt again', () => {
  const m = new FakeMachine();
  const r = new Runner(m, createBuildrootGuest({ generation: 'none' }));
  r.settle();
  r.typeLine('root');
  const t0 = m.time;
  r.typeLine('wrong');
  assert.ok(m.output.endsWith('Password: \nLogin incorrect\nbuildroot login: '));
  assert.ok(m.time - t0 >= 3e9);
});

test('console loglevel: the default 7 shows KERN_INFO module lines, quiet hides them (dmesg keeps them)', () => {
  const shown = boot({ generation: 1, files: TUTORIAL_FILES() }, new FakeMachine({ cmdline: 'console=ttyS0' }), undefined, false);
  assert.ok(shown.m.output.includes('] dataport initialized with major number 244\n'));
  const quiet = boot({ generation: 1, files: TUTORIAL_FILES() }, new FakeMachine({ cmdline: 'console=ttyS0 quiet' }));
  assert.ok(!quiet.m.output.includes('dataport initialized'));
  assert.match(quiet.run('dmesg'), /\] dataport initialized with major number 244\n/);
});

test('boot is deterministic: same inputs, same console and trace byte for byte', () => {
  const once = () => {
    const m = new FakeMachine();
    const trace = new Trace(() => m.time);
    const b = boot({ generation: 1, files: TUTORIAL_FILES(), trace }, m);
    b.run('print_client a b & sleep 2; ls /dev');
    return m.output + trace.serialise();
  };
  assert.equal(once(), once());
});

test('the uname and ls applets and the rootfs layout', () => {
  const b = boot({ generation: 1, files: TUTORIAL_FILES(), kernelVersion: '4.8.16' });
  assert.equal(b.run('uname -r'), 'uname -r\n4.8.16\n# ');
  assert.match(b.run('ls /usr/sbin'), /consumes_event_init {2}consumes_event_wait {2}dataport_init {2}dataport_read {2}dataport_write {2}emits_event_emit {2}emits_event_init {2}print_client {2}string_reverse\n/);
  assert.match(b.run('ls /lib/modules/4.8.16/kernel/drivers/vmm'), /consumes_event\.ko {2}dataport\.ko {2}emits_event\.ko\n/);
});

test('a command line longer than one tty read is still one command (ash reads its input as a stream)', () => {
  const b = boot({ generation: 1, files: TUTORIAL_FILES(), kernelVersion: '4.8.16' });
  const words = Array.from({ length: 400 }, (_, i) => `w${i % 10}xy`).join(' ');
  const out = b.run(`echo ${words}`);
  assert.equal(out, `echo ${words}\n${words}\n# `);
  assert.equal(b.run('echo $?'), 'echo $?\n0\n# ');
});

test('unknown programs in the overlay are rejected at construction', () => {
  assert.throws(() => createBuildrootGuest({ generation: 1, files: new Map([['/usr/sbin/x', { program: 'nope' }]]) }), /unknown program 'nope'/);
});
