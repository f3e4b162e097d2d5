// Kernel features: each step turns a sentence into kernel calls or an assertion. Threads named in
// a step are spawned to do that one thing; the kernel then runs until nothing more can happen.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import {
  AllRights, InitCaps, Kernel, ObjectAllocator, msg, rights, renderRunReport,
  type CPtr, type Frame, type Notification, type RunResult, type TCB, type Trigger, type VSpace,
} from '../src/sel4';
import type { ConformanceWorld } from './support/world';

/** Names used in a scenario and the capabilities (in the root CNode) they stand for. */
class KernelScenario {
  readonly kernel: Kernel;
  readonly alloc: ObjectAllocator;
  readonly caps = new Map<string, CPtr>();
  readonly badged = new Map<string, CPtr>();
  readonly results = new Map<string, unknown>();
  last: RunResult | null = null;
  lastError = '';
  pool: CPtr | null = null;
  constructor(w: ConformanceWorld) {
    this.kernel = new Kernel({ arch: w.platform.arch, seed: w.seed });
    this.alloc = this.kernel.allocator();
    w.trace = this.kernel.trace;
  }
  cap(name: string): CPtr {
    const c = this.caps.get(name);
    if (c === undefined) throw new Error(`the scenario has no object called "${name}"`);
    return c;
  }
  /** A cap to `name` carrying `badge` (minted once per badge). */
  withBadge(name: string, badge: number): CPtr {
    const key = `${name}#${badge}`;
    let c = this.badged.get(key);
    if (c === undefined) {
      c = this.alloc.slot();
      expect(this.kernel.root.cnodeMint(InitCaps.seL4_CapInitThreadCNode, c, InitCaps.seL4_CapInitThreadCNode, this.cap(name), AllRights, badge)).to.equal('seL4_NoError');
      this.badged.set(key, c);
    }
    return c;
  }
  create(type: 'Notification' | 'Endpoint' | 'VSpace', name: string): void {
    const prefix = type === 'Notification' ? 'ntfn' : type === 'Endpoint' ? 'ep' : 'vspace';
    this.caps.set(name, this.alloc.must(type, `${prefix} ${name}`));
  }
  run(w: ConformanceWorld): RunResult {
    this.last = this.kernel.run({ maxSteps: 1_000_000 });
    w.deadlockReport = this.last.reason === 'deadlock' ? renderRunReport(this.last) : undefined;
    return this.last;
  }
  thread(name: string): TCB {
    const t = [...this.kernel.threads].reverse().find((x) => x.name === name);
    if (!t) throw new Error(`no thread "${name}" in this scenario`);
    return t;
  }
}

const scenarios = new WeakMap<ConformanceWorld, KernelScenario>();
function ks(w: ConformanceWorld): KernelScenario {
  let s = scenarios.get(w);
  if (!s) scenarios.set(w, (s = new KernelScenario(w)));
  return s;
}
const CN = InitCaps.seL4_CapInitThreadCNode;

// --- Notifications ----------------------------------------------------------------------------

Given('a notification {string}', function (this: ConformanceWorld, name: string) {
  ks(this).create('Notification', name);
});

Given('an endpoint {string}', function (this: ConformanceWorld, name: string) {
  ks(this).create('Endpoint', name);
});

When('thread {string} signals {string} with badge {kword}', function (this: ConformanceWorld, who: string, n: string, badge: number) {
  const s = ks(this);
  const c = s.withBadge(n, badge);
  s.kernel.spawn({ name: who, priority: 100 }, (sys) => {
    sys.signal(c);
  });
  s.run(this);
});

When('thread {string} waits on {string}', function (this: ConformanceWorld, who: string, n: string) {
  const s = ks(this);
  const c = s.cap(n);
  s.kernel.spawn({ name: who, priority: 100 }, function* (sys) {
    s.results.set(who, yield* sys.wait(c));
  });
  s.run(this);
});

Then('thread {string} waiting on {string} receives badge {kword}', function (this: ConformanceWorld, who: string, n: string, badge: number) {
  const s = ks(this);
  const c = s.cap(n);
  s.kernel.spawn({ name: who, priority: 100 }, function* (sys) {
    s.results.set(who, yield* sys.wait(c));
  });
  s.run(this);
  expect(s.results.get(who), `badge received by "${who}"`).to.equal(badge);
});

Then('thread {string} receives badge {kword}', function (this: ConformanceWorld, who: string, badge: number) {
  expect(ks(this).results.get(who), `badge received by "${who}"`).to.equal(badge);
});

