import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeClient, SerialInputSwitch, serialServerModel, timeServerModel } from '../../../src/camkes/components';
import { buildSystem, type ObservableGuest } from '../../../src/system';

function fake(n: number) {
  const got: string[] = Array.from({ length: n }, () => '');
  const said: string[] = [];
  const sw = new SerialInputSwitch(got.map((_, i) => ({ name: `vm${i}`, input: (t: string) => (got[i] += t) })), (l) => said.push(l));
  return { sw, got, said };
}

test('escape client numbers: 0-9, then : and ; for 10 and 11', () => {
  assert.deepEqual(['0', '9', ':', ';', '<', 'a'].map(escapeClient), [0, 9, 10, 11, undefined, undefined]);
});

test('text with no escape at a line start goes to vm0 unchanged, however it is split', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', '@', '\n', 'x', '1') }), { maxLength: 8 }), (chunks) => {
      const text = chunks.join('');
      fc.pre(!/(^|\n)@/.test(text));
      const f = fake(2);
      for (const c of chunks) f.sw.type(c);
      assert.equal(f.got[0], text);
      assert.equal(f.got[1], '');
      assert.deepEqual(f.said, []);
    }),
  );
});

test('@N switches only after a newline; @@ gives one @', () => {
  const f = fake(12);
  f.sw.type('a@1\n@;x\n@@y\n@:z');
  assert.equal(f.got[0], 'a@1\n');
  assert.equal(f.got[11], 'x\n@y\n');
  assert.equal(f.got[10], 'z');
  assert.deepEqual(f.said, ['Switching input to 11', 'Switching input to 10']);
});

test('@m reaches every client; a switch to a missing client is text', () => {
  const f = fake(3);
  f.sw.type('@mhi\n@7\n');
  assert.deepEqual(f.got, ['hi\n@7\n', 'hi\n@7\n', 'hi\n@7\n']);
});

test('in a built x86 system the clients are numbered by serial_getchar_attributes and the time server answers', () => {
  const b = buildSystem('apps/multi_vm_x86', { board: 'pc99', seed: 1, guest: () => null as unknown as ObservableGuest });
  b.sys.start();
  b.sys.kernel.run({ until: 1e6 });
  const ss = serialServerModel(b.sys.instances.get('serial')!.runtime)!;
  assert.deepEqual(ss.clients.map((c) => c?.name), ['vm0', 'vm1']);
  ss.type('@1ab');
  assert.equal(ss.clients[1].queue, 'ab');
  assert.ok(b.sys.kernel.threads.some((t) => t.started && t.name === 'serial:getchar__run'), 'the serial server got past its TimeServer call');
  const ts = timeServerModel(b.sys.instances.get('time_server')!.runtime)!;
  assert.equal(ts.arm('vm0', 0, 5e6, 0), 0);
  assert.equal(ts.arm('vm0', 99, 5e6, 0), -1);
  b.sys.kernel.run({ until: 10e6 });
  assert.equal(ts.completed('vm0'), 1);
  assert.equal(ts.completed('vm0'), 0);
});
