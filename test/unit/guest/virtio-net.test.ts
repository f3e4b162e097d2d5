import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backToBack, createVirtioNet, WIRE_DELIVERY_NS, type VirtioNetBackend } from '../../../src/vmm/virtio';
import { arping, ifconfig, netStackOf, ping } from '../../../src/guest/virtio';
import type { ProgramMain } from '../../../src/guest/kernel/system';
import { bootMiniGuest, VirtioMachine, World, type MiniGuest } from './virtio-machine';

interface Vm {
  m: VirtioMachine;
  g: MiniGuest;
  net: VirtioNetBackend;
}

/** vm_virtio_net: two guests whose virtio-net devices are wired back to back, each in its own memory. */
function pair(arch: 'x86' | 'arm' = 'x86'): { w: World; a: Vm; b: Vm; run: (vm: Vm, main: ProgramMain, argv: string[]) => { out: string; status: number } } {
  const w = new World();
  const [pa, pb] = backToBack((port) => w.at(w.time + WIRE_DELIVERY_NS, () => port.drain()));
  const line = arch === 'x86' ? 6 : 124;
  const mk = (name: string, mac: string, port: typeof pa): Vm => {
    const m = new VirtioMachine(w, name, arch);
    const { transport, net } = createVirtioNet({ mac, memory: m.memory, irqLine: line, interrupt: () => m.raise(line) });
    net.connect(port);
    port.attach(net);
    m.addDevice(transport);
    return { m, g: bootMiniGuest(m, { pciIoBase: arch === 'arm' ? m.ioWindow : undefined }), net };
  };
  const a = mk('vm0', '02:00:00:00:AA:01', pa);
  const b = mk('vm1', '02:00:00:00:AA:02', pb);
  const run = (vm: Vm, main: ProgramMain, argv: string[]) => {
    const from = vm.m.output.length;
    const before = vm.g.exits.length;
    vm.g.spawn(argv[0], main, argv);
    assert.ok(w.run(() => vm.g.exits.length > before), `${argv.join(' ')} did not finish`);
    return { out: vm.m.output.slice(from), status: vm.g.exits[before].status };
  };
  assert.ok(w.run(() => !!a.g.devices && !!b.g.devices));
  assert.equal(run(a, ifconfig, ['ifconfig', 'eth0', '192.168.1.1']).status, 0);
  assert.equal(run(b, ifconfig, ['ifconfig', 'eth0', '192.168.1.2', 'netmask', '255.255.255.0', 'up']).status, 0);
  return { w, a, b, run };
}

const ms = (ns: number): string => `${Math.floor(ns / 1e6)}.${String(Math.floor(ns / 1000) % 1000).padStart(3, '0')}`;

test('the driver reads the MAC from the device configuration and registers eth0', () => {
  const { a, b } = pair();
  assert.equal(a.g.devices!.nets.length, 1);
  assert.deepEqual([...a.g.devices!.nets[0].mac], [2, 0, 0, 0, 0xaa, 1]);
  assert.deepEqual([...b.g.devices!.nets[0].mac], [2, 0, 0, 0, 0xaa, 2]);
  assert.deepEqual(a.g.sys!.k.irqActions(6), ['virtio0']);
});

