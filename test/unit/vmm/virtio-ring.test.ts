import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Blocking } from '../../../src/sel4';
import { DeviceVirtqueue, FlatMemory, le, vringLayout, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../../../src/vmm/virtio';
import { DriverVirtqueue, type DmaMemory } from '../../../src/guest/virtio';

/** Runs a driver-side generator whose memory never blocks. */
function sync<T>(g: Blocking<T>): T {
  const r = g.next();
  if (!r.done) throw new Error('driver blocked on a plain memory');
  return r.value;
}

function dma(mem: FlatMemory): DmaMemory {
  return {
    // eslint-disable-next-line require-yield
    *read(pa, len) {
      const b = mem.read(pa, len);
      if (!b) throw new Error(`driver read outside RAM at ${pa}`);
      return b;
    },
    // eslint-disable-next-line require-yield
    *write(pa, bytes) {
      if (!mem.write(pa, bytes)) throw new Error(`driver write outside RAM at ${pa}`);
    },
  };
}

test('split ring layout: legacy sizes and the 4096-byte aligned used ring', () => {
  assert.deepEqual(vringLayout(0x10000, 256), { num: 256, desc: 0x10000, avail: 0x11000, used: 0x12000, bytes: 0x2000 + 6 + 8 * 256 });
  assert.deepEqual(vringLayout(0, 128), { num: 128, desc: 0, avail: 2048, used: 4096, bytes: 4096 + 6 + 1024 });
  assert.equal(vringLayout(0, 4).used, 4096);
  assert.throws(() => vringLayout(0, 3), /not a power of two/);
  assert.throws(() => vringLayout(0, 65536), /not a power of two in 1\.\.32768/);
});

interface Req {
  token: number;
  bufs: { addr: number; len: number; write: boolean; data: Uint8Array }[];
}

const bufArb = fc.record({ len: fc.integer({ min: 1, max: 48 }), write: fc.boolean(), fill: fc.integer({ min: 0, max: 255 }) });
const opArb = fc.oneof(
  fc.record({ op: fc.constant('add' as const), bufs: fc.array(bufArb, { minLength: 1, maxLength: 5 }) }),
  fc.record({ op: fc.constant('process' as const), fill: fc.integer({ min: 0, max: 255 }), short: fc.boolean() }),
  fc.record({ op: fc.constant('reclaim' as const) }),
);

test('property: add/kick/process/reclaim preserve data and order; indices wrap at 2^16', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 65520, max: 65535 }), fc.integer({ min: 0, max: 65535 })),
      fc.constantFrom(2, 4, 8),
      fc.array(opArb, { maxLength: 80 }),
      (start, num, ops) => {
        const mem = new FlatMemory(0, 1 << 20);
        const drv = new DriverVirtqueue<number>(dma(mem), 0, 0, num);
        sync(drv.init(start));
        const dev = new DeviceVirtqueue(mem, 0, num);
        assert.equal(dev.lastAvail, start);
        let next = 0x10000;
        let token = 0;
        const available: Req[] = [];
        const processed: { req: Req; written: number; bytes: Uint8Array }[] = [];
        let done = 0;
        for (const o of ops) {
          if (o.op === 'add') {
            // Device-readable buffers come first in a chain.
            const bufs = [...o.bufs].sort((x, y) => Number(x.write) - Number(y.write)).map((b) => {
              const addr = next;
              next += b.len;
              const data = new Uint8Array(b.len).fill(b.fill);
              if (!b.write) mem.write(addr, data);
              return { addr, len: b.len, write: b.write, data };
            });
            const free = drv.free;
            const ok = sync(drv.add(bufs, token));
            assert.equal(ok, bufs.length <= free);
            // The device never sets VRING_USED_F_NO_NOTIFY: every add is kicked.
            assert.equal(sync(drv.kickNeeded()), true);
            if (ok) available.push({ token: token++, bufs });
            assert.equal(dev.pending(), available.length);
          } else if (o.op === 'process') {
            const c = dev.pop();
            if (!available.length) {
              assert.equal(c, null);
              continue;
            }
            assert.ok(c && !('error' in c));
            const req = available.shift()!;
            const r = req.bufs.filter((b) => !b.write);
            const w = req.bufs.filter((b) => b.write);
            assert.deepEqual(c.readable, r.map((b) => ({ addr: b.addr, len: b.len })));
            assert.deepEqual(c.writable, w.map((b) => ({ addr: b.addr, len: b.len })));
            assert.deepEqual(dev.gather(c), Uint8Array.from(r.flatMap((b) => [...b.data])));
            const room = w.reduce((s, b) => s + b.len, 0);
            const bytes = new Uint8Array(o.short ? Math.floor(room / 2) : room).fill(o.fill);
            const written = dev.scatter(c, bytes);
            assert.equal(written, bytes.length);
            dev.push(c.head, written);
            processed.push({ req, written, bytes });
          } else {
            const u = sync(drv.getUsed());
            if (!processed.length) {
              assert.equal(u, null);
              continue;
            }
            const p = processed.shift()!;
            assert.deepEqual(u, { token: p.req.token, len: p.written });
            let off = 0;
            for (const b of p.req.bufs.filter((x) => x.write)) {
              const n = Math.min(b.len, p.written - off);
              if (n > 0) assert.deepEqual(mem.read(b.addr, n), p.bytes.subarray(off, off + n));
              off += b.len;
            }
            done++;
          }
          const inFlight = [...available, ...processed.map((p) => p.req)].reduce((s, q) => s + q.bufs.length, 0);
          assert.equal(drv.free, num - inFlight);
        }
        assert.equal(dev.usedIdx, (start + done + processed.length) & 0xffff);
        assert.equal(dev.lastAvail, (start + done + processed.length) & 0xffff);
      },
    ),
    { numRuns: 300, seed: 1 },
  );
});

