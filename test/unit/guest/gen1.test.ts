import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataportIoctls, EMITS_EVENT_EMIT } from '../../../src/guest';
import type { GuestStep } from '../../../src/guest/kernel/kernel';
import { POLLIN, type Libc } from '../../../src/guest/kernel/libc';
import { FakeMachine } from './fake-machine';
import { app, boot, Gen1Vmm, TUTORIAL_FILES } from './helpers';

function tutorial(setup?: (vmm: Gen1Vmm, m: FakeMachine) => void, machine = new FakeMachine(), programs?: Map<string, (c: Libc, argv: string[]) => GuestStep<number>>) {
  let vmm!: Gen1Vmm;
  const files = TUTORIAL_FILES();
  for (const name of programs?.keys() ?? []) files.set(`/usr/bin/${name}`, { program: name });
  const b = boot({ generation: 1, files, programs }, machine, (m) => {
    vmm = new Gen1Vmm(m);
    setup?.(vmm, m);
  });
  return { ...b, vmm };
}

test('ioctl numbers follow _IOC for i386 and x86_64', () => {
  assert.deepEqual(dataportIoctls(32), { ALLOCATE: 0x40044400, GET_PADDR: 0x80084401, GET_SIZE: 0x80044402 });
  assert.deepEqual(dataportIoctls(64), { ALLOCATE: 0x40084400, GET_PADDR: 0x80084401, GET_SIZE: 0x80084402 });
  assert.equal(EMITS_EVENT_EMIT, 0x40044500);
});

test('boot: modules load in order, camkes_init creates the nodes, dataport SHARE hypercall', () => {
  const { m, vmm } = tutorial();
  const out = m.output;
  const order = ['dataport initialized with major number 244', 'consumes_event initialized with major number 243', 'emits_event initialized with major number 242',
    'Device "dataport" found with major number 244\n\nCreating dataport node /dev/camkes_data\nAllocating 4096 bytes for /dev/camkes_data\nCreating consuming event node /dev/camkes_done_printing\nCreating emitting event node /dev/camkes_do_print\n\nWelcome to Buildroot\nbuildroot login: root\nPassword: \n# '];
  let at = 0;
  for (const s of order) {
    const i = out.indexOf(s, at);
    assert.ok(i >= 0, `missing or out of order: ${s}\n${out}`);
    at = i;
  }
  const init = m.vmcalls.find((r) => r.eax === 2 && r.ebx === 1)!;
  assert.ok(init && vmm.context === init.ecx);
  const share = m.vmcalls.find((r) => r.eax === 1)!;
  assert.equal(share.ebx, 1);
  assert.equal(share.ecx, 1);
  assert.equal(share.esi, 4096);
  assert.equal(share.edx! % 4096, 0, 'kmalloc(4096) is page aligned');
});

