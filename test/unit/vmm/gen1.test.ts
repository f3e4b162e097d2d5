/* eslint-disable require-yield -- script guests and handlers that never block are generators by contract */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CTX, cstr, DP, guestInit, guestWaitEvent, tutorial } from './gen1-fixture';

test('SHARE maps the PrintServer frames at the guest paddr; EMIT signals; done_printing comes back as IRQ 12 with id 1', () => {
  const seen: string[] = [];
  const t = tutorial(function* (m) {
    seen.push(`magic ${yield* guestInit(m)}`);
    yield* m.write(DP, cstr('hello'));
    yield* m.vmcall({ eax: 3, ebx: 1, ecx: 1 });
    seen.push(`event ${yield* guestWaitEvent(m)}`);
  });
  const r = t.sys.run();
  assert.deepEqual(seen, ['magic 42', 'event 1']);
  assert.deepEqual(t.sys.serial.textOf('print_server'), ['hello']);
  assert.deepEqual(t.vmmOut(), []);
  // The guest page at DP is now the component's frame (the same object the component maps).
  const dp = t.sys.instances.get('print_server')!.runtime.interfaces.get('data');
  assert.equal(t.vmm.resources.eptObject.lookup(DP)!.frame, dp?.kind === 'dataport' ? dp.frames[0] : null);
  assert.equal(r.reason, 'deadlock'); // everything idles: components wait, the guest halted
});

test('a guest dataport size different from the CAmkES size kills the VM with the libcrossvm lines', () => {
  const t = tutorial(function* (m) {
    yield* guestInit(m, 8192);
  });
  t.sys.run();
  const out = t.vmmOut();
  assert.deepEqual(out.slice(0, 3), [
    'dataport_map_guest@cross_vm_dataport.c:25 Dataport guest size and host size are different (8192 and 4096)',
    'dataport_vmcall_handler@cross_vm_dataport.c:75 Failed to map dataport into guest',
    'VM_FATAL_ERROR ::: vmexit handler return error',
  ]);
  assert.match(out[9], /edx 0x10100000 +esi 0x {4}2000/);
  assert.equal(t.vmm.vm.alive, false);
});

for (const [id, line] of [
  [0, 'dataport_vmcall_handler@cross_vm_dataport.c:58 Illegal dataport id 0'],
  [2, 'dataport_vmcall_handler@cross_vm_dataport.c:63 Dataport 2 not found'],
] as const) {
  test(`dataport id ${id}: ${line.split(' ').slice(1).join(' ')}, then VM fatal`, () => {
    const t = tutorial(function* (m) {
      yield* guestInit(m, 4096, id);
    });
    t.sys.run();
    assert.deepEqual(t.vmmOut().slice(0, 2), [line, 'VM_FATAL_ERROR ::: vmexit handler return error']);
  });
}

for (const [ecx, ebx, line] of [
  [0, 1, 'emit_event@cross_vm_emits_event.c:23 Invalid event id 0'],
  [2, 1, 'emit_event@cross_vm_emits_event.c:28 Invalid event id 2. Id must be in range 1..1'],
  [1, 7, 'event_vmcall_handler@cross_vm_emits_event.c:54 Unknown command: 7'],
] as const) {
  test(`emit ebx=${ebx} ecx=${ecx}: ${line.split(' ').slice(1).join(' ')}`, () => {
    const t = tutorial(function* (m) {
      yield* guestInit(m);
      yield* m.vmcall({ eax: 3, ebx, ecx });
    });
    t.sys.run();
    assert.deepEqual(t.vmmOut().slice(0, 2), [line, 'VM_FATAL_ERROR ::: vmexit handler return error']);
    assert.deepEqual(t.sys.serial.textOf('print_server'), []);
  });
}