test('a queue of two keeps working across the natural 2^16 index wrap from reset', () => {
  const mem = new FlatMemory(0, 1 << 16);
  const drv = new DriverVirtqueue<number>(dma(mem), 0, 0, 2);
  sync(drv.init());
  const dev = new DeviceVirtqueue(mem, 0, 2);
  const n = 65_600;
  for (let i = 0; i < n; i++) {
    if (!sync(drv.add([{ addr: 0x9000, len: 4, write: true }], i))) assert.fail(`add ${i}`);
    const c = dev.pop();
    if (!c || 'error' in c) assert.fail(`pop ${i}`);
    dev.push(c.head, dev.scatter(c, le(4, i)));
    const u = sync(drv.getUsed());
    if (u?.token !== i) assert.fail(`used ${i}: ${JSON.stringify(u)}`);
  }
  assert.equal(dev.lastAvail, n & 0xffff);
  assert.equal(dev.usedIdx, n & 0xffff);
  assert.deepEqual(mem.read(0x9000, 4), le(4, n - 1));
});

/** Writes one raw descriptor. */
function desc(mem: FlatMemory, i: number, addr: number, len: number, flags: number, next: number): void {
  const d = new Uint8Array(16);
  d.set(le(8, addr), 0);
  d.set(le(4, len), 8);
  d.set(le(2, flags), 12);
  d.set(le(2, next), 14);
  mem.write(16 * i, d);
}

function offer(mem: FlatMemory, head: number): void {
  const l = vringLayout(0, 4);
  mem.write(l.avail + 4, le(2, head));
  mem.write(l.avail + 2, le(2, 1));
}

test('malformed chains stop the queue with a reason', () => {
  const cases: [string, (m: FlatMemory) => void, RegExp][] = [
    ['loop', (m) => { desc(m, 0, 0x2000, 4, VIRTQ_DESC_F_NEXT, 1); desc(m, 1, 0x2000, 4, VIRTQ_DESC_F_NEXT, 0); offer(m, 0); }, /chain from 0 loops/],
    ['head', (m) => offer(m, 9), /entry 9 is not a descriptor/],
    ['next', (m) => { desc(m, 0, 0x2000, 4, VIRTQ_DESC_F_NEXT, 7); offer(m, 0); }, /chains to 7, outside the table/],
    ['order', (m) => { desc(m, 0, 0x2000, 4, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1); desc(m, 1, 0x2000, 4, 0, 0); offer(m, 0); }, /device-readable after a device-writable/],
    ['indirect', (m) => { desc(m, 0, 0x2000, 16, VIRTQ_DESC_F_INDIRECT, 0); offer(m, 0); }, /indirect/],
  ];
  for (const [name, setup, re] of cases) {
    const mem = new FlatMemory(0, 1 << 16);
    const dev = new DeviceVirtqueue(mem, 0, 4);
    setup(mem);
    const c = dev.pop();
    assert.ok(c && 'error' in c, name);
    assert.match(c.error, re);
    assert.equal(dev.pop(), null, `${name}: a broken queue yields nothing more`);
  }
});
