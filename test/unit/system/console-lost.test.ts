// vm_multi end to end and the rule that a run whose console output is lost never passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SerialOutput } from '../../../src/camkes/runtime/serial';
import { buildSystem, EXIT_STATUS, exitStatus, Operator, runApp } from '../../../src/system';
import fc from 'fast-check';
import { ConsoleWatch } from '../../../src/system/console-watch';

const VM_MULTI = resolve('apps/vm_multi');

/** vm_multi as it was before its consoles were wired: no virtio options in settings.cmake. */
function unwiredVmMulti(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vm_multi-unwired-'));
  cpSync(VM_MULTI, dir, { recursive: true });
  const f = join(dir, 'settings.cmake');
  writeFileSync(f, readFileSync(f, 'utf8').split('\n').filter((l) => !/^set\(Vm/.test(l)).join('\n'));
  return dir;
}

test('ConsoleWatch sees open lines (prompts) that SerialOutput keeps back, per source', () => {
  const s = new SerialOutput(() => 0);
  const w = ConsoleWatch.of(s);
  assert.equal(ConsoleWatch.of(s), w, 'one watch per serial output');
  s.write('vm0', 'Welcome\nbuildroot login: ');
  s.write('vm1', 'other');
  assert.deepEqual(s.textOf('vm0'), ['Welcome'], 'the prompt is not a completed line');
  assert.equal(w.find('vm0', 'login: ', 0), 'Welcome\nbuildroot login: '.length);
  assert.equal(w.find('vm0', 'login: ', w.written('vm0')), -1, 'nothing after the cursor');
  assert.equal(w.find('vm1', 'login: ', 0), -1);
});

test('ConsoleWatch: text and repeated searches after a cursor agree with indexOf over everything written (property)', () => {
  const piece = fc.oneof(fc.constantFrom('# ', 'login: ', '\n', '#', ' '), fc.string({ maxLength: 9 }), fc.string({ minLength: 16000, maxLength: 17000 }));
  const step = fc.oneof(fc.record({ write: piece }), fc.record({ find: fc.constantFrom('# ', 'login: ', '#'), back: fc.nat(40), repeat: fc.boolean() }));
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const s = new SerialOutput(() => 0);
      const w = ConsoleWatch.of(s);
      let all = '';
      let from = 0;
      for (const st of steps) {
        if ('write' in st) {
          s.write('vm0', st.write);
          all += st.write;
        } else {
          if (!st.repeat) from = Math.max(0, all.length - st.back);
          const i = all.indexOf(st.find, from);
          assert.equal(w.find('vm0', st.find, from), i < 0 ? -1 : i + st.find.length);
        }
        assert.equal(w.written('vm0'), all.length);
      }
      assert.equal(w.of('vm0'), all);
    }),
    { numRuns: 200 },
  );
});

test('vm_multi on exynos5422: vm0 logged in through the serial server, the command answered on the serial output', () => {
  const r = runApp(VM_MULTI, { board: 'exynos5422', commands: ['uname -a'] });
  assert.equal(r.outcome.kind, 'completed');
  assert.equal(exitStatus(r.outcome), EXIT_STATUS.ok);
  assert.ok(r.console.includes('Linux buildroot 4.14.87 #1 SMP armv7l GNU/Linux'), r.console.join('\n'));
  assert.deepEqual([...r.system.virtio.consoleServers], [['vm0', 'serial'], ['vm1', 'serial'], ['vm2', 'serial']]);
});

test('a guest whose hvc0 goes nowhere fails the run (exit 7) naming the cause, though its trace shows the prompt', () => {
  const dir = unwiredVmMulti();
  try {
    const r = runApp(dir, { board: 'exynos5422', commands: ['uname -a'] });
    assert.equal(r.outcome.kind, 'console-lost');
    assert.equal(exitStatus(r.outcome), EXIT_STATUS.consoleLost);
    if (r.outcome.kind !== 'console-lost') return;
    assert.match(r.outcome.cause, /^the guest's console \(hvc0\) is not connected to any serial device/);
    assert.match(r.outcome.waitingFor, /login: /);
    assert.ok(r.system.sys.kernel.trace.all().some((e) => e.op === 'login-prompt' && e.actor.startsWith('vm0:')), 'the guest did print its prompt');
    assert.deepEqual(r.console, [], 'nothing of the guest reached the serial output');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vm_multi on qemu-arm-virt: the serial server waits for a TimeServer with no timer driver, the run fails saying so', () => {
  const r = runApp(VM_MULTI, { board: 'qemu-arm-virt', commands: ['uname -a'] });
  assert.equal(exitStatus(r.outcome), EXIT_STATUS.consoleLost);
  assert.ok(r.outcome.kind === 'console-lost' && /serial server 'serial', which never started serving: it waits for its TimeServer first, which printed "TimeServer: no timer driver for qemu-arm-virt/.test(r.outcome.cause));
});

test('an operator for vm2 selects it with @2 at the serial server, and only vm2 gets the line', () => {
  const b = buildSystem(VM_MULTI, { board: 'exynos5422' });
  const op = new Operator(b, { commands: ['echo only-here'], vm: 'vm2' });
  const r = op.run();
  assert.equal(r.kind, 'completed');
  assert.deepEqual(op.results, [{ line: 'echo only-here', status: 0 }]);
  assert.ok(b.sys.serial.textOf('serial').includes('Switching input to 2'));
  b.sys.serial.flush();
  assert.ok(b.sys.serial.textOf('vm2').includes('only-here'));
  for (const vm of ['vm0', 'vm1']) assert.ok(!b.sys.serial.textOf(vm).some((l) => l.includes('only-here')), vm);
});

test('an operator for a VM the app does not have is refused', () => {
  const b = buildSystem(VM_MULTI, { board: 'exynos5422' });
  assert.throws(() => new Operator(b, { commands: [], vm: 'vm7' }), /has no VM 'vm7' \(VMs: vm0, vm1, vm2\)/);
});
