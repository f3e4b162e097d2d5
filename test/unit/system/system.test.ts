import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSystem, exitStatus, Operator, readApp, runApp } from '../../../src/system';
import { fakeGuest } from './fake-guest';

test('runApp logs in and runs each command at the prompt; the console shows the session', () => {
  const r = runApp('apps/minimal', { board: 'pc99', commands: ['echo hi', 'true'], guest: fakeGuest });
  assert.deepEqual(r.outcome, { kind: 'completed', commands: [{ line: 'echo hi', status: 0 }, { line: 'true', status: 0 }] });
  assert.equal(exitStatus(r.outcome), 0);
  assert.deepEqual(r.console.slice(0, 6), ['Welcome to Buildroot', 'buildroot login: root', 'Password: ', '# echo hi', 'hi', '# true']);
});

test('a command exiting non-zero gives status 3', () => {
  const r = runApp('apps/minimal', { board: 'pc99', commands: ['false', 'true'], guest: fakeGuest });
  assert.equal(exitStatus(r.outcome), 3);
});

test('a VM that dies ends the session with status 4 after the VMM fatal message', () => {
  const r = runApp('apps/minimal', { board: 'pc99', commands: ['crash', 'true'], guest: fakeGuest });
  assert.equal(r.outcome.kind, 'vm-died');
  assert.equal(exitStatus(r.outcome), 4);
  assert.ok(r.console.includes('VM_FATAL_ERROR ::: vmexit handler return error'));
});

test('a guest that never finishes its command with nothing else to run is a deadlock with a report naming the VMM thread', () => {
  const r = runApp('apps/minimal', { board: 'pc99', commands: ['hang'], guest: fakeGuest });
  assert.equal(r.outcome.kind, 'deadlock');
  assert.equal(exitStatus(r.outcome), 5);
  if (r.outcome.kind === 'deadlock') {
    assert.match(r.outcome.report, /^while waiting for `hang` to finish:\ndeadlock at t=/);
    assert.match(r.outcome.report, /thread "vm0:vmm" waits in seL4_Wait on "vm0:vmm async"/);
  }
});

test('the same seed gives the same trace byte for byte', () => {
  const a = runApp('apps/minimal', { board: 'pc99', seed: 3, commands: ['echo x'], guest: fakeGuest });
  const b = runApp('apps/minimal', { board: 'pc99', seed: 3, commands: ['echo x'], guest: fakeGuest });
  assert.equal(a.system.sys.kernel.trace.serialise(), b.system.sys.kernel.trace.serialise());
});

test('app.yaml errors and board mismatches are positioned', () => {
  assert.throws(() => buildSystem('apps/minimal', { board: 'qemu-arm-virt', guest: fakeGuest }), /apps\/minimal\/app.yaml:\d+:\d+: error: app 'minimal' does not target board 'qemu-arm-virt'/);
  assert.throws(() => readApp('apps'), /no app.yaml in apps/);
});

test('the operator needs a VM', () => {
  const s = buildSystem('apps/pingpong', { board: 'pc99', guest: fakeGuest });
  assert.throws(() => new Operator(s, { commands: [] }), /has no VM/);
});

test('an app with no VM runs its components until they settle; --exec commands are a positioned error', () => {
  const r = runApp('apps/pingpong', { board: 'pc99', commands: [] });
  assert.deepEqual(r.outcome, { kind: 'completed', commands: [] });
  assert.equal(exitStatus(r.outcome), 0);
  assert.deepEqual(r.console, ['pong: got "ping 1"', 'ping: got "pong 1"', 'pong: got "ping 2"', 'ping: got "pong 2"', 'pong: got "ping 3"', 'ping: got "pong 3"', 'ping: done']);
  assert.throws(() => runApp('apps/pingpong', { board: 'pc99', commands: ['ls'] }), /apps\/pingpong\/app\.yaml:\d+:\d+: error: app 'pingpong' has no VM .*no guest shell to run --exec commands in/);
});
