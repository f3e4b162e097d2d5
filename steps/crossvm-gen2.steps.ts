// Generation-2 cross-VM steps: each sentence is one call on the VMM's Gen2Probe (src/vmm/arm) or
// an assertion on what it observed; the mechanism lives in src/vmm.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { Gen2Probe } from '../src/vmm/arm';
import type { ConformanceWorld } from './support/world';

declare module './support/world' {
  interface ConformanceWorld {
    gen2?: Gen2Probe;
  }
}

function probe(w: ConformanceWorld): Gen2Probe {
  if (!w.gen2) throw new Error('no Arm VM: add "Given an Arm VM with the vm_cross_connector connections ..."');
  return w.gen2;
}

const num = (s: string) => Number(s);

Given('an Arm VM with the vm_cross_connector connections conn_0 and conn_1', function (this: ConformanceWorld) {
  if (this.platform.family !== 'arm' || !this.platform.gic) throw new Error(`NOT-SUPPORTED: ${this.platform.name} runs no Arm VMM`);
  this.gen2 = new Gen2Probe(this.platform);
  this.trace = this.gen2.tb.kernel.trace;
});

Then('PCI device {int} reads vendor {word}, device {word}, revision {int} and class {word}', function (this: ConformanceWorld, dev: number, vendor: string, device: string, rev: number, cls: string) {
  const p = probe(this);
  expect(p.pciRead(dev, 0x00, 2)).to.equal(num(vendor));
  expect(p.pciRead(dev, 0x02, 2)).to.equal(num(device));
  expect(p.pciRead(dev, 0x08, 1)).to.equal(rev);
  expect(p.pciRead(dev, 0x0a, 2)).to.equal(num(cls));
});

Then('PCI device {int} has interrupt pin {int} and interrupt line {int}', function (this: ConformanceWorld, dev: number, pin: number, line: number) {
  const p = probe(this);
  expect(p.pciRead(dev, 0x3d, 1)).to.equal(pin);
  expect(p.pciRead(dev, 0x3c, 1)).to.equal(line);
});

Then('PCI device {int} has BAR0 at {word} and BAR1 at {word}, both {int} bytes', function (this: ConformanceWorld, dev: number, bar0: string, bar1: string, size: number) {
  const p = probe(this);
  const bars = [0x10, 0x14].map((off) => (p.pciRead(dev, off, 4) & ~0xf) >>> 0);
  expect(bars).to.deep.equal([num(bar0), num(bar1)]);
  expect(p.barSize(dev, 0)).to.equal(size);
  expect(p.barSize(dev, 1)).to.equal(size);
});

Then('the name register of connection {int} reads {string}', function (this: ConformanceWorld, conn: number, name: string) {
  expect(probe(this).readName(conn)).to.equal(name);
});

Then('the consume register of connection {int} reads {int}', function (this: ConformanceWorld, conn: number, value: number) {
  expect(probe(this).readRegister(conn, 4)).to.equal(value);
});

When("the guest writes {int} at offset {word} of connection {int}'s event BAR", function (this: ConformanceWorld, value: number, offset: string, conn: number) {
  const p = probe(this);
  p.write(conn, num(offset), 4, value);
  p.settle();
});

Then('the native component prints {string} {int} time(s)', function (this: ConformanceWorld, line: string, n: number) {
  const got = probe(this).componentLog().split('\n').filter((l) => l === line).length;
  expect(got).to.equal(n);
});

Then('the VMM prints {string}', function (this: ConformanceWorld, line: string) {
  expect(probe(this).vmmLog().split('\n')).to.include(line);
});

Then('the VMM prints {string} followed by an empty line', function (this: ConformanceWorld, line: string) {
  expect(probe(this).vmmLog()).to.include(line + '\n\n');
});

Given("the guest has enabled connection {int}'s interrupt", function (this: ConformanceWorld, conn: number) {
  probe(this).enableInterrupt(conn);
});

When('the native component emits done {int} time(s)', function (this: ConformanceWorld, n: number) {
  for (let i = 0; i < n; i++) probe(this).componentEmitsDone();
});

When('the native component emits done {int} times, {int} ms apart', function (this: ConformanceWorld, n: number, ms: number) {
  for (let i = 0; i < n; i++) {
    probe(this).tb.emitDone();
    probe(this).settle(ms * 1e6);
  }
});

/** The guest's interrupt wait; with no line on the board the reason the VMM gave is the outcome. */
function takeInterrupt(w: ConformanceWorld): number | null {
  const p = probe(w);
  const irq = p.takeInterrupt();
  if (irq === null && w.platform.crossVm.irq === undefined) {
    const why = p.vmmLog().split('\n').find((l) => l.includes('Failed to inject connection irq')) ?? 'no interrupt was injected';
    throw new Error(`NOT-SUPPORTED: ${w.platform.name} has no free interrupt line for consumed events (free_plat_interrupts is {-1}); the VMM printed "${why}"`);
  }
  if (irq !== null) p.endOfInterrupt(irq);
  return irq;
}

Then('the guest takes interrupt {int}', function (this: ConformanceWorld, irq: number) {
  expect(takeInterrupt(this)).to.equal(irq);
});

Then('the guest takes the cross-VM interrupt once', function (this: ConformanceWorld) {
  expect(takeInterrupt(this)).to.equal(this.platform.crossVm.irq);
  expect(probe(this).takeInterrupt(1e7)).to.equal(null);
});
