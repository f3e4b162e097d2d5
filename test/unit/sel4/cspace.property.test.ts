import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AllRights, type CNode, type SeL4ErrorName } from '../../../src/sel4';
import { boot } from './fixture';

const SLOTS = 4;
type Op =
  | { kind: 'copy'; src: number; dst: number }
  | { kind: 'move'; src: number; dst: number }
  | { kind: 'mint'; src: number; dst: number; badge: number }
  | { kind: 'delete'; at: number }
  | { kind: 'revoke'; at: number };

interface RefCap {
  object: string;
  badge: number;
  parent: RefCap | null;
}

/** The derivation tree as a set of caps with parent links: the reference for CNode operations. */
class RefCSpace {
  slots: (RefCap | null)[] = new Array(SLOTS).fill(null);
  private live(): RefCap[] {
    return this.slots.filter((c): c is RefCap => c !== null);
  }
  private descends(c: RefCap, a: RefCap): boolean {
    for (let p = c.parent; p; p = p.parent) if (p === a) return true;
    return false;
  }
  private remove(c: RefCap): void {
    for (const o of this.live()) if (o.parent === c) o.parent = c.parent;
    this.slots[this.slots.indexOf(c)] = null;
  }
  apply(op: Op): SeL4ErrorName {
    if (op.kind === 'delete') {
      const c = this.slots[op.at];
      if (c) this.remove(c);
      return 'seL4_NoError';
    }
    if (op.kind === 'revoke') {
      const c = this.slots[op.at];
      if (c) for (const d of this.live().filter((o) => this.descends(o, c))) this.slots[this.slots.indexOf(d)] = null;
      return 'seL4_NoError';
    }
    const s = this.slots[op.src];
    if (!s) return 'seL4_FailedLookup';
    if (this.slots[op.dst]) return 'seL4_DeleteFirst';
    if (op.kind === 'move') {
      this.slots[op.src] = null;
      this.slots[op.dst] = s;
      return 'seL4_NoError';
    }
    if (op.kind === 'mint' && s.badge !== 0) return 'seL4_IllegalOperation';
    this.slots[op.dst] = { object: s.object, badge: op.kind === 'mint' ? op.badge : s.badge, parent: s };
    return 'seL4_NoError';
  }
}

const slot = fc.integer({ min: 0, max: SLOTS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('copy' as const), src: slot, dst: slot }),
  fc.record({ kind: fc.constant('move' as const), src: slot, dst: slot }),
  fc.record({ kind: fc.constant('mint' as const), src: slot, dst: slot, badge: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: slot }),
  fc.record({ kind: fc.constant('revoke' as const), at: slot }),
);

test('CNode copy/mint/move/delete/revoke agree with the reference derivation tree', () => {
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 10, maxLength: 50, size: "max" }), (ops) => {
      const { root, alloc } = boot();
      const cn = alloc.must('CNode', 'cnode prop', 3);
      const ref = new RefCSpace();
      // Two originals, retyped straight into slots 0 and 1 of the CNode under test.
      for (const [i, name] of ['ntfn a', 'ep b'].entries()) {
        assert.equal(root.untypedRetype(16, { type: i ? 'Endpoint' : 'Notification', dest: cn, offset: i, name }), 'seL4_NoError');
        ref.slots[i] = { object: name, badge: 0, parent: null };
      }
      for (const op of ops) {
        let got: SeL4ErrorName;
        if (op.kind === 'mint') got = root.cnodeMint(cn, op.dst, cn, op.src, AllRights, op.badge);
        else if (op.kind === 'copy') got = root.cnodeCopy(cn, op.dst, cn, op.src, AllRights);
        else if (op.kind === 'move') got = root.cnodeMove(cn, op.dst, cn, op.src);
        else if (op.kind === 'delete') got = root.cnodeDelete(cn, op.at);
        else got = root.cnodeRevoke(cn, op.at);
        assert.equal(got, ref.apply(op), JSON.stringify(op));
        const cnode = root.object<CNode>(cn)!;
        const actual = Array.from({ length: SLOTS }, (_, i) => cnode.capAt(i)).map((c) => (c ? `${c.object.name}/${c.badge}` : '-'));
        assert.deepEqual(actual, ref.slots.map((c) => (c ? `${c.object}/${c.badge}` : '-')));
      }
    }),
    { numRuns: 500 },
  );
});
