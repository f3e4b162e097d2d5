/* eslint-disable require-yield -- test handlers are generators by contract and complete at once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChrdevTable } from '../../../src/guest/kernel/chrdev';
import { EAGAIN, EEXIST, EINTR, EINVAL, ENODEV, ENOENT, EPERM, strerror } from '../../../src/guest/kernel/errno';
import { WaitQueue } from '../../../src/guest/kernel/kernel';
import { Kmalloc, PageAllocator } from '../../../src/guest/kernel/mm';
import { consoleSettingsFor, formatTimestamp, KERN_ERR, KERN_INFO, KernelLog } from '../../../src/guest/kernel/printk';
import { spawnProcess } from '../../../src/guest/kernel/process';
import { POLLIN } from '../../../src/guest/kernel/libc';
import { FakeMachine } from './fake-machine';
import { miniSystem } from './helpers';

test('errno numbers and strerror texts are Linux/uClibc ones', () => {
  assert.deepEqual([EPERM, ENOENT, EINTR, EAGAIN, ENODEV, EEXIST, EINVAL], [1, 2, 4, 11, 19, 17, 22]);
  assert.equal(strerror(EPERM), 'Operation not permitted');
  assert.equal(strerror(ENOENT), 'No such file or directory');
  assert.equal(strerror(EAGAIN), 'Resource temporarily unavailable');
  assert.equal(strerror(ENODEV), 'No such device');
  assert.equal(strerror(EEXIST), 'File exists');
  assert.equal(strerror(EINVAL), 'Invalid argument');
  assert.equal(strerror(EINTR), 'Interrupted system call');
});

test('printk timestamps are [%5lu.%06lu] of the time since boot', () => {
  assert.equal(formatTimestamp(12_730_073_000), '[   12.730073] ');
  assert.equal(formatTimestamp(0), '[    0.000000] ');
  fc.assert(fc.property(fc.nat(99_999_999_999), (us) => {
    const s = formatTimestamp(us * 1000);
    return /^\[ *\d+\.\d{6}\] $/.test(s) && s.length >= 15 && Number(s.slice(1, -2).replace('.', '')) === us;
  }));
});

test('console loglevel: default 7, debug 10, quiet 4, loglevel=N', () => {
  assert.equal(consoleSettingsFor('console=ttyS0').loglevel, 7);
  assert.equal(consoleSettingsFor('root=/dev/ram0 debug').loglevel, 10);
  assert.equal(consoleSettingsFor('quiet').loglevel, 4);
  assert.equal(consoleSettingsFor('loglevel=3').loglevel, 3);
});

test('console shows records below the loglevel; a record without newline is ended by the next one', () => {
  let out = '';
  const log = new KernelLog({ loglevel: 7, time: true }, (t) => (out += t));
  log.printk(1_000_000, KERN_INFO, 'dataport received mmap for minor 1\n');
  log.printk(2_000_000, 7, 'hidden debug\n');
  log.printk(3_000_000, KERN_ERR, 'dataport 2 is not allocated');
  assert.equal(out, '[    0.001000] dataport received mmap for minor 1\n[    0.003000] dataport 2 is not allocated');
  log.printk(4_000_000, KERN_ERR, 'next\n');
  assert.ok(out.endsWith('allocated\n[    0.004000] next\n'));
  assert.equal(log.dmesg().split('\n').length, 5);
  const quiet = new KernelLog({ loglevel: 4, time: true }, (t) => (out += t));
  out = '';
  quiet.printk(0, KERN_INFO, 'info\n');
  assert.equal(out, '');
});

test('/proc/devices: dynamic majors count down from 254 after the built-ins, formatted %3d', () => {
  const t = new ChrdevTable();
  assert.equal(t.register(0, 'dataport', {}), 244);
  assert.equal(t.register(0, 'consumes_event', {}), 243);
  const text = t.procDevices();
  assert.ok(text.startsWith('Character devices:\n  1 mem\n'));
  assert.ok(text.includes('\n243 consumes_event\n244 dataport\n'));
  assert.ok(text.includes('\n\nBlock devices:\n'));
});

test('kmalloc gives page-aligned guest-physical buffers for page sizes and more', () => {
  const mem = new Kmalloc(new PageAllocator(0, 64 << 20));
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 6 * 4096 }), { maxLength: 20 }), (sizes) => {
    const got = sizes.map((s) => [s, mem.kmalloc(s)!] as const);
    for (const [s, a] of got) {
      if (s >= 4096 && a % 4096 !== 0) return false;
      if (s < 4096 && a % 8 !== 0) return false;
    }
    const ranges = got.map(([s, a]) => [a, a + s]).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < ranges.length; i++) if (ranges[i][0] < ranges[i - 1][1]) return false;
    for (const [, a] of got) mem.kfree(a);
    return true;
  }));
});

test('scheduler: a sleeping process runs when woken; nanosleep advances virtual time through idle', () => {
  const { m, sys, run } = miniSystem();
  const q = new WaitQueue(sys.k);
  const log: string[] = [];
  spawnProcess(sys, null, 'waiter', [], function* () {
    log.push('wait');
    yield* sys.k.sleepOn([q], null);
    log.push(`woken at ${m.time}`);
    return 0;
  });
  spawnProcess(sys, null, 'sleeper', [], function* (p) {
    yield* p.libc.nanosleep(5_000_000);
    log.push(`slept until ${m.time}`);
    q.wakeUp();
    return 0;
  });
  const g = run();
  g.next();
  assert.deepEqual(log, ['wait', 'slept until 5000000', 'woken at 5000000']);
});

test('scheduler: interrupts are acknowledged, handled and ended; machine yields pass through', () => {
  const { m, sys, run } = miniSystem();
  const seen: number[] = [];
  sys.k.requestIrq(12, function* (line) {
    seen.push(line);
    return 'IRQ_HANDLED';
  }, 0, 'test', {});
  assert.equal(sys.k.requestIrq(12, function* () {
    return 'IRQ_NONE';
  }, 0, 'other', {}), -16, 'a non-shared line is busy');
  const q = new WaitQueue(sys.k);
  spawnProcess(sys, null, 'p', [], function* () {
    yield* sys.k.sleepOn([q], null);
    return 0;
  });
  const g = run();
  g.next();
  m.at(m.time + 1000, () => m.raise(12));
  g.next();
  assert.deepEqual(seen, [12]);
  assert.deepEqual(m.eois, [12]);
});

test('poll timeouts run in virtual time (0 returns at once, N ms waits N ms)', () => {
  const { m, sys, run } = miniSystem();
  const q = new WaitQueue(sys.k);
  const ops = { poll: (_f: unknown, table: WaitQueue[] | null) => (table?.push(q), 0) };
  sys.chrdev.register(200, 'never', ops);
  sys.vfs.install('/dev/never', { kind: 'chr', major: 200, minor: 0 });
  const results: [number, number][] = [];
  spawnProcess(sys, null, 'p', [], function* (p) {
    const fd = yield* p.libc.open('/dev/never', 2);
    results.push([yield* p.libc.poll([{ fd, events: POLLIN, revents: 0 }], 0), m.time]);
    results.push([yield* p.libc.poll([{ fd, events: POLLIN, revents: 0 }], 250), m.time]);
    return 0;
  });
  run().next();
  assert.deepEqual(results, [[0, 0], [0, 250_000_000]]);
});

test('pipes: reads block until data, EOF after the last writer closes', () => {
  const { sys, run } = miniSystem(new FakeMachine());
  const got: string[] = [];
  spawnProcess(sys, null, 'parent', [], function* (p) {
    const [r, w] = p.libc.pipe();
    const child = spawnProcess(sys, p, 'writer', p.fds, function* (cp) {
      yield* cp.libc.close(r);
      yield* cp.libc.nanosleep(1000);
      yield* cp.libc.write(w, 'abc');
      return 0;
    });
    yield* p.libc.close(w);
    for (;;) {
      const b = yield* p.libc.read(r, 10);
      if (!b || !b.length) break;
      got.push(new TextDecoder().decode(b));
    }
    const st = yield* p.libc.waitpid(child.pid);
    got.push(`exit ${st?.status.code}`);
    return 0;
  });
  run().next();
  assert.deepEqual(got, ['abc', 'exit 0']);
});
