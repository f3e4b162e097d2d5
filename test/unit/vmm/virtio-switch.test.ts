import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DiagnosticError, formatDiagnostic } from '../../../src/diagnostics';
import type { Value } from '../../../src/camkes/resolve';
import { parseMac } from '../../../src/vmm/virtio';
import { parseVswitchLayout, VirtualSwitch, type SwitchPort } from '../../../src/vmm/virtio/switch';

const VM0 = '02:00:00:00:AA:01';
const VM1 = '02:00:00:00:AA:02';
const VM2 = '02:00:00:00:AA:03';
const BCAST = 'FF:FF:FF:FF:FF:FF';

function frame(dst: string, src: string, payload = 'hi'): Uint8Array {
  const p = new TextEncoder().encode(payload);
  const f = new Uint8Array(14 + p.length);
  f.set(parseMac(dst), 0);
  f.set(parseMac(src), 6);
  f.set([0x08, 0x00], 12);
  f.set(p, 14);
  return f;
}

function rig() {
  const got = new Map<string, Uint8Array[]>([['vm0', []], ['vm1', []], ['vm2', []]]);
  const seen: string[] = [];
  const port = (mac: string, name: string, vm: string): SwitchPort => ({ mac, name, wire: { transmit: (f) => got.get(vm)!.push(f) } });
  const sw = new VirtualSwitch([port(VM1, 'vm0_to_vm1', 'vm1'), port(VM2, 'vm0_to_vm2', 'vm2')], {
    mac: VM0,
    local: (f) => got.get('vm0')!.push(f),
    observe: (dst, from, out, local) => seen.push(`${dst} ${from ?? 'eth0'} -> ${[...out.map((p) => p.name), ...(local ? ['local'] : [])].join(',') || 'drop'}`),
  });
  return { sw, got, seen };
}

test('a unicast frame from the VM goes out of the link whose peer MAC is its destination only', () => {
  const { sw, got, seen } = rig();
  sw.transmit(frame(VM2, VM0));
  assert.equal(got.get('vm2')!.length, 1);
  assert.equal(got.get('vm1')!.length, 0);
  assert.equal(got.get('vm0')!.length, 0);
  assert.deepEqual(seen, [`${VM2} eth0 -> vm0_to_vm2`]);
  assert.deepEqual(sw.counters, { forwarded: 1, broadcast: 0, local: 0, dropped: 0 });
});

test('a frame arriving from one link for the other peer crosses the switch; one for the VM goes to its receive queue', () => {
  const { sw, got } = rig();
  sw.arrive(frame(VM2, VM1), 'vm0_to_vm1');
  sw.arrive(frame(VM0, VM2), 'vm0_to_vm2');
  assert.equal(got.get('vm2')!.length, 1);
  assert.equal(got.get('vm0')!.length, 1);
  assert.equal(got.get('vm1')!.length, 0);
  assert.deepEqual(sw.counters, { forwarded: 1, broadcast: 0, local: 1, dropped: 0 });
});

test('a broadcast floods every link but the one it came on, and reaches the VM when it came from a link', () => {
  const { sw, got } = rig();
  sw.transmit(frame(BCAST, VM0));
  assert.deepEqual([...got.values()].map((x) => x.length), [0, 1, 1]);
  sw.arrive(frame(BCAST, VM1), 'vm0_to_vm1');
  assert.deepEqual([...got.values()].map((x) => x.length), [1, 1, 2]);
  assert.equal(sw.counters.broadcast, 2);
});

test('unknown unicast, a frame sent back to its own link, and a runt are dropped and counted', () => {
  const { sw, got, seen } = rig();
  sw.transmit(frame('02:00:00:00:AA:09', VM0));
  sw.arrive(frame(VM1, VM1), 'vm0_to_vm1');
  sw.transmit(new Uint8Array(10));
  assert.deepEqual([...got.values()].map((x) => x.length), [0, 0, 0]);
  assert.equal(sw.counters.dropped, 3);
  assert.deepEqual(seen, ['02:00:00:00:AA:09 eth0 -> drop', `${VM1} vm0_to_vm1 -> drop`, ' eth0 -> drop']);
});

