/**
 * Steps for CAmkES instantiation and the component runtime (features/camkes/pingpong.feature,
 * instantiate.feature). Thin: they load an app or a fixed two-component spec, run the simulated
 * kernel, and compare what the components observed, the serial output, handles and CNodes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { builtinBehaviours, readAppYaml, registerAppComponents } from '../src/camkes/components';
import { instantiate, type InstantiatedSystem } from '../src/camkes/instantiate';
import { loadSpecFor, loadSpecText } from '../src/camkes/instantiate/load';
import { resolveAssembly } from '../src/camkes/resolve';
import type { BehaviourRegistry, ThreadCode, ThreadContext } from '../src/camkes/runtime';
import { capListing, renderRunReport } from '../src/sel4';
import type { ConformanceWorld } from './support/world';

declare module './support/world' {
  interface ConformanceWorld {
    camkes?: InstantiatedSystem;
    /** What the scripted receiver observed, one line per observation. */
    camkesObserved?: string[];
    /** Actions of the scripted sender/receiver, in scenario order. */
    camkesScript?: { who: 'sender' | 'receiver'; act: (ctx: ThreadContext) => ThreadCode | void }[];
  }
}

function loadApp(w: ConformanceWorld, name: string, edit?: (text: string) => string): void {
  const dir = join('apps', name);
  const app = readAppYaml(join(dir, 'app.yaml'));
  const file = join(dir, app.root!);
  const src = loadSpecFor(file, { board: w.platform.name, ...(edit ? { rootText: edit(readFileSync(file, 'utf8')) } : {}) });
  const reg: BehaviourRegistry = registerAppComponents(app, builtinBehaviours());
  w.camkes = instantiate(resolveAssembly(src.spec), { arch: src.arch, seed: w.seed, behaviours: reg });
  w.trace = w.camkes.kernel.trace;
}

function sys(w: ConformanceWorld): InstantiatedSystem {
  if (!w.camkes) throw new Error('no CAmkES system was built in this scenario');
  return w.camkes;
}

Given('the CAmkES app {string}', function (this: ConformanceWorld, name: string) {
  loadApp(this, name);
});

Given('the CAmkES app {string} with {string} changed to {string}', function (this: ConformanceWorld, name: string, from: string, to: string) {
  loadApp(this, name, (t) => {
    expect(t, `the app's root file contains "${from}"`).to.include(from);
    return t.replace(from, to);
  });
});

When('the CAmkES system runs', function (this: ConformanceWorld) {
  const r = sys(this).run({ maxSteps: 1_000_000 });
  // A CAmkES system at rest has every thread blocked (servers wait forever): that is the normal end.
  expect(r.reason, renderRunReport(r)).to.be.oneOf(['finished', 'deadlock']);
});

Then('{string} printed:', function (this: ConformanceWorld, source: string, text: string) {
  expect(sys(this).serial.textOf(source)).to.deep.equal(text.split('\n'));
});

Then('thread {string} has exited', function (this: ConformanceWorld, name: string) {
  expect(sys(this).kernel.thread(name)?.state).to.equal('Exited');
});

Then('the trace shows {string} doing {word} on {string} {int} times', function (this: ConformanceWorld, actor: string, op: string, object: string, n: number) {
  const hits = sys(this).kernel.trace.filter((e) => e.actor === actor && e.op === op && e.object === object);
  expect(hits.length).to.equal(n);
});

Then('the CNode of {string} holds exactly:', function (this: ConformanceWorld, space: string, table: { raw(): string[][] }) {
  const s = sys(this);
  const entries = capListing(s.kernel.core.objects.all.filter((o) => o.name === `cnode ${space}`)).map((c) => [c.type, c.object, c.rights, String(c.badge)]);
  expect(entries).to.deep.equal(table.raw().slice(1));
});

Then('the CNode of {string} holds {int} Frame capabilit(y)(ies) to {string}', function (this: ConformanceWorld, space: string, n: number, object: string) {
  const s = sys(this);
  const caps = capListing(s.kernel.core.objects.all.filter((o) => o.name === `cnode ${space}`)).filter((c) => c.type === 'Frame' && c.object === object);
  expect(caps.length).to.equal(n);
});

