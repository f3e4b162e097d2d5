import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AllRights, type Notification } from '../../../src/sel4';
import { boot } from './fixture';

type Op = { kind: 'signal'; badge: number } | { kind: 'poll' } | { kind: 'wait' };

/** The notification as section 7.1 states it: a word, an active flag and a FIFO of waiters. */
class RefNotification {
  active = false;
  word = 0;
  waiters: number[] = [];
  readonly woken = new Map<number, number>();
  signal(b: number): void {
    const w = this.waiters.shift();
    if (w !== undefined) this.woken.set(w, b);
    else if (this.active) this.word = (this.word | b) >>> 0;
    else {
      this.active = true;
      this.word = b;
    }
  }
  take(): number | null {
    if (!this.active) return null;
    const w = this.word;
    this.active = false;
    this.word = 0;
    return w;
  }
  poll(): number {
    return this.take() ?? 0;
  }
  wait(id: number): void {
    const w = this.take();
    if (w === null) this.waiters.push(id);
    else this.woken.set(id, w);
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('signal' as const), badge: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0xffff })) }),
  fc.constant({ kind: 'poll' as const }),
  fc.constant({ kind: 'wait' as const }),
);

test('notification behaves as the reference model over random signal/poll/wait sequences', () => {
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 5, maxLength: 40, size: "max" }), (ops) => {
      const { kernel, root, alloc } = boot();
      const n = alloc.must('Notification', 'ntfn prop');
      const ref = new RefNotification();
      const woken = new Map<number, number>();
      let waiters = 0;
      for (const op of ops) {
        if (op.kind === 'signal') {
          const c = alloc.slot();
          root.cnodeMint(2, c, 2, n, AllRights, op.badge);
          root.signal(c);
          ref.signal(op.badge);
        } else if (op.kind === 'poll') {
          assert.equal(root.poll(n), ref.poll());
        } else {
          const id = waiters++;
          kernel.spawn({ name: `w${id}`, priority: 10 }, function* (sys) {
            woken.set(id, yield* sys.wait(n));
          });
          ref.wait(id);
        }
        kernel.run();
        assert.deepEqual([...woken].sort(), [...ref.woken].sort());
        const obj = root.object<Notification>(n)!;
        assert.equal(obj.active, ref.active);
        assert.equal(obj.word, ref.word);
        assert.deepEqual(obj.waiters.toArray().map((t) => t.name), ref.waiters.map((i) => `w${i}`));
      }
    }),
    { numRuns: 150 },
  );
});
