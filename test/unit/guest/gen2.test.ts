import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GuestStep } from '../../../src/guest/kernel/kernel';
import { O_NONBLOCK } from '../../../src/guest/kernel/vfs';
import type { Libc } from '../../../src/guest/kernel/libc';
import { FakeMachine } from './fake-machine';
import { app, boot, Gen2Vmm } from './helpers';

const ARM_CMDLINE = 'console=ttyAMA0 pci=nomsi,realloc=off,bios initcall_blacklist=clk_disable_unused';

function crossConnector(login: boolean, programs?: Map<string, (c: Libc, argv: string[]) => GuestStep<number>>) {
  let vmm!: Gen2Vmm;
  const got: string[] = [];
  const files = new Map<string, string | { program: string }>([
    ['/etc/init.d/S90crossvm_module_init', app('vm_cross_connector/overlay/etc/init.d/S90crossvm_module_init')],
  ]);
  if (!login) files.set('/etc/init.d/S91crossvm_test', app('vm_cross_connector/overlay/etc/init.d/S91crossvm_test'));
  for (const n of programs?.keys() ?? []) files.set(`/usr/bin/${n}`, { program: n });
  const m = new FakeMachine({ arch: 'arm', wordBits: 64, cmdline: ARM_CMDLINE });
  const b = boot({ generation: 2, kernelVersion: '4.9.189', moduleVersion: '4.14.87', files, programs }, m, (mm) => {
    vmm = new Gen2Vmm(mm, [{ name: 'conn_0' }, { name: 'conn_1' }], 82, 0xdf000000);
    // CrossvmInit: dest (conn_0's dataport) holds its test string; each ready -> "Got an event", done.
    mm.poke(0xdf001000, new TextEncoder().encode('This is a crossvm dataport test string\n'));
    vmm.onEmit = () => mm.at(mm.time + 500_000, () => {
      got.push('Got an event');
      vmm.consume(0);
    });
  }, login);
  return { ...b, vmm, got };
}

test('vm_cross_connector: connection.ko log lines and the S91crossvm_test console content', () => {
  const { m, got } = crossConnector(false);
  const expected = ['] Event Bar (dev-0) initialized\n', '] 1 Dataports (dev-0) initialized\n', '] Event Bar (dev-1) initialized\n', '] 1 Dataports (dev-1) initialized\n',
    'This is a crossvm dataport test string\n\nThis is a test user string\n\nBack from waiting with val: 1\nFinished crossvm test script\n', 'Welcome to Buildroot\nbuildroot login: '];
  let at = 0;
  for (const s of expected) {
    const i = m.output.indexOf(s, at);
    assert.ok(i >= 0, `missing or out of order: ${JSON.stringify(s)}\n${m.output}`);
    at = i;
  }
  assert.deepEqual(got, ['Got an event']);
});

test('PCI: BARs sized and kept as assigned, device names read at offset 8, the event BAR write faults', () => {
  const { run, vmm } = crossConnector(true);
  assert.equal(run('cat /sys/class/uio/uio0/name /sys/class/uio/uio1/name'), 'cat /sys/class/uio/uio0/name /sys/class/uio/uio1/name\nconn_0\nconn_1\n# ');
  assert.match(run('cat /sys/class/uio/uio1/maps/map1/addr'), /0x00000000df003000\n/);
  run('emits_event_emit /dev/uio1');
  assert.deepEqual(vmm.emitted, [1]);
  assert.match(run('grep uio /proc/devices'), /\n244 uio\n/);
});

test('UIO: events before open are invisible; read returns the cumulative count', () => {
  const { run, vmm, r, m, fresh } = crossConnector(true);
  vmm.consume(1);
  r.settle();
  run('consumes_event_wait /dev/uio1');
  assert.equal(fresh(), '', 'the event before open does not complete the read');
  m.at(m.time + 1000, () => vmm.consume(1));
  r.settle();
  assert.match(fresh(), /^Back from waiting with val: 2\n# $/);
});

test('UIO: a shared-line interrupt with register 0 is IRQ_NONE and counts nothing', () => {
  const reads: string[] = [];
  const probe = function* (c: Libc): GuestStep<number> {
    const fd = yield* c.open('/dev/uio0', 2);
    const bad = yield* c.read(fd, 8);
    reads.push(`size8 ${bad === null ? c.errno : 'ok'}`);
    c.setNonblock(fd, true);
    const none = yield* c.read(fd, 4);
    reads.push(`nonblock ${none === null ? c.errno : 'ok'}`);
    return 0;
  };
  const { run, m, r } = crossConnector(true, new Map([['probe', probe]]));
  m.raise(82);
  r.settle();
  run('probe');
  assert.deepEqual(reads, ['size8 22', 'nonblock 11']);
  assert.equal(O_NONBLOCK, 0o4000);
});

test('Gen-2 programs: usage texts, mmap beyond the map fails with EINVAL then faults', () => {
  const { run } = crossConnector(true);
  assert.equal(run('dataport_read; echo $?'), 'dataport_read; echo $?\nUsage: dataport_read file dataport_size\n\nReads the c string contents of a specified dataport file to stdout1\n# ');
  assert.equal(run('dataport_write x; echo $?'), 'dataport_write x; echo $?\nUsage: dataport_write file dataport_size\n\nWrites stdin to a specified dataport file as a c string1\n# ');
  assert.equal(run('emits_event_emit; echo $?'), 'emits_event_emit; echo $?\nUsage: emits_event_emit file\n\nEmits an event on a given device connection\n1\n# ');
  assert.equal(run('consumes_event_wait; echo $?'), 'consumes_event_wait; echo $?\nUsage: consumes_event_wait eventfile\n1\n# ');
  assert.equal(run('dataport_read /dev/uio0 8192; echo $?'), 'dataport_read /dev/uio0 8192; echo $?\nmmap failed\nSegmentation fault\n139\n# ');
});

test('x86 Gen 2 string_reverse over /dev/uio0 and /dev/uio1 (device name "connector")', () => {
  let vmm!: Gen2Vmm;
  const b = boot({ generation: 2, files: new Map([['/etc/init.d/S90crossvm_module_init', app('string_reverse_gen2/overlay/etc/init.d/S90crossvm_module_init')]]) }, new FakeMachine(), (m) => {
    vmm = new Gen2Vmm(m, [{ name: '' }, { name: '' }], 12);
    vmm.onEmit = () => m.at(m.time + 1000, () => {
      const src = m.peek(vmm.dataportBar(0), 64);
      const s = new TextDecoder().decode(src.subarray(0, src.indexOf(0)));
      m.poke(vmm.dataportBar(1), new TextEncoder().encode([...s].reverse().join('') + '\0'));
      vmm.consume(1);
    });
  });
  assert.equal(b.run('cat /sys/class/uio/uio0/name'), 'cat /sys/class/uio/uio0/name\nconnector\n# ');
  b.run('string_reverse');
  assert.equal(b.run('hello'), 'hello\nolleh\n');
});
