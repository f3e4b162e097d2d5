/* eslint-disable require-yield -- script guests and handlers that never block are generators by contract */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scriptGuest, x86System } from './x86-fixture';
import { I8259Pair, picBadge, registerGlueHandlers, VM_PIC_BADGE_IRQ_12 } from '../../../src/vmm/x86';
import { parseCFile } from '../../../src/vmm/glue';

test('VM_PIC_BADGE_IRQ_12 is BIT(27)|BIT(13) = 134225920', () => {
  assert.equal(VM_PIC_BADGE_IRQ_12, 134225920);
  assert.equal(picBadge(4), (1 << 27) | (1 << 5));
});

test('an unregistered vmcall token logs the libsel4vmm message, is skipped, and the guest goes on', () => {
  const got: number[] = [];
  const g = scriptGuest(function* (m) {
    got.push(yield* m.vmcall({ eax: 1, ebx: 1, ecx: 1, edx: 0x1000, esi: 4096 }));
    got.push(yield* m.vmcall({ eax: 0xfabbdad }));
  });
  const s = x86System(g);
  s.vmm.start();
  s.kernel.run();
  assert.deepEqual(got, [1, 0xfabbdad]);
  assert.equal(s.text('vm0:vmm'), 'vmm_vmcall_handler:55 | Failed to find handler for token:1\nvmm_vmcall_handler:55 | Failed to find handler for token:fabbdad\n');
  assert.equal(s.vmm.vm.alive, true);
});

test('reg_new_handler refuses a duplicate token and keeps the first handler', () => {
  const calls: string[] = [];
  const g = scriptGuest(function* (m) {
    yield* m.vmcall({ eax: 4 });
  });
  const s = x86System(g);
  const results: number[] = [];
  s.vmm.addInit(function* (_sys, vmm) {
    results.push(vmm.regNewHandler(4, 'first', function* () {
      calls.push('first');
      return 0;
    }));
    results.push(vmm.regNewHandler(4, 'second', function* () {
      calls.push('second');
      return 0;
    }));
  });
  s.vmm.start();
  s.kernel.run();
  assert.deepEqual(results, [0, -1]);
  assert.deepEqual(calls, ['first']);
  assert.deepEqual(s.vmmOps('reg_new_handler').map((e) => `${e.object}:${e.value}:${e.result}`), ['first:4:0', 'second:4:-1']);
});

test('a handler returning non-zero prints VM_FATAL_ERROR and the nine-line context dump; the vCPU goes offline', () => {
  const g = scriptGuest(function* (m) {
    g.reached.push('a');
    yield* m.vmcall({ eax: 3, ebx: 1, ecx: 0x7, edx: 0xdeadbeef, esi: 0x20 });
    g.reached.push('b');
  });
  const s = x86System(g);
  s.vmm.addInit(function* (_sys, vmm) {
    vmm.regNewHandler(3, 'event_vmcall_handler', function* () {
      return -1;
    });
  });
  s.vmm.start();
  const r = s.kernel.run();
  assert.deepEqual(g.reached, ['a']);
  const lines = s.text('vm0:vmm').split('\n');
  assert.deepEqual(lines, [
    'VM_FATAL_ERROR ::: vmexit handler return error',
    'vmm_print_guest_context:27 | ================== GUEST OS CONTEXT =================',
    'vmm_print_guest_context:29 | exit info : reason 0x12    qualification 0x0   instruction len 0x3 interrupt info 0x0 interrupt error 0x0',
    'vmm_print_guest_context:31 |             guest physical 0x0     rflags 0x246 ',
    'vmm_print_guest_context:33 |             guest interruptibility 0x0   control entry 0x0',
    'vmm_print_guest_context:36 | eip 0x       0',
    'vmm_print_guest_context:38 | eax 0x       3         ebx 0x       1      ecx 0x       7',
    'vmm_print_guest_context:40 | edx 0xdeadbeef         esi 0x      20      edi 0x       0',
    'vmm_print_guest_context:42 | ebp 0x       0',
    'vmm_print_guest_context:45 | cr0 0x80050033      cr3 0x0   cr4 0x0',
    '',
  ]);
  assert.equal(s.vmm.vm.state.kind, 'dead');
  assert.equal(r.reason, 'deadlock');
});

test('the PIC delivers the highest-priority unmasked line; EOI lets lower lines through', () => {
  const p = new I8259Pair();
  p.raise(12);
  p.raise(4);
  p.ioOut(0x21, 0x10); // mask line 4 on the master
  assert.equal(p.acknowledge(), 12);
  assert.equal(p.hasPending(), false); // 12 in service (and the cascade line): nothing of lower priority
  p.endOfInterrupt(12);
  assert.equal(p.hasPending(), false); // 4 is masked
  p.ioOut(0x21, 0x00);
  assert.equal(p.acknowledge(), 4);
  p.ioOut(0x20, 0x20); // non-specific EOI
  assert.equal(p.acknowledge(), null);
});

