import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAssembly } from '../../../src/camkes/resolve';
import { instantiate } from '../../../src/camkes/instantiate';
import { loadSpecFor } from '../../../src/camkes/instantiate/load';
import { builtinBehaviours, CROSSVM_TEST_STRING } from '../../../src/camkes/components';
import type { BehaviourFactory } from '../../../src/camkes/runtime';

/** Boots an app with the built-in components plus `vm` standing in for the VM instance's code. */
function boot(file: string, vmType: string, vm: BehaviourFactory, board?: string) {
  const s = loadSpecFor(file, { board });
  const reg = builtinBehaviours().register(vmType, vm);
  const sys = instantiate(resolveAssembly(s.spec), { arch: s.arch, behaviours: reg });
  sys.run();
  return sys;
}

test('PrintServer prints each string the VM side hands it and answers done_printing', () => {
  const got: string[] = [];
  const sys = boot('apps/crossvm_tutorial/crossvm_tutorial.camkes', 'Init0', () => ({
    *run(ctx) {
      for (const s of ['hello', 'world']) {
        yield* ctx.dataport('data').writeString(0, s);
        ctx.emit('do_print');
        yield* ctx.wait('done_printing');
        got.push(`done ${s}`);
      }
    },
  }));
  assert.deepEqual(sys.serial.textOf('print_server'), ['hello', 'world']);
  assert.deepEqual(got, ['done hello', 'done world']);
});

test('StringReverse reverses the string in src_dp into dest_dp and emits done', () => {
  let reply = '';
  boot('apps/string_reverse_gen1/string_reverse.camkes', 'Init0', () => ({
    *run(ctx) {
      yield* ctx.dataport('dp1').writeString(0, 'hello');
      ctx.emit('ready');
      yield* ctx.wait('done');
      reply = yield* ctx.dataport('dp2').readString(0);
    },
  }));
  assert.equal(reply, 'olleh');
});

test('CrossvmInit writes the test string, then prints "Got an event" per ready and answers on the global endpoint', () => {
  const seen: unknown[] = [];
  const sys = boot('apps/vm_cross_connector/vm_cross_connector.camkes', 'VM', () => ({
    *run(ctx) {
      seen.push(yield* ctx.dataport('crossvm_dp_0').readString(0));
      ctx.emit('ready');
      seen.push((yield* ctx.sys.wait(ctx.notification('done'))) === ctx.notificationBadge('done'));
    },
  }), 'qemu-arm-virt');
  assert.deepEqual(seen, [CROSSVM_TEST_STRING, true]);
  assert.deepEqual(sys.serial.textOf('crossvm_init'), ['Got an event']);
});

test('Ping and Pong exchange messages through the two dataports and notifications', () => {
  const s = loadSpecFor('apps/pingpong/pingpong.camkes');
  const sys = instantiate(resolveAssembly(s.spec), { behaviours: builtinBehaviours() });
  const r = sys.run();
  assert.deepEqual(sys.serial.textOf('ping'), ['ping: got "pong 1"', 'ping: got "pong 2"', 'ping: got "pong 3"', 'ping: done']);
  assert.deepEqual(sys.serial.textOf('pong'), ['pong: got "ping 1"', 'pong: got "ping 2"', 'pong: got "ping 3"']);
  // Pong serves forever: the run ends with every remaining thread waiting, Ping's control exited.
  assert.equal(r.reason, 'deadlock');
  assert.equal(sys.kernel.thread('ping:control')!.state, 'Exited');
});

test('the same system and seed give the same trace byte for byte', () => {
  const run = () => {
    const sys = instantiate(resolveAssembly(loadSpecFor('apps/pingpong/pingpong.camkes').spec), { behaviours: builtinBehaviours() });
    sys.run();
    return sys.kernel.trace.serialise();
  };
  assert.equal(run(), run());
});