test('property: every frame is delivered to exactly the ports its destination selects, or counted as dropped', () => {
  const macs = [VM0, VM1, VM2, BCAST, '02:00:00:00:AA:09'];
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...macs), fc.constantFrom(null, 'vm0_to_vm1', 'vm0_to_vm2')), { maxLength: 30 }), (sends) => {
      const { sw, got } = rig();
      let expected = 0;
      let dropped = 0;
      for (const [dst, from] of sends) {
        const f = frame(dst, VM0);
        if (from) sw.arrive(f, from);
        else sw.transmit(f);
        const own = from === 'vm0_to_vm1' ? VM1 : from === 'vm0_to_vm2' ? VM2 : VM0;
        if (dst === BCAST) expected += 2;
        else if (dst !== own && (dst !== VM0 || from) && dst !== '02:00:00:00:AA:09') expected += 1;
        else dropped += 1;
      }
      const delivered = [...got.values()].reduce((n, x) => n + x.length, 0);
      assert.equal(delivered, expected);
      assert.equal(sw.counters.dropped, dropped);
    }),
  );
});

test('two ports for one MAC, or a port for the VM\'s own MAC, are refused', () => {
  const w = { transmit: () => {} };
  assert.throws(() => new VirtualSwitch([{ mac: VM1, name: 'a', wire: w }, { mac: VM1.toLowerCase(), name: 'b', wire: w }], { mac: VM0, local: () => {} }), /two ports for 02:00:00:00:AA:02/);
  assert.throws(() => new VirtualSwitch([{ mac: VM0, name: 'a', wire: w }], { mac: VM0, local: () => {} }), /two ports/);
});

const pos = { file: 'vm_multi.camkes', line: 7, col: 29 };
const s = (value: string): Value => ({ kind: 'string', value, pos });
const i = (value: number): Value => ({ kind: 'int', value: BigInt(value), pos });
const entry = (fields: [string, Value][]): Value => ({ kind: 'dict', entries: fields.map(([k, value]) => ({ key: { kind: 'string', value: k, pos }, value })), pos });

test('vswitch_layout entries are read as (MAC, send_id, recv_id)', () => {
  const v: Value = { kind: 'list', items: [entry([['mac_addr', s('02:00:00:00:aa:02')], ['send_id', i(1)], ['recv_id', i(2)]])], pos };
  assert.deepEqual(parseVswitchLayout(v), [{ mac: '02:00:00:00:AA:02', sendId: 1, recvId: 2 }]);
  assert.deepEqual(parseVswitchLayout(undefined), []);
});

test('a malformed vswitch_layout is an error at file:line:col saying what was expected', () => {
  const bad: [Value, RegExp][] = [
    [s('x'), /expected a list of \{ string mac_addr; int send_id; int recv_id; \}, got a string/],
    [{ kind: 'list', items: [i(1)], pos }, /expected an entry/],
    [{ kind: 'list', items: [entry([['mac_addr', s(VM1)], ['send_id', i(1)]])], pos }, /needs int 'recv_id'/],
    [{ kind: 'list', items: [entry([['mac_addr', s('02:00:00:AA:01')], ['send_id', i(1)], ['recv_id', i(2)]])], pos }, /'02:00:00:AA:01' is not a MAC address/],
    [{ kind: 'list', items: [entry([['mac_addr', s(VM1)], ['send_id', s('1')], ['recv_id', i(2)]])], pos }, /needs int 'send_id', got a string/],
  ];
  for (const [v, re] of bad) {
    assert.throws(() => parseVswitchLayout(v), (e: unknown) => e instanceof DiagnosticError && e.diagnostics.every((d) => re.test(formatDiagnostic(d)) && formatDiagnostic(d).startsWith('vm_multi.camkes:7:29: error: vswitch_layout: ')));
  }
});
