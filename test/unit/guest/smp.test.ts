/* eslint-disable require-yield -- machine operations are generators by contract. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Blocking } from '../../../src/sel4';
import { SMP_MESSAGES, parseKernelVersion, setupMaxCpus } from '../../../src/guest/kernel/smp';
import { FakeMachine } from './fake-machine';
import { boot } from './helpers';

/** An Arm fake machine whose device tree lists `n` CPUs and whose SMC answers CPU_ON with `ret`. */
class SmpFakeMachine extends FakeMachine {
  readonly smcCalls: { fid: number; args: readonly number[] }[] = [];
  readonly cpus: readonly number[];
  constructor(n: number, private readonly ret: number, cmdline = '') {
    super({ arch: 'arm', wordBits: 64, cmdline });
    this.cpus = Array.from({ length: n }, (_, i) => i);
  }
  *smc(fid: number, args: readonly number[]): Blocking<number[]> {
    this.smcCalls.push({ fid, args: [...args] });
    return [this.ret, 0, 0, 0];
  }
}

test('the wording follows the guest kernel version (4.9 vs 4.14)', () => {
  const v49 = parseKernelVersion('4.9.189');
  const v414 = parseKernelVersion('4.14.87');
  assert.equal(SMP_MESSAGES.broughtUp(v49, 2), 'Brought up 2 CPUs\n');
  assert.equal(SMP_MESSAGES.broughtUp(v414, 2), 'smp: Brought up 1 node, 2 CPUs\n');
  assert.equal(SMP_MESSAGES.broughtUp(v414, 1), 'smp: Brought up 1 node, 1 CPU\n');
  assert.equal(SMP_MESSAGES.bringingUp(v49), null);
  assert.equal(SMP_MESSAGES.booted(v414, 3, 3, 0x411fd071), 'CPU3: Booted secondary processor 0x0000000003 [0x411fd071]\n');
  assert.equal(SMP_MESSAGES.booted(v49, 1, 1, 0x410fd034), 'CPU1: Booted secondary processor [410fd034]\n');
});

test('nosmp and maxcpus= limit the CPUs brought up', () => {
  assert.equal(setupMaxCpus('console=ttyS0 nosmp rw'), 0);
  assert.equal(setupMaxCpus('maxcpus=2'), 2);
  assert.equal(setupMaxCpus('console=ttyS0'), null);
});

test('a CPU_ON the power device refuses prints the failure and the CPU stays offline', () => {
  const m = new SmpFakeMachine(2, -2);
  boot({ generation: 'none', kernelVersion: '4.14.87' }, m, undefined, false);
  assert.deepEqual(m.smcCalls.map((c) => [c.fid, c.args[0], c.args[2]]), [[0xc4000003, 1, 0]]);
  assert.match(m.output, /\] psci: failed to boot CPU1 \(-22\)\n/);
  assert.match(m.output, /\] CPU1: failed to boot: -22\n/);
  assert.match(m.output, /\] smp: Brought up 1 node, 1 CPU\n/);
});

test('NOT_SUPPORTED from CPU_ON is -EOPNOTSUPP', () => {
  const m = new SmpFakeMachine(2, -1);
  boot({ generation: 'none', kernelVersion: '4.14.87' }, m, undefined, false);
  assert.match(m.output, /CPU1: failed to boot: -95\n/);
});

test('a CPU_ON that succeeds but whose CPU never marks itself online times out after 5 s', () => {
  // The fake machine never runs a secondary: the boot CPU waits for the online mask in vain.
  const m = new SmpFakeMachine(2, 0);
  boot({ generation: 'none', kernelVersion: '4.9.189' }, m, undefined, false);
  assert.match(m.output, /\[ {4}5\.\d{6}\] CPU1: failed to come online\n/);
  assert.match(m.output, /\] Brought up 1 CPUs\n/);
});

test('nosmp: no CPU_ON is made', () => {
  const m = new SmpFakeMachine(4, 0, 'console=ttyS0 nosmp');
  boot({ generation: 'none', kernelVersion: '4.14.87' }, m, undefined, false);
  assert.equal(m.smcCalls.length, 0);
  assert.match(m.output, /smp: Brought up 1 node, 1 CPU\n/);
});

test('a machine without a device tree (x86, plain fake machine) prints no SMP lines', () => {
  const m = new FakeMachine({ arch: 'arm', wordBits: 64 });
  boot({ generation: 'none', kernelVersion: '4.14.87' }, m, undefined, false);
  assert.doesNotMatch(m.output, /Brought up/);
});