Then('thread {string} is still waiting on {string}', function (this: ConformanceWorld, who: string, n: string) {
  const t = ks(this).thread(who);
  expect(t.state).to.equal('BlockedOnNotification');
  expect(t.blockedOn?.name).to.equal(`ntfn ${n}`);
});

Then('polling {string} returns {kword}', function (this: ConformanceWorld, n: string, word: number) {
  const s = ks(this);
  expect(s.kernel.root.poll(s.cap(n))).to.equal(word);
});

Then('notification {string} is {word}', function (this: ConformanceWorld, n: string, state: string) {
  const s = ks(this);
  expect(s.kernel.root.object<Notification>(s.cap(n))!.state).to.equal(state);
});

Given('thread {string} is bound to {string} and receives on {string}', function (this: ConformanceWorld, who: string, n: string, ep: string) {
  const s = ks(this);
  const epc = s.cap(ep);
  s.kernel.spawn({ name: who, priority: 100, boundNotification: s.kernel.root.object<Notification>(s.cap(n))! }, function* (sys) {
    s.results.set(who, (yield* sys.recv(epc)).badge);
  });
  s.run(this);
});

// --- Endpoints and deadlock ---------------------------------------------------------------------

Given('thread {string} answers one call on {string} with the caller\'s badge', function (this: ConformanceWorld, who: string, ep: string) {
  const s = ks(this);
  const c = s.cap(ep);
  s.kernel.spawn({ name: who, priority: 200 }, function* (sys) {
    const m = yield* sys.recv(c);
    s.results.set(who, m);
    sys.reply(msg(0, m.badge));
  });
  s.run(this);
});

When('thread {string} calls {string} through a cap badged {kword} with message {kword}', function (this: ConformanceWorld, who: string, ep: string, badge: number, word: number) {
  const s = ks(this);
  const c = s.withBadge(ep, badge);
  s.kernel.spawn({ name: who, priority: 100 }, function* (sys) {
    s.results.set(who, (yield* sys.call(c, msg(1, word))).mrs[0]);
  });
  s.run(this);
});

Then('thread {string} received badge {kword} and message {kword}', function (this: ConformanceWorld, who: string, badge: number, word: number) {
  const m = ks(this).results.get(who) as { badge: number; mrs: number[] };
  expect(m.badge).to.equal(badge);
  expect(m.mrs[0]).to.equal(word);
});

Then('thread {string} gets the reply {kword}', function (this: ConformanceWorld, who: string, word: number) {
  expect(ks(this).results.get(who)).to.equal(word);
});

When('thread {string} calls {string}', function (this: ConformanceWorld, who: string, ep: string) {
  const s = ks(this);
  const c = s.cap(ep);
  s.kernel.spawn({ name: who, priority: 100 }, function* (sys) {
    yield* sys.call(c, msg(0));
  });
  s.run(this);
});

When('thread {string} sleeps {int} ns and then waits on {string}', function (this: ConformanceWorld, who: string, ns: number, n: string) {
  const s = ks(this);
  const c = s.cap(n);
  s.kernel.spawn({ name: who, priority: 100 }, function* (sys) {
    yield* sys.sleep(ns);
    yield* sys.wait(c);
  });
  s.run(this);
});

Then('the run stops with the deadlock report:', function (this: ConformanceWorld, text: string) {
  const r = ks(this).last!;
  expect(r.reason).to.equal('deadlock');
  expect(renderRunReport(r)).to.equal(text + '\n');
});

// --- Memory ----------------------------------------------------------------------------------

Given('a frame {string} mapped into VSpace {string} at {kword} with rights {string}', function (this: ConformanceWorld, f: string, vs: string, vaddr: number, r: string) {
  const s = ks(this);
  if (!s.caps.has(vs)) s.create('VSpace', vs);
  let c = s.caps.get(f);
  if (c === undefined) s.caps.set(f, (c = s.alloc.must('Frame', `frame ${f}`)));
  else {
    // A frame cap maps once; a second VSpace gets a copy of the cap, as seL4 requires.
    const copy = s.alloc.slot();
    expect(s.kernel.root.cnodeCopy(CN, copy, CN, c, AllRights)).to.equal('seL4_NoError');
    c = copy;
  }
  expect(s.kernel.root.pageMap(c, s.cap(vs), vaddr, rights(r))).to.equal('seL4_NoError');
});

When('thread {string} in VSpace {string} writes {kword} at {kword}', function (this: ConformanceWorld, who: string, vs: string, value: number, vaddr: number) {
  const s = ks(this);
  s.kernel.spawn({ name: who, priority: 100, vspace: s.kernel.root.object<VSpace>(s.cap(vs))! }, function* (sys) {
    yield* sys.store(vaddr, 4, value);
    s.results.set(who, 'done');
  });
  s.run(this);
});

