// Multiple VMs: one VMM component per guest, isolation from the capability distribution, the
// serial server's input switch and the TimeServer dependency (features/multivm).
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { resolve } from 'node:path';
import { DiagnosticError, formatDiagnostic } from '../src/diagnostics';
import { loadAndCheck } from '../src/camkes/check';
import { builtinBehaviours, noTimerDriverMessage, SerialInputSwitch, serialServerModel, timeServerFor, TIMESERVER_UNPORTED } from '../src/camkes/components';
import { instantiate, type InstantiatedSystem } from '../src/camkes/instantiate';
import { analyseIsolation, isVmInstance, renderIsolation, type IsolationResult } from '../src/camkes/isolation';
import { buildSystem, Operator, type BuiltSystem, type RunOutcome } from '../src/system';
import type { ConformanceWorld } from './support/world';

const APP = { arm: 'vm_multi', x86: 'multi_vm_x86' } as const;

interface MultiVm {
  app: string;
  sys?: InstantiatedSystem;
  built?: BuiltSystem;
  isolation?: IsolationResult;
  switch?: { sw: SerialInputSwitch; got: Map<string, string>; said: string[] };
  /** One operator per guest, all at the one serial console (the end-to-end Arm scenarios). */
  operators?: Map<string, Operator>;
}

const state = new WeakMap<ConformanceWorld, MultiVm>();
const mv = (w: ConformanceWorld): MultiVm => {
  const s = state.get(w);
  if (!s) throw new Error('no multi-VM system in this scenario: start with "Given the multi-VM app for this board"');
  return s;
};
const system = (w: ConformanceWorld): InstantiatedSystem => {
  const s = mv(w).sys;
  if (!s) throw new Error('the multi-VM system has not been built: add "When the multi-VM system is built and run"');
  return s;
};
const unescape = (t: string) => t.replace(/\\n/g, '\n').replace(/\\r/g, '\r');

Given('the multi-VM app for this board', function (this: ConformanceWorld) {
  state.set(this, { app: APP[this.platform.family] });
});

/** NOT-SUPPORTED when the board has no configuration of the app; anything else is a failure. */
function notConfigured(w: ConformanceWorld, app: string, why: string): never {
  throw new Error(`NOT-SUPPORTED: no ${app} configuration for ${w.platform.name} (${why})`);
}