test('print_client hello world: strncpy into the remapped dataport, emit, wait; mmap KERN_INFO line', () => {
  const printed: string[] = [];
  const { m, run, vmm } = tutorial((v, mm) => {
    v.onEmit = () => {
      printed.push(v.dataportString(1));
      mm.at(mm.time + 1_000_000, () => v.consume(1));
    };
  });
  const out = run('print_client hello world');
  assert.match(out, /^print_client hello world\n\[ +1\d\.\d{6}\] dataport received mmap for minor 1\n# $/);
  assert.deepEqual(printed, ['hello', 'world']);
  assert.deepEqual(vmm.emitted, [1, 1]);
  assert.equal(vmm.acks, 2, 'each interrupt ACKs at once');
  // strncpy pads the rest of the dataport with NULs: "world" left no trace of "hello".
  assert.deepEqual([...vmm.frames.get(1)![0].subarray(0, 6)], [...new TextEncoder().encode('world'), 0]);
  assert.ok(m.output.includes('# '));
});

test('the guest sees the component frames after SHARE (reads go through machine.read)', () => {
  const { run, vmm } = tutorial();
  vmm.writeDataport(1, 'from the component');
  assert.match(run('dataport_read /dev/camkes_data'), /minor 1\nfrom the component\n# $/);
  run('echo -ne "typed\\0" | dataport_write /dev/camkes_data');
  assert.equal(vmm.dataportString(1), 'typed');
});

test('without a consumes handler the magic check fails, insmod fails, the chrdev stays listed', () => {
  const { m, run } = tutorial((v) => (v.consumesHandler = false));
  assert.ok(m.output.includes("incorrect event context magic number (expected 42, got 0)insmod: can't insert '/lib/modules/4.8.16/kernel/drivers/vmm/consumes_event.ko': Operation not permitted\n"));
  assert.ok(!m.output.includes('consumes_event initialized'));
  assert.match(run('grep consumes /proc/devices'), /\n243 consumes_event\n/);
});

test('pending event: remembered once while nobody waits, coalesced, consumed by the next wait', () => {
  const { m, run, vmm, fresh, r } = tutorial();
  assert.ok(vmm.consume(1));
  r.settle();
  assert.ok(vmm.consume(1));
  r.settle();
  assert.match(run('consumes_event_wait /dev/camkes_done_printing'), /Back from waiting\n# $/);
  // The two events coalesced into one: the next wait blocks until a new event.
  run('consumes_event_wait /dev/camkes_done_printing');
  assert.equal(fresh(), '');
  m.at(m.time + 1000, () => vmm.consume(1));
  r.settle();
  assert.match(fresh(), /^Back from waiting\n# $/);
});

test('one event wakes exactly one of several waiters', () => {
  const { m, run, vmm, fresh, r } = tutorial();
  run('consumes_event_wait /dev/camkes_done_printing & consumes_event_wait /dev/camkes_done_printing &');
  m.at(m.time + 1000, () => vmm.consume(1));
  r.settle();
  assert.equal(fresh().split('Back from waiting').length - 1, 1);
  m.at(m.time + 1000, () => vmm.consume(1));
  r.settle();
  assert.equal(fresh().split('Back from waiting').length - 1, 1);
});

test('a non-blocking poll consumes the pending flag; events before the module initialised are lost', () => {
  const results: number[] = [];
  const pollOnce = function* (c: Libc): GuestStep<number> {
    const fd = yield* c.open('/dev/camkes_done_printing', 2);
    results.push(yield* c.poll([{ fd, events: POLLIN, revents: 0 }], 0));
    results.push(yield* c.poll([{ fd, events: POLLIN, revents: 0 }], 0));
    return 0;
  };
  const { run, vmm, r } = tutorial((v, mm) => mm.raise(12), new FakeMachine(), new Map([['poll_once', pollOnce]]));
  run('poll_once');
  assert.deepEqual(results, [0, 0], 'the IRQ raised before request_irq left nothing pending');
  vmm.consume(1);
  r.settle();
  run('poll_once');
  assert.deepEqual(results.slice(2), [1, 0]);
});

test('consumed id >= 256 prints the module error after the ACK', () => {
  const { m, vmm, r } = tutorial();
  const acks = vmm.acks;
  vmm.consume(300);
  r.settle();
  assert.ok(m.output.endsWith('consumes_event poll: invalid event id'));
  assert.equal(vmm.acks, acks + 1);
});

test('dataport errors: unallocated minor, invalid size string, unknown emits ioctl', () => {
  const probe = function* (c: Libc): GuestStep<number> {
    const fd = yield* c.open('/dev/camkes_data', 2);
    const r1 = yield* c.ioctl(fd, dataportIoctls(32).ALLOCATE, new TextEncoder().encode('12abc\0'));
    yield* c.printf(`allocate ${r1} errno ${c.errno}\n`);
    const efd = yield* c.open('/dev/camkes_do_print', 2);
    const r2 = yield* c.ioctl(efd, dataportIoctls(32).GET_PADDR, 0);
    yield* c.printf(`emit ${r2} errno ${c.errno}\n`);
    return 0;
  };
  const { run } = tutorial(undefined, new FakeMachine(), new Map([['probe', probe]]));
  run('mknod /dev/dp2 c 244 2');
  const out = run('dataport_read /dev/dp2; echo $?');
  assert.ok(out.includes('[') && out.includes('] dataport 2 is not allocated'), out);
  assert.match(out, /Segmentation fault\n139\n# $/);
  const out2 = run('probe');
  assert.ok(out2.includes('] invalid dataport size'));
  assert.ok(out2.includes('allocate -1 errno 1'));
  assert.ok(out2.includes('] emits_event unknown ioctl command: -2146941951\n'));
  assert.ok(out2.includes('emit -1 errno 1'));
});

test('program usage texts and exit statuses', () => {
  const { run } = tutorial();
  assert.equal(run('dataport_read; echo $?'), 'dataport_read; echo $?\nUsage: dataport_read file\n\nReads the c string contents of a specified dataport file to stdout1\n# ');
  assert.equal(run('dataport_write; echo $?'), 'dataport_write; echo $?\nUsage: dataport_write file\n\nWrites stdin to a specified dataport file as a c string1\n# ');
  assert.equal(run('emits_event_emit; echo $?'), 'emits_event_emit; echo $?\nUsage: emits_event_emit eventfile\n1\n# ');
  assert.equal(run('consumes_event_wait; echo $?'), 'consumes_event_wait; echo $?\nUsage: consumes_event_wait eventfile\n1\n# ');
  assert.match(run('dataport_init; echo $?'), /Usage: dataport_init name1 size1 \.\.\. nameN sizeN\n\nCreates device files for dataports in \/dev with given names\nand sizes \(in bytes\)\.\nDataport ids will be allocated in increasing order from left\nto right, starting from 1\.\nSizes must match those given in the corresponding camkes spec\.\nThis should only be run once per boot\.\n1\n# $/);
  assert.equal(run('emits_event_init; echo $?'), 'emits_event_init; echo $?\n0\n# ');
  assert.equal(run('emits_event_emit /dev/nonexistent; echo $?'), 'emits_event_emit /dev/nonexistent; echo $?\nError: Bad file descriptor\n255\n# ');
  assert.match(run('dataport_init /dev/camkes_data 4096; echo $?'), /Creating dataport node \/dev\/camkes_data\ndataport_init: init\.c: 68: main: Assertion `error == 0' failed\.\nAborted\n134\n# $/);
});

test('event init programs report a missing device', () => {
  const b = boot({ generation: 'none', files: new Map([['/usr/sbin/consumes_event_init', { program: 'gen1/consumes_event_init' }]]) });
  assert.equal(b.run('consumes_event_init /dev/x; echo $?'), 'consumes_event_init /dev/x; echo $?\nFailed to locate device consumes_event.\n1\n# ');
});

test('an x86_64 guest uses the 64-bit ALLOCATE number and still shares the dataport', () => {
  const printed: string[] = [];
  const { run, m } = tutorial((v, mm) => {
    v.onEmit = () => {
      printed.push(v.dataportString(1));
      mm.at(mm.time + 1000, () => v.consume(1));
    };
  }, new FakeMachine({ wordBits: 64 }));
  run('print_client x64');
  assert.deepEqual(printed, ['x64']);
  assert.equal(m.vmcalls.filter((r) => r.eax === 1).length, 1);
});

test('Gen-1 string_reverse (camkes-vm-examples README session): mmap lines, then one reversed line per input line', () => {
  let vmm!: Gen1Vmm;
  const b = boot({ generation: 1, files: new Map([['/etc/init.d/S90camkes_init', app('string_reverse_gen1/camkes_init')]]) }, new FakeMachine(), (m) => {
    vmm = new Gen1Vmm(m);
    vmm.onEmit = () => m.at(m.time + 1000, () => {
      vmm.writeDataport(2, [...vmm.dataportString(1)].reverse().join(''));
      vmm.consume(1);
    });
  });
  assert.match(b.run('string_reverse'), /^string_reverse\n\[ +\d+\.\d{6}\] dataport received mmap for minor 1\n\[ +\d+\.\d{6}\] dataport received mmap for minor 2\n$/);
  assert.equal(b.run('hello'), 'hello\nolleh\n');
  b.m.type('\x04');
  b.r.settle();
  assert.equal(b.fresh(), '# ');
  assert.deepEqual(vmm.emitted, [1]);
  assert.equal(vmm.frames.get(1)!.length, 2, 'an 8192-byte dataport is two frames');
});