Then('the dataport handle {string} has id {int} and size {int}', function (this: ConformanceWorld, ref: string, id: number, size: number) {
  const [inst, iface] = ref.split('.');
  const h = sys(this).instances.get(inst)?.runtime.interfaces.get(iface);
  expect(h?.kind).to.equal('dataport');
  if (h?.kind !== 'dataport') return;
  expect(h.caps, `${ref} has a dataport_caps_handle_t`).to.not.equal(undefined);
  expect({ id: h.caps?.id, size: h.caps?.size }).to.deep.equal({ id, size });
});

Then('{string} and {string} map the same frames', function (this: ConformanceWorld, a: string, b: string) {
  const frames = (ref: string) => {
    const [inst, iface] = ref.split('.');
    const h = sys(this).instances.get(inst)?.runtime.interfaces.get(iface);
    return h?.kind === 'dataport' ? h.frames.map((f) => f.name) : [];
  };
  expect(frames(a)).to.have.length.greaterThan(0);
  expect(frames(a)).to.deep.equal(frames(b));
});

// --- A scripted sender and receiver on one seL4Notification connection ------------------------

const PAIR = `import <std_connector.camkes>;
component Sender { control; emits Ev e; }
component Receiver { control; consumes Ev e; }
assembly { composition {
  component Sender sender; component Receiver receiver;
  connection seL4Notification ev(from sender.e, to receiver.e);
} }`;

/** Each scripted action runs in its own time slot, so the scenario's order is the run's order. */
const SLOT = 1000;

Given('a sender and a receiver connected by seL4Notification', function (this: ConformanceWorld) {
  this.camkesScript = [];
  this.camkesObserved = [];
  const script = this.camkesScript;
  const body = (who: 'sender' | 'receiver') =>
    function* (ctx: ThreadContext) {
      for (let i = 0; i < script.length; i++) {
        if (script[i].who !== who) continue;
        const wait = (i + 1) * SLOT - ctx.sys.now;
        if (wait > 0) yield* ctx.sys.sleep(wait);
        const r = script[i].act(ctx);
        if (r) yield* r;
      }
    };
  const reg = builtinBehaviours().register('Sender', () => ({ run: body('sender') })).register('Receiver', () => ({ run: body('receiver') }));
  this.camkes = instantiate(resolveAssembly(loadSpecText(PAIR, this.platform.family)), { arch: this.platform.arch, seed: this.seed, behaviours: reg });
  this.trace = this.camkes.kernel.trace;
});

function step(w: ConformanceWorld, who: 'sender' | 'receiver', act: (ctx: ThreadContext) => ThreadCode | void): void {
  if (!w.camkesScript) throw new Error('no scripted sender/receiver in this scenario');
  w.camkesScript.push({ who, act });
}

When('the sender emits {int} time(s) in a row', function (this: ConformanceWorld, n: number) {
  step(this, 'sender', (ctx) => {
    for (let i = 0; i < n; i++) ctx.emit('e');
  });
});

When('the receiver registers callback {string}', function (this: ConformanceWorld, name: string) {
  const seen = this.camkesObserved!;
  step(this, 'receiver', function* (ctx) {
    const r = yield* ctx.regCallback('e', (c: ThreadContext) => void seen.push(`callback ${name} runs in ${c.sys.name}`));
    seen.push(`reg_callback ${name} returns ${r}`);
  });
});

When('the receiver polls', function (this: ConformanceWorld) {
  const seen = this.camkesObserved!;
  step(this, 'receiver', (ctx) => {
    seen.push(`poll returns ${ctx.poll('e')}`);
  });
});

When('the receiver waits', function (this: ConformanceWorld) {
  const seen = this.camkesObserved!;
  step(this, 'receiver', function* (ctx) {
    yield* ctx.wait('e');
    seen.push('wait returns');
  });
});

Then('the receiver observed:', function (this: ConformanceWorld, text: string) {
  expect(this.camkesObserved).to.deep.equal(text.split('\n').map((l) => l.trim()));
});