Then('thread {string} in VSpace {string} reads {kword} at {kword}', function (this: ConformanceWorld, who: string, vs: string, value: number, vaddr: number) {
  const s = ks(this);
  s.kernel.spawn({ name: who, priority: 100, vspace: s.kernel.root.object<VSpace>(s.cap(vs))! }, function* (sys) {
    s.results.set(who, yield* sys.load(vaddr, 4));
  });
  s.run(this);
  expect(s.results.get(who)).to.equal(value);
});

Then('thread {string} is suspended after a VMFault on {word} at {kword}', function (this: ConformanceWorld, who: string, kind: string, addr: number) {
  const s = ks(this);
  const t = s.thread(who);
  expect(t.state).to.equal('Inactive');
  expect(s.results.has(who), 'the faulting access must not complete').to.equal(false);
  const f = t.fault;
  expect(f?.type).to.equal('seL4_Fault_VMFault');
  if (f?.type === 'seL4_Fault_VMFault') {
    expect(f.kind).to.equal(kind);
    expect(f.addr).to.equal(addr);
  }
});

Then('the kernel prints:', function (this: ConformanceWorld, text: string) {
  expect(ks(this).kernel.log.join('\n')).to.equal(text);
});

Then('frame {string} has no backing memory allocated', function (this: ConformanceWorld, f: string) {
  const s = ks(this);
  expect(s.kernel.root.object<Frame>(s.cap(f))!.touchedBytes).to.equal(0);
});

Given('an untyped pool that holds exactly {int} TCBs', function (this: ConformanceWorld, n: number) {
  const s = ks(this);
  const bits = s.kernel.cfg.objectBits.TCB! + Math.log2(n);
  const slot = s.alloc.slot();
  // Carved from a boot untyped the way CAmkES builds a simple_untyped pool.
  expect(s.kernel.root.untypedRetype(s.kernel.untyped[0].cptr, { type: 'Untyped', sizeBits: bits, offset: slot, name: 'untyped pool' })).to.equal('seL4_NoError');
  s.pool = slot;
});

When('the root task retypes {int} TCB(s) from the pool', function (this: ConformanceWorld, n: number) {
  const s = ks(this);
  const dest = s.alloc.slot();
  for (let i = 1; i < n; i++) s.alloc.slot();
  s.lastError = s.kernel.root.untypedRetype(s.pool!, { type: 'TCB', offset: dest, count: n, name: 'tcb pool' });
});

Then('the retype returns {sel4Result}', function (this: ConformanceWorld, r: string) {
  expect(ks(this).lastError).to.equal(r);
});

// --- IRQs --------------------------------------------------------------------------------------

Given('IRQ line {int} is {word}-triggered and signals {string} with badge {kword}', function (this: ConformanceWorld, line: number, trig: string, n: string, badge: number) {
  const s = ks(this);
  const h = s.alloc.slot();
  expect(s.kernel.root.irqControlGet(InitCaps.seL4_CapIRQControl, line, CN, h, trig as Trigger)).to.equal('seL4_NoError');
  expect(s.kernel.root.irqHandlerSetNotification(h, s.withBadge(n, badge))).to.equal('seL4_NoError');
  s.caps.set(`irq ${line}`, h);
});

When('the device pulses IRQ line {int}', function (this: ConformanceWorld, line: number) {
  ks(this).kernel.machine.pulseIRQ(line);
});

When('the device asserts IRQ line {int}', function (this: ConformanceWorld, line: number) {
  ks(this).kernel.machine.assertIRQ(line);
});

When('the device deasserts IRQ line {int}', function (this: ConformanceWorld, line: number) {
  ks(this).kernel.machine.deassertIRQ(line);
});

When('the driver acknowledges IRQ line {int}', function (this: ConformanceWorld, line: number) {
  const s = ks(this);
  expect(s.kernel.root.irqHandlerAck(s.cap(`irq ${line}`))).to.equal('seL4_NoError');
});

When('the root task asks IRQControl for line {int} again', function (this: ConformanceWorld, line: number) {
  const s = ks(this);
  s.lastError = s.kernel.root.irqControlGet(InitCaps.seL4_CapIRQControl, line, CN, s.alloc.slot());
});

Then('the request returns {sel4Result}', function (this: ConformanceWorld, r: string) {
  expect(ks(this).lastError).to.equal(r);
});