test('ping -c 3 crosses both rings and prints busybox output with virtual-time round trips', () => {
  const { a, b, run } = pair();
  const r = run(a, ping, ['ping', '-c', '3', '192.168.1.2']);
  // The first echo waits for ARP resolution (request + reply), so it takes four wire hops.
  const first = ms(4 * WIRE_DELIVERY_NS);
  const rest = ms(2 * WIRE_DELIVERY_NS);
  const avg = ms(Math.floor((4 + 2 + 2) * WIRE_DELIVERY_NS / 3 / 1000) * 1000);
  assert.equal(
    r.out,
    'PING 192.168.1.2 (192.168.1.2): 56 data bytes\n' +
      `64 bytes from 192.168.1.2: seq=0 ttl=64 time=${first} ms\n` +
      `64 bytes from 192.168.1.2: seq=1 ttl=64 time=${rest} ms\n` +
      `64 bytes from 192.168.1.2: seq=2 ttl=64 time=${rest} ms\n` +
      '\n--- 192.168.1.2 ping statistics ---\n' +
      '3 packets transmitted, 3 packets received, 0% packet loss\n' +
      `round-trip min/avg/max = ${rest}/${avg}/${first} ms\n`,
  );
  assert.equal(r.status, 0);
  // ARP request + 3 echo requests out of A; ARP reply + 3 echo replies out of B.
  assert.deepEqual(a.net.counters, { txFrames: 4, rxFrames: 4, rxDropped: 0 });
  assert.deepEqual(b.net.counters, { txFrames: 4, rxFrames: 4, rxDropped: 0 });
  // B learnt A from A's ARP request (arp_process creates the requester's entry).
  assert.deepEqual([...netStackOf(b.g.sys!.k).neighbour(0xc0a80101)!], [2, 0, 0, 0, 0xaa, 1]);
});

test('arping -I eth0 -c 1 prints the unicast reply, the probe and the response counts', () => {
  const { w, a, run } = pair();
  const t0 = w.time;
  const r = run(a, arping, ['arping', '-I', 'eth0', '-c', '1', '192.168.1.2']);
  assert.equal(
    r.out,
    'ARPING 192.168.1.2 from 192.168.1.1 eth0\n' +
      `Unicast reply from 192.168.1.2 [02:00:00:00:AA:02] ${ms(2 * WIRE_DELIVERY_NS)}ms\n` +
      'Sent 1 probe(s) (1 broadcast(s))\n' +
      'Received 1 response(s)\n',
  );
  assert.equal(r.status, 0);
  // The second alarm (1 s after the probe) ends arping.
  assert.ok(w.time - t0 >= 1e9 && w.time - t0 < 1.1e9);
});

test('ping to an address nobody answers: 100% loss after -W, exit status 1', () => {
  const { a, run } = pair();
  const r = run(a, ping, ['ping', '-c', '1', '-W', '2', '192.168.1.3']);
  assert.equal(
    r.out,
    'PING 192.168.1.3 (192.168.1.3): 56 data bytes\n\n--- 192.168.1.3 ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n',
  );
  assert.equal(r.status, 1);
  // Only the ARP request left A; B does not own 192.168.1.3 and stays silent.
  assert.equal(a.net.counters.txFrames, 1);
});

test('ping off the connected subnet fails in sendto; arping without the interface fails with status 2', () => {
  const { a, run } = pair();
  const r = run(a, ping, ['ping', '-c', '1', '10.0.0.1']);
  assert.equal(r.out, 'PING 10.0.0.1 (10.0.0.1): 56 data bytes\nping: sendto: Network is unreachable\n');
  assert.equal(r.status, 1);
  const r2 = run(a, arping, ['arping', '-I', 'eth1', '-c', '1', '192.168.1.2']);
  assert.equal(r2.out, 'arping: interface eth1 not found: No such device\n');
  assert.equal(r2.status, 2);
  assert.equal(run(a, ping, ['ping', 'nohost']).out, "ping: bad address 'nohost'\n");
});

test('Arm: the same exchange through I/O BARs reached in the vPCI IO window, on the board line', () => {
  const { a, run } = pair('arm');
  const r = run(a, ping, ['ping', '-c', '1', '192.168.1.2']);
  assert.match(r.out, /^64 bytes from 192\.168\.1\.2: seq=0 ttl=64 time=\d+\.\d{3} ms$/m);
  assert.equal(r.status, 0);
  assert.deepEqual(a.g.sys!.k.irqActions(124), ['virtio0']);
});

test('same inputs, same output: two runs of the scenario print the same bytes', () => {
  const once = () => {
    const { a, b, run } = pair();
    return run(a, ping, ['ping', '-c', '2', '192.168.1.2']).out + run(b, arping, ['arping', '-c', '2', '192.168.1.1']).out;
  };
  assert.equal(once(), once());
});
