// Kernel hot paths: notification hand-offs, endpoint round trips, and the memory a 2 GiB guest
// RAM region costs with 1% of it touched. Writes reports/bench/kernel.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Kernel, ReadWrite, msg } from '../src/sel4';

const TRIALS = 5;

function setup(count: number, type: 'Notification' | 'Endpoint'): { k: Kernel; base: number } {
  const k = new Kernel({ arch: 'aarch64', seed: 1 });
  const base = k.firstFreeSlot;
  const r = k.root.untypedRetype(k.untyped[0].cptr, { type, offset: base, count, name: type === 'Notification' ? 'ntfn bench' : 'ep bench' });
  if (r !== 'seL4_NoError') throw new Error(`bench setup: ${r}`);
  return { k, base };
}

/** Two threads pass a token through two notifications: each completed wait is one hand-off. */
function handoffs(rounds: number): { perSecond: number; traceEvents: number } {
  const { k, base } = setup(2, 'Notification');
  let n = 0;
  k.spawn({ name: 'ping', priority: 100 }, function* (sys) {
    for (let i = 0; i < rounds; i++) {
      sys.signal(base);
      yield* sys.wait(base + 1);
      n++;
    }
  });
  k.spawn({ name: 'pong', priority: 100 }, function* (sys) {
    for (let i = 0; i < rounds; i++) {
      yield* sys.wait(base);
      n++;
      sys.signal(base + 1);
    }
  });
  const t0 = performance.now();
  const r = k.run();
  const dt = (performance.now() - t0) / 1000;
  if (r.reason !== 'finished' || n !== 2 * rounds) throw new Error(`hand-off bench ended ${r.reason} after ${n}`);
  return { perSecond: n / dt, traceEvents: k.trace.length + k.trace.droppedCount };
}

function roundTrips(rounds: number): number {
  const { k, base } = setup(1, 'Endpoint');
  let n = 0;
  k.spawn({ name: 'server', priority: 100 }, function* (sys) {
    let m = yield* sys.recv(base);
    for (;;) m = yield* sys.replyRecv(base, msg(0, m.mrs[0] + 1));
  });
  k.spawn({ name: 'client', priority: 90 }, function* (sys) {
    for (let i = 0; i < rounds; i++) if ((yield* sys.call(base, msg(1, i))).mrs[0] === i + 1) n++;
  });
  const t0 = performance.now();
  k.run();
  const dt = (performance.now() - t0) / 1000;
  if (n !== rounds) throw new Error(`call bench: ${n} of ${rounds} replies correct`);
  return n / dt;
}

function guestRam(): Record<string, number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const k = new Kernel({ arch: 'aarch64', seed: 1, untyped: [{ sizeBits: 31, count: 1, paddr: 0x4000_0000 }, { sizeBits: 20, count: 1, paddr: 0x1_0000_0000 }] });
  const base = k.firstFreeSlot;
  const r = k.root;
  // 2 GiB as 1024 large (2 MiB) frames, mapped into a guest stage-2 VSpace.
  if (r.untypedRetype(k.untyped[0].cptr, { type: 'Frame', sizeBits: 21, offset: base, count: 256, name: 'guest ram a' }) !== 'seL4_NoError') throw new Error('retype');
  for (let i = 1; i < 4; i++) r.untypedRetype(k.untyped[0].cptr, { type: 'Frame', sizeBits: 21, offset: base + 256 * i, count: 256, name: `guest ram ${i}` });
  const vs = base + 1024;
  if (r.untypedRetype(k.untyped[1].cptr, { type: 'VSpace', offset: vs, name: 'vm0 stage-2' }) !== 'seL4_NoError') throw new Error('retype vspace');
  const vspace = r.object<import('../src/sel4').VSpace>(vs);
  let mapped = 0;
  for (let i = 0; i < 1024; i++) if (r.pageMap(base + i, vs, 0x4000_0000 + i * 2 ** 21, ReadWrite) === 'seL4_NoError') mapped++;
  // Touch 1%: one 4 KiB page in every hundred, spread over the whole region.
  const pages = (2 * 2 ** 30) / 4096;
  let touched = 0;
  for (let p = 0; p < pages; p += 100) {
    if (vspace && vspace.store(0x4000_0000 + p * 4096, 4, p) === null) touched++;
  }
  const frames = Array.from({ length: 1024 }, (_, i) => r.object<import('../src/sel4').Frame>(base + i)!);
  gc?.();
  const after = process.memoryUsage();
  const mib = (x: number) => Math.round((x / 2 ** 20) * 10) / 10;
  return { rssDeltaMiB: mib(after.rss - before.rss), heapDeltaMiB: mib(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers), touchedMiB: mib(touched * 4096), mappedFrames: mapped, backingMiB: mib(frames.reduce((a, f) => a + f.touchedBytes, 0)) };
}

const best = (xs: number[]) => Math.round(Math.max(...xs));
const mem = guestRam();
const h = Array.from({ length: TRIALS }, () => handoffs(500_000));
const c = Array.from({ length: TRIALS }, () => roundTrips(200_000));
const out = {
  notificationHandoffsPerSecond: best(h.map((x) => x.perSecond)),
  notificationHandoffsPerSecondTrials: h.map((x) => Math.round(x.perSecond)),
  endpointRoundTripsPerSecond: best(c),
  endpointRoundTripsPerSecondTrials: c.map(Math.round),
  traceOn: true,
  traceEventsPerHandoffRun: h[0].traceEvents,
  guestRam2GiB1PercentTouched: mem,
  note: 'best of trials, one core, wall-clock on the CI machine; trace recording on (1,000,000-event ring)',
};
mkdirSync('reports/bench', { recursive: true });
writeFileSync('reports/bench/kernel.json', JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(out, null, 2));
