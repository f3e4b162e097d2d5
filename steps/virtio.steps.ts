// Virtio steps (features/virtio): build the board's virtio app as `vmconf run` does — the VM_Arm
// build gates first (src/vmm/virtio-config.ts), then the app's own supported list — boot it and
// read what the guests printed. The mechanism lives in src/system/virtio.ts, src/vmm/virtio and
// src/guest/virtio; a refusal on the way is the scenario's NOT-SUPPORTED reason.
import { resolve } from 'node:path';
import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { DiagnosticError } from '../src/diagnostics';
import { appVirtioOptions, buildSystem, Operator, type BuiltSystem, type RunOutcome } from '../src/system';
import { VirtioBuildError } from '../src/vmm/virtio-config';
import { withoutTimestamp } from './support/system';
import type { ConformanceWorld } from './support/world';

declare module './support/world' {
  interface ConformanceWorld {
    virtio?: { system: BuiltSystem; operator: Operator; last?: RunOutcome };
  }
}

const APP = { net: 'vm_virtio_net', console: 'vm_serial_server' } as const;

/** The build as far as it goes on this board; every refusal is the observed reason. */
function build(w: ConformanceWorld, kind: keyof typeof APP): void {
  const app = APP[kind];
  const dir = resolve('apps', app);
  let system: BuiltSystem;
  try {
    appVirtioOptions(dir, w.platform);
    system = buildSystem(dir, { board: w.platform.name, seed: w.seed });
  } catch (e) {
    if (e instanceof VirtioBuildError) throw new Error(`NOT-SUPPORTED: ${e.message}`);
    if (e instanceof DiagnosticError && /does not target board/.test(e.message)) throw new Error(`NOT-SUPPORTED: ${app} is not built for ${w.platform.name}: ${e.diagnostics.map((d) => d.message).join('; ')}`);
    throw e;
  }
  w.trace = system.sys.kernel.trace;
  const operator = new Operator(system, { commands: [] });
  w.virtio = { system, operator };
  record(w, operator.login() ?? { kind: 'completed', commands: [] });
}

function v(w: ConformanceWorld): NonNullable<ConformanceWorld['virtio']> {
  if (!w.virtio) throw new Error('no virtio system: add "When the virtio-... app is built for this board ..."');
  return w.virtio;
}

function record(w: ConformanceWorld, o: RunOutcome): void {
  v(w).last = o;
  if (o.kind === 'completed') return;
  v(w).system.sys.serial.flush();
  if (o.kind === 'deadlock') w.deadlockReport = o.report;
  expect.fail(`the guest session stopped: ${o.kind} while waiting for ${o.kind === 'vm-died' ? o.reason : o.waitingFor}`);
}

/** Console lines (timestamps dropped) a source wrote, through the serial output. */
function lines(w: ConformanceWorld, source?: string): string[] {
  const s = v(w).system.sys.serial;
  s.flush();
  return s.lines.filter((l) => !source || l.source === source).map((l) => withoutTimestamp(l.text));
}

When('the virtio-net app is built for this board and its guests boot', function (this: ConformanceWorld) {
  build(this, 'net');
});

When('the virtio-console app is built for this board and its guest boots', function (this: ConformanceWorld) {
  build(this, 'console');
});

When("I type {string} at vm0's shell", function (this: ConformanceWorld, cmd: string) {
  expect(v(this).operator.vm.name).to.equal('vm0');
  record(this, v(this).operator.exec(cmd));
});

When("I type {string} at the guest's hvc0 console", function (this: ConformanceWorld, cmd: string) {
  record(this, v(this).operator.exec(cmd));
});

Then("vm0's eth0 has the hardware address {string}", function (this: ConformanceWorld, mac: string) {
  record(this, v(this).operator.exec('ifconfig eth0'));
  expect(lines(this, 'vm0').some((l) => l.startsWith('eth0') && l.includes(`HWaddr ${mac}`)), `ifconfig eth0 on vm0:\n${lines(this, 'vm0').join('\n')}`).to.equal(true);
});

Then("vm0's guest kernel handled the board's virtio-net interrupt", function (this: ConformanceWorld) {
  const line = this.platform.virtio.irqs.net;
  const handled = v(this).system.sys.kernel.trace.all().filter((e) => e.actor === 'vm0:kernel' && e.op === 'irq' && Number(e.value) === line && e.result === 'IRQ_HANDLED');
  expect(handled.length, `vm0 handled interrupt ${line}`).to.be.greaterThan(0);
});

Then('the serial console shows {string} from {word}', function (this: ConformanceWorld, text: string, vm: string) {
  expect(lines(this, vm).some((l) => l.includes(text)), `${vm}'s console:\n${lines(this, vm).join('\n')}`).to.equal(true);
});

Then('each virtqueue link carried frames through its shared memory and doorbell', function (this: ConformanceWorld) {
  const s = v(this).system;
  expect(s.virtio.links.map((l) => `${l.from}->${l.to}`).sort()).to.deep.equal(['vm0->vm1', 'vm1->vm0']);
  for (const l of s.virtio.links) {
    const rx = s.virtio.devices.get(l.to)?.net?.net.counters.rxFrames ?? 0;
    expect(rx, `frames ${l.to} received over ${l.name}`).to.be.greaterThan(0);
    expect(l.ring.dropped, `frames dropped on ${l.name}`).to.equal(0);
    const events = s.sys.kernel.trace.all().filter((e) => e.actor === `${l.to}:vmm` && e.op === 'async_event' && Number(e.value) === l.badge);
    expect(events.length, `${l.to}'s VMM took the ${l.name} doorbell (badge ${l.badge})`).to.be.greaterThan(0);
  }
});

Then('the serial server printed {string} for the guest', function (this: ConformanceWorld, text: string) {
  const s = v(this).system;
  const vm = s.vms[0].name;
  const ops = s.sys.kernel.trace.all().filter((e) => e.op === 'processed_batch' && e.actor.startsWith('serial:'));
  expect(ops.length, 'output through the SerialServer').to.be.greaterThan(0);
  expect(lines(this, vm).some((l) => l === text), `${vm}'s console:\n${lines(this, vm).join('\n')}`).to.equal(true);
});

Then("the guest's console is hvc0", function (this: ConformanceWorld) {
  const s = v(this).system;
  expect(s.vms[0].vmm.machine.cmdline).to.match(/(^|\s)console=hvc0(\s|$)/);
  expect(s.virtio.devices.get(s.vms[0].name)?.console, 'a virtio console on the guest').to.not.equal(undefined);
  // Nothing of the guest went out through the board's UART.
  const uart = s.sys.kernel.trace.all().filter((e) => e.op === 'console_out' && e.actor === `${s.vms[0].name}:vmm`);
  expect(uart.length, 'guest writes to the UART').to.equal(0);
});