test('without cross_vm_dataports_init the SHARE vmcall is skipped: nothing is shared, the guest goes on', () => {
  const seen: string[] = [];
  const t = tutorial(
    function* (m) {
      yield* guestInit(m);
      yield* m.write(DP, cstr('private'));
      yield* m.vmcall({ eax: 3, ebx: 1, ecx: 1 });
      seen.push(`event ${yield* guestWaitEvent(m)}`);
    },
    (c) => c.replace(/int cross_vm_dataports_init\(vmm_t \*vmm\) \{[^}]*\}/, ''),
  );
  t.sys.run();
  assert.deepEqual(t.vmmOut(), ['vmm_vmcall_handler:55 | Failed to find handler for token:1']);
  assert.deepEqual(t.sys.serial.textOf('print_server'), ['']); // the component's buffer is untouched
  assert.deepEqual(seen, ['event 1']);
});

test('without cross_vm_consumes_events_init the INIT vmcall is skipped and the magic is not written', () => {
  let magic = -1;
  const t = tutorial(
    function* (m) {
      magic = yield* guestInit(m);
    },
    (c) => c.replace(/int cross_vm_consumes_events_init\([^)]*\) \{[^}]*\}/, ''),
  );
  t.sys.run();
  assert.equal(magic, 0);
  assert.deepEqual(t.vmmOut(), ['vmm_vmcall_handler:55 | Failed to find handler for token:2']);
});

test('events the component emits before the guest INIT are dropped; the callback stays registered', () => {
  const seen: string[] = [];
  const t = tutorial(function* (m) {
    // Let the component run first: it is waiting for do_print; the test signals done_printing itself.
    yield* m.idle(m.now() + 1_000_000);
    seen.push(`magic ${yield* guestInit(m)}`);
    seen.push(`pending ${yield* m.acknowledgeInterrupt()}`);
  });
  const ps = t.sys.instances.get('print_server')!;
  t.sys.kernel.spawn({ name: 'early emitter', priority: 254, cspace: ps.space.cnode, vspace: ps.space.vspace }, function* (sys) {
    ps.runtime.context(sys).emit('done_printing');
  });
  t.sys.run();
  assert.deepEqual(seen, ['magic 42', 'pending null']);
  const dropped = t.sys.kernel.trace.all().filter((e) => e.op === 'event_camkes_callback');
  assert.deepEqual(dropped.map((e) => e.result), ['dropped: no event context']);
});

test('a second event waits in cross_vm_event_mutex until the guest ACKs the first', () => {
  const seen: string[] = [];
  const t = tutorial(function* (m) {
    yield* guestInit(m);
    for (let n = 0; n < 2; n++) {
      let line = yield* m.acknowledgeInterrupt();
      while (line === null) {
        yield* m.idle(null);
        line = yield* m.acknowledgeInterrupt();
      }
      seen.push(`irq ${line} id ${yield* m.read32(CTX)} at ${m.now()}`);
      yield* m.idle(m.now() + 5_000_000); // a slow handler: the ACK comes 5 ms later
      yield* m.vmcall({ eax: 2, ebx: 2 });
      yield* m.endOfInterrupt(line);
    }
  });
  const ps = t.sys.instances.get('print_server')!;
  t.sys.kernel.spawn({ name: 'emitter', priority: 200, cspace: ps.space.cnode, vspace: ps.space.vspace }, function* (sys) {
    yield* sys.sleep(2_000_000);
    ps.runtime.context(sys).emit('done_printing');
    yield* sys.sleep(1_000_000);
    ps.runtime.context(sys).emit('done_printing');
  });
  t.sys.run();
  assert.deepEqual(seen, ['irq 12 id 1 at 2000000', 'irq 12 id 1 at 7000000']);
  const blocked = t.sys.kernel.trace.all().filter((e) => e.actor === 'vm0:done_printing__run' && e.op === 'seL4_Wait' && e.object === 'ntfn vm0.cross_vm_event_mutex' && e.result === 'blocked');
  assert.deepEqual(blocked.map((e) => e.time), [3_000_000]);
});