When('the multi-VM system is built and run', function (this: ConformanceWorld) {
  const s = mv(this);
  const board = this.platform.name;
  const dir = resolve('apps', s.app);
  if (this.platform.family === 'arm') {
    const r = loadAndCheck(resolve(dir, `${s.app}.camkes`), { board, boardArch: 'arm' });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (!r.assembly || errors.length) {
      // The app names its board configuration through the {board} import path; the platform
      // data says which boards have one upstream.
      if (!this.platform.apps[s.app] && errors.some((d) => /devices\.camkes' not found/.test(d.message))) notConfigured(this, s.app, errors.map(formatDiagnostic).join('; '));
      throw new DiagnosticError(errors.length ? errors : r.diagnostics);
    }
    const behaviours = builtinBehaviours().register('TimeServer', timeServerFor(board));
    s.sys = instantiate(r.assembly, { arch: this.platform.arch, cores: this.platform.cores, seed: this.seed, behaviours });
    s.sys.run({ until: 1e9 });
  } else {
    try {
      s.built = buildSystem(dir, { board, seed: this.seed });
    } catch (e) {
      if (e instanceof DiagnosticError && /does not target board/.test(e.message)) notConfigured(this, s.app, e.message);
      throw e;
    }
    s.sys = s.built.sys;
    s.built.start();
    // kernel.run, not sys.run: no flush, so each guest's login prompt stays an open line that
    // its echo completes.
    s.sys.kernel.run({ until: 20e9 });
  }
  this.trace = s.sys.kernel.trace;
});

Then('each guest has its own VMM component', function (this: ConformanceWorld) {
  const vms = [...system(this).instances.values()].filter((i) => isVmInstance(i.instance));
  expect(vms.length, 'VM components').to.be.at.least(2);
  expect(new Set(vms.map((v) => v.space.cnode)).size, 'distinct CNodes').to.equal(vms.length);
  expect(new Set(vms.map((v) => v.space.vspace)).size, 'distinct VSpaces').to.equal(vms.length);
});

Then('the serial server serves its clients', function (this: ConformanceWorld) {
  const sys = system(this);
  const serial = sys.instances.get('serial');
  expect(serial, 'a serial server instance').to.not.equal(undefined);
  const servers = sys.kernel.threads.filter((t) => t.started && t.name.startsWith('serial:') && t.name.endsWith('__run'));
  if (servers.length) return;
  // The serial server waits for its TimeServer first: say why it never got to serve.
  const ts = sys.serial.lines.find((l) => l.source === 'time_server');
  if (ts && ts.text === noTimerDriverMessage(this.platform.name)) {
    const reason = TIMESERVER_UNPORTED.get(this.platform.name);
    throw new Error(
      `NOT-SUPPORTED: ${reason}: the time server printed "${ts.text}" and the serial server is still waiting for it, so no guest console is served ` +
        `(CONFLICT, platforms.md 1.8: vm_multi's settings.cmake lists ${this.platform.name} as supported)`,
    );
  }
  expect.fail(`the serial server never started serving (threads: ${sys.kernel.threads.filter((t) => t.name.startsWith('serial:')).map((t) => `${t.name} ${t.state}`).join(', ')})`);
});

When('the isolation analysis runs', function (this: ConformanceWorld) {
  const s = mv(this);
  // With VMMs attached, the seL4VirtQueues frames src/system/virtio.ts made for each connection.
  s.isolation = analyseIsolation(system(this), { connectionFrames: s.built?.virtio.links ?? [] });
  this.attach(renderIsolation(s.isolation), 'text/plain');
});

const iso = (w: ConformanceWorld): IsolationResult => {
  const r = mv(w).isolation;
  if (!r) throw new Error('no isolation result: add "When the isolation analysis runs"');
  return r;
};

Then('no VMM can reach another guest\'s memory', function (this: ConformanceWorld) {
  const r = iso(this);
  const vms = new Set(r.guests.map((g) => g.vm));
  const bad = r.pairs.filter((p) => vms.has(p.holder));
  expect(bad.map((p) => `${p.holder} -> ${p.guest}: ${p.reached.map((x) => x.what).join(', ')}`)).to.deep.equal([]);
  expect(r.violations.map((v) => v.message)).to.deep.equal([]);
  expect(r.guests.every((g) => g.source !== 'none'), 'every guest has known memory').to.equal(true);
});

Then('the frames shared between components are exactly those of the declared dataport connections', function (this: ConformanceWorld) {
  const r = iso(this);
  const sys = system(this);
  const declared = sys.connections.filter((c) => c.modelled && c.objects.some((o) => o.startsWith('frame '))).map((c) => c.connection.name).sort();
  const seen = [...new Set(r.shared.map((s) => s.connection ?? `(none: ${s.frame})`))].sort();
  expect(seen).to.deep.equal(declared);
  expect(r.shared.filter((s) => !s.allowed).map((s) => s.frame)).to.deep.equal([]);
});

Then('guest {word} has its memory from {word}', function (this: ConformanceWorld, vm: string, source: string) {
  const g = iso(this).guests.find((x) => x.vm === vm);
  expect(g, `guest ${vm}`).to.not.equal(undefined);
  expect(g!.source).to.equal(source);
});

Given('a serial server with input clients {string}', function (this: ConformanceWorld, names: string) {
  const got = new Map<string, string>();
  const said: string[] = [];
  const clients = names.split(/,\s*/).map((n) => ({ name: n, input: (t: string) => got.set(n, (got.get(n) ?? '') + t) }));
  state.set(this, { app: 'fake clients', switch: { sw: new SerialInputSwitch(clients, (l) => said.push(l)), got, said } });
});

const sw = (w: ConformanceWorld) => {
  const s = mv(w).switch;
  if (!s) throw new Error('no serial server: add "Given a serial server with input clients ..."');
  return s;
};

When('{string} is typed at the serial console', function (this: ConformanceWorld, text: string) {
  sw(this).sw.type(unescape(text));
});

Then('client {word} received {string}', function (this: ConformanceWorld, name: string, text: string) {
  expect(sw(this).got.get(name) ?? '').to.equal(unescape(text));
});

Then('the serial server printed {string}', function (this: ConformanceWorld, line: string) {
  expect(sw(this).said).to.include(line);
});

Then('the serial server printed nothing', function (this: ConformanceWorld) {
  expect(sw(this).said).to.deep.equal([]);
});

When('{string} is typed at the multiplexed console', function (this: ConformanceWorld, text: string) {
  const s = mv(this);
  const b = s.built;
  if (!b) throw new Error('no booted x86 multi-VM system in this scenario');
  const model = serialServerModel(b.sys.instances.get('serial')!.runtime);
  if (!model) throw new Error('the serial server has no behaviour');
  for (const v of b.vms) model.attach(v.name, (t) => v.vmm.input(t));
  model.type(unescape(text));
  b.sys.kernel.run({ until: b.sys.kernel.now + 5e9 });
});

Then('the console of {word} shows {string}', function (this: ConformanceWorld, vm: string, line: string) {
  expect(system(this).serial.textOf(vm)).to.include(line);
});

Then('the console of {word} does not show {string}', function (this: ConformanceWorld, vm: string, line: string) {
  expect(system(this).serial.textOf(vm)).to.not.include(line);
});

Then('the multiplexed console shows the line {string} from {word}', function (this: ConformanceWorld, line: string, source: string) {
  expect(system(this).serial.textOf(source)).to.include(line);
});

/** Builds the board's multi-VM app with its VMMs and guests (NOT-SUPPORTED where the app has no configuration for the board). */
function buildWithVmms(w: ConformanceWorld, s: MultiVm): BuiltSystem {
  try {
    return buildSystem(resolve('apps', s.app), { board: w.platform.name, seed: w.seed });
  } catch (e) {
    if (e instanceof DiagnosticError && /does not target board/.test(e.message)) notConfigured(w, s.app, e.message);
    throw e;
  }
}

When('the multi-VM system is built with its VMMs and booted', function (this: ConformanceWorld) {
  const s = mv(this);
  const b = buildWithVmms(this, s);
  s.built = b;
  s.sys = b.sys;
  s.operators = new Map(b.vms.map((v) => [v.name, new Operator(b, { commands: [], vm: v.name })]));
  this.trace = b.sys.kernel.trace;
});

const operator = (w: ConformanceWorld, vm: string): Operator => {
  const o = mv(w).operators?.get(vm);
  if (!o) throw new Error(`no operator for ${vm}: add "When the multi-VM system is built with its VMMs and booted" (VMs: ${[...(mv(w).operators?.keys() ?? [])].join(', ')})`);
  return o;
};

/**
 * A session that did not reach its prompt: NOT-SUPPORTED only for the documented TimeServer
 * conflict (the serial server never serves, so no console reaches the serial output), else a failure
 * naming the outcome.
 */
function expectSession(w: ConformanceWorld, r: RunOutcome | null): void {
  if (!r || r.kind === 'completed') return;
  const unported = TIMESERVER_UNPORTED.get(w.platform.name);
  if (r.kind === 'console-lost' && unported && r.cause.includes(noTimerDriverMessage(w.platform.name)))
    throw new Error(`NOT-SUPPORTED: ${unported}: ${r.vm} is waiting at ${r.waitingFor} but ${r.cause} (CONFLICT, platforms.md 1.8: vm_multi's settings.cmake lists ${w.platform.name} as supported)`);
  const why = r.kind === 'console-lost' ? r.cause : r.kind === 'vm-died' ? r.reason : r.kind === 'deadlock' ? r.report : `timed out waiting for ${r.waitingFor}`;
  expect.fail(`the session at the serial console ended with ${r.kind}: ${why}`);
}

When('the operator logs in to {word} at the multiplexed console', function (this: ConformanceWorld, vm: string) {
  expectSession(this, operator(this, vm).login());
});

When('the operator runs {string} on {word} at the multiplexed console', function (this: ConformanceWorld, cmd: string, vm: string) {
  expectSession(this, operator(this, vm).exec(cmd));
});

Then('{word} answered {string} with exit status {int}', function (this: ConformanceWorld, vm: string, cmd: string, status: number) {
  expect(operator(this, vm).results.filter((c) => c.line === cmd).map((c) => c.status), `exit statuses of \`${cmd}\` on ${vm}`).to.deep.equal([status]);
});

Then('the consoles of {string} reach the one serial output through the serial server {word}', function (this: ConformanceWorld, names: string, server: string) {
  const b = mv(this).built;
  if (!b) throw new Error('no system with VMMs: add "When the multi-VM system is built with its VMMs and booted"');
  const vms = names.split(/,\s*/);
  for (const vm of vms) {
    expect(b.virtio.consoleServers.get(vm), `the serial server ${vm}'s hvc0 goes to`).to.equal(server);
    expect(b.sys.serial.textOf(vm), `${vm}'s lines on the serial output`).to.include('Welcome to Buildroot');
  }
});

Then('no VMM can reach another guest\'s RAM', function (this: ConformanceWorld) {
  const r = iso(this);
  const vms = new Set(r.guests.map((g) => g.vm));
  expect(r.pairs.filter((p) => vms.has(p.holder)).flatMap((p) => p.reached.map((x) => `${p.holder} -> ${p.guest}: ${x.what} (${x.why})`))).to.deep.equal([]);
  expect(r.violations.map((v) => v.message)).to.deep.equal([]);
  expect(r.ok).to.equal(true);
  expect(r.guests.every((g) => g.source === 'vmm'), 'every guest\'s RAM found from its VMM').to.equal(true);
});

/** The analysis's device pages reachable from two or more spaces, with the setting each space declares it by. */
const sharedDevicePages = (r: IsolationResult) => r.shared.filter((s) => s.device);

Then('every device page two guests share is one both declare in their mmios', function (this: ConformanceWorld) {
  const r = iso(this);
  const pages = sharedDevicePages(r);
  this.attach(pages.map((s) => `${s.frame} [${s.spaces.join(', ')}]: ${s.declarations!.join('; ')}`).join('\n') || '(no device page shared)', 'text/plain');
  // Each holder's attribution, as the analysis made it, must be one of its own mmios entries.
  const bad = pages.filter((s) => !s.allowed || s.spaces.some((sp) => !s.declarations!.some((d) => d.startsWith(`${sp}: mmios `))));
  expect(bad.map((s) => `${s.frame} [${s.spaces.join(', ')}]: ${s.declarations!.join('; ') || 'declared by none'}`)).to.deep.equal([]);
});

Then('every frame two components share comes from a declared connection joining them, or is a device page each declares in mmios', function (this: ConformanceWorld) {
  const r = iso(this);
  const b = mv(this).built;
  if (!b) throw new Error('no system with VMMs: add "When the multi-VM system is built with its VMMs and booted"');
  this.attach(r.shared.map((s) => `${s.frame} [${s.spaces.join(', ')}]: ${s.connection ? `connection ${s.connection}` : s.device ? `device page (${s.declarations!.join('; ')})` : 'no declared connection'}${s.allowed ? '' : ' UNDECLARED'}`).join('\n') || '(no shared frame)', 'text/plain');
  expect(r.shared.filter((s) => !s.allowed).map((s) => s.frame), 'shared frames the analysis finds undeclared').to.deep.equal([]);
  // Exactly the frames of the declared connections: every frame of every seL4VirtQueues link (and
  // dataport), attributed by the analysis to that connection; nothing else but declared device pages.
  const expected = [
    ...b.virtio.links.flatMap((l) => l.frames.map((f) => `${f.name} <- ${l.name}`)),
    ...b.sys.connections.filter((c) => c.modelled).flatMap((c) => c.objects.filter((o) => o.startsWith('frame ')).map((o) => `${o} <- ${c.connection.name}`)),
  ].sort();
  expect(r.shared.filter((s) => !s.device).map((s) => `${s.frame} <- ${s.connection ?? '(none)'}`).sort()).to.deep.equal(expected);
  expect(r.unmodelledVmConnections, 'VM-to-VM connections whose memory the analysis does not see').to.deep.equal([]);
});

const withVmms = (w: ConformanceWorld): BuiltSystem => {
  const b = mv(w).built;
  if (!b) throw new Error('no system with VMMs: add "When the multi-VM system is built with its VMMs and booted"');
  return b;
};

/** `from` is the switching VM itself (its eth0 transmit queue) or the peer whose link the frame arrived on. */
Then('the trace shows {word}\'s VMM switching frames from {word} to {word}', function (this: ConformanceWorld, vm: string, from: string, to: string) {
  const b = withVmms(this);
  expect(b.virtio.switches.has(vm), `${vm}'s VMM has a virtio-net switch`).to.equal(true);
  const origin = from === vm ? 'from eth0' : `from ${from}:vmm`;
  const events = b.sys.kernel.trace.all().filter((e) => e.actor === `${vm}:vmm` && e.op === 'vswitch_forward' && e.result === origin && e.peer === `${to}:vmm`);
  expect(events.length, `vswitch_forward events of ${vm}:vmm ${origin} to ${to}:vmm`).to.be.greaterThan(0);
  // The link it went out of is the seL4VirtQueues connection from vm to `to`.
  const link = b.virtio.links.find((l) => l.from === vm && l.to === to);
  expect(events.every((e) => e.object === link?.name), `frames to ${to} go out of ${link?.name}`).to.equal(true);
});

Then('{word}\'s switch dropped no frame', function (this: ConformanceWorld, vm: string) {
  const sw = withVmms(this).virtio.switches.get(vm);
  expect(sw, `${vm}'s virtio-net switch`).to.not.equal(undefined);
  expect(sw!.counters.dropped, `frames ${vm}'s switch dropped`).to.equal(0);
  expect(sw!.counters.forwarded, `frames ${vm}'s switch forwarded`).to.be.greaterThan(0);
});

Then('every virtqueue link carried frames through its shared memory and doorbell', function (this: ConformanceWorld) {
  const b = withVmms(this);
  expect(b.virtio.links.length, 'seL4VirtQueues links').to.be.greaterThan(0);
  const all = b.sys.kernel.trace.all();
  for (const l of b.virtio.links) {
    expect(l.ring.dropped, `frames dropped on ${l.name}`).to.equal(0);
    const taken = all.filter((e) => e.actor === `${l.to}:vmm` && e.op === 'async_event' && Number(e.value) === l.badge);
    expect(taken.length, `${l.to}'s VMM took the ${l.name} doorbell (badge ${l.badge})`).to.be.greaterThan(0);
  }
});