test('the PIC: OCW3 selects IRR or ISR; ICW1 resets the mask', () => {
  const p = new I8259Pair();
  p.raise(3);
  p.ioOut(0x20, 0x0a);
  assert.equal(p.ioIn(0x20), 0x08);
  p.acknowledge();
  p.ioOut(0x20, 0x0b);
  assert.equal(p.ioIn(0x20), 0x08);
  p.ioOut(0x21, 0xff);
  for (const v of [0x11, 0x30, 0x04, 0x01]) p.ioOut(v === 0x11 ? 0x20 : 0x21, v);
  assert.equal(p.ioIn(0x21), 0);
});

test('property: with nothing in service, lines come out lowest number first, each once, slave lines in the cascade slot', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 15 }).filter((l) => l !== 2), { minLength: 1, maxLength: 15 }), (lines) => {
      const p = new I8259Pair();
      for (const l of lines) p.raise(l);
      const out: number[] = [];
      for (let line = p.acknowledge(); line !== null; line = p.acknowledge()) {
        out.push(line);
        p.endOfInterrupt(line);
      }
      const prio = (l: number) => (l >= 8 ? 2 + (l - 8) / 10 : l);
      assert.deepEqual(out, [...lines].sort((a, b) => prio(a) - prio(b)));
    }),
  );
});

test('a badge with BIT(27) raises every PIC line whose bits are present; the halted guest wakes and takes them', () => {
  const got: (number | null)[] = [];
  const g = scriptGuest(function* (m) {
    yield* m.idle(null);
    got.push(yield* m.acknowledgeInterrupt());
    got.push(yield* m.acknowledgeInterrupt());
  });
  const s = x86System(g);
  s.vmm.start();
  s.kernel.run();
  // Two coalesced signals (line 12 and line 9) arrive while the guest is halted.
  const slot = s.alloc.slot();
  s.kernel.root.cnodeMint(2, slot, s.cnode, s.vmm.resources.notification, { read: false, write: true, grant: false, grantReply: false }, VM_PIC_BADGE_IRQ_12 | picBadge(9));
  s.kernel.root.signal(slot);
  s.kernel.run();
  assert.deepEqual(got, [9, null]); // 12 waits for 9's EOI (fixed priority)
  assert.deepEqual(s.vmmOps('inject_irq').map((e) => e.value), [9, 12]);
});

test('COM1: console input raises IRQ 4, the guest reads the bytes; guest output reaches the serial output', () => {
  const log: string[] = [];
  const g = scriptGuest(function* (m) {
    yield* m.consoleWrite(new TextEncoder().encode('buildroot login: '));
    yield* m.idle(null);
    const line = yield* m.acknowledgeInterrupt();
    const bytes = yield* m.consoleRead(64);
    yield* m.endOfInterrupt(line!);
    log.push(`${line}:${new TextDecoder().decode(bytes)}`);
    log.push(`lsr=${(yield* m.ioIn(0x3fd, 1)).toString(16)}`);
  });
  const s = x86System(g);
  s.vmm.start();
  s.kernel.run();
  s.vmm.input('root\n');
  s.kernel.run();
  assert.deepEqual(log, ['4:root\n', 'lsr=60']);
  assert.equal(s.text('vm0'), 'buildroot login: ');
});

test('PCI configuration through 0xcf8/0xcfc: with no vPCI bus every device reads all ones', () => {
  const got: number[] = [];
  const g = scriptGuest(function* (m) {
    got.push(yield* m.pciConfigRead(0, 0, 0, 4));
    got.push(yield* m.pciConfigRead(3, 0, 2, 2));
  });
  const s = x86System(g);
  s.vmm.start();
  s.kernel.run();
  assert.deepEqual(got, [0xffffffff, 0xffff]);
  assert.deepEqual(s.vmmOps('io_out').map((e) => e.object), ['0xcf8', '0xcf8']);
});

test('the tutorial poke hypercall: token 4 registered from the glue prints POKE!!! and resumes the guest', () => {
  const c = parseCFile(
    ['static int poke_handler(vmm_vcpu_t *vmm_vcpu) {', '    printf("POKE!!!\\n");', '    return 0;', '}', 'void vmm_extra_init(vmm_t *vmm) {', '    reg_new_handler(vmm, poke_handler, 4);', '}'].join('\n'),
    'apps/x/src/poke.c',
  );
  const g = scriptGuest(function* (m) {
    yield* m.vmcall({ eax: 4, ebx: 0 });
    g.reached.push('resumed');
  });
  const s = x86System(g);
  const regs = registerGlueHandlers(s.vmm, [c]);
  assert.deepEqual(regs.map((r) => `${r.handler}:${r.token}`), ['poke_handler:4']);
  s.vmm.start();
  s.kernel.run();
  assert.equal(s.text('vm0:vmm'), 'POKE!!!\n');
  assert.deepEqual(g.reached, ['resumed']);
});

test('a reg_new_handler naming a handler the glue does not define is a positioned error', () => {
  const c = parseCFile('void f(vmm_t *vmm) {\n  reg_new_handler(vmm, nope, 5);\n}\n', 'apps/x/src/h.c');
  const s = x86System(null);
  assert.throws(() => registerGlueHandlers(s.vmm, [c]), /apps\/x\/src\/h.c:2:24: error: handler 'nope' is not defined/);
});
