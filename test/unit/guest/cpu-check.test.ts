/* eslint-disable require-yield -- the fake machine's operations are generators by contract */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Blocking } from '../../../src/sel4';
import { cpuEntryCheck, cpuName, UNDEF_VECTOR } from '../../../src/guest/kernel/cpu-check';
import { createBuildrootGuest } from '../../../src/guest';
import { GUEST_KERNEL_IMAGES, type GuestKernelImage } from '../../../src/vmm/guest-mode';
import { vmCpuid } from '../../../src/vmm/x86';
import { FakeMachine } from './fake-machine';

/** A fake x86 machine whose CPUID is the VMM's emulation with or without 64-bit guest support. */
class CpuidMachine extends FakeMachine {
  constructor(readonly vtx64BitGuests: boolean) {
    super({ arch: 'x86' });
  }
  *cpuid(leaf: number, subleaf: number): Blocking<{ eax: number; ebx: number; ecx: number; edx: number }> {
    return vmCpuid(leaf, subleaf, { vtx64BitGuests: this.vtx64BitGuests });
  }
  override *consoleWrite(bytes: Uint8Array): Blocking<void> {
    this.output += new TextDecoder().decode(bytes);
  }
}

function check(m: FakeMachine, image: GuestKernelImage): boolean {
  const g = cpuEntryCheck(m, image);
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

test('cpu_name: 64 is x86-64, family 15 reads as i686', () => {
  assert.equal(cpuName(64), 'x86-64');
  assert.equal(cpuName(6), 'i686');
  assert.equal(cpuName(15), 'i686');
});

test('without 64-bit guest support: the i386 non-PAE kernel passes, PAE and x86_64 kernels stop with Linux\'s message', () => {
  const ok = new CpuidMachine(false);
  assert.equal(check(ok, GUEST_KERNEL_IMAGES.i386), true);
  assert.equal(ok.output, '');
  const pae = new CpuidMachine(false);
  assert.equal(check(pae, GUEST_KERNEL_IMAGES.i386Pae), false);
  assert.equal(pae.output, 'This kernel requires the following features not present on the CPU:\npae \nUnable to boot - please use a kernel appropriate for your CPU.\n');
  const lm = new CpuidMachine(false);
  assert.equal(check(lm, GUEST_KERNEL_IMAGES.x86_64), false);
  assert.equal(lm.output, 'This kernel requires an x86-64 CPU, but only detected an i686 CPU.\nUnable to boot - please use a kernel appropriate for your CPU.\n');
});

test('with 64-bit guest support every x86 image passes the check', () => {
  for (const image of [GUEST_KERNEL_IMAGES.i386, GUEST_KERNEL_IMAGES.i386Pae, GUEST_KERNEL_IMAGES.x86_64]) {
    const m = new CpuidMachine(true);
    assert.equal(check(m, image), true, image.name);
    assert.equal(m.output, '');
  }
});

test('Arm: an image of the other width fetches the undefined-instruction vector; the same width boots', () => {
  for (const bits of [32, 64] as const) {
    const m = new FakeMachine({ arch: 'arm', wordBits: bits });
    const fetched: number[] = [];
    m.read = function* (paddr: number, length: number) {
      fetched.push(paddr);
      return new Uint8Array(length);
    };
    assert.equal(check(m, bits === 64 ? GUEST_KERNEL_IMAGES.arm64Image : GUEST_KERNEL_IMAGES.armZImage), true);
    assert.deepEqual(fetched, []);
    assert.equal(check(m, bits === 64 ? GUEST_KERNEL_IMAGES.armZImage : GUEST_KERNEL_IMAGES.arm64Image), false);
    assert.deepEqual(fetched, [UNDEF_VECTOR[bits]]);
  }
});

test('an image of the other architecture is refused as a programming error', () => {
  assert.throws(() => check(new FakeMachine({ arch: 'arm', wordBits: 64 }), GUEST_KERNEL_IMAGES.x86_64), /cannot boot the x86 image/);
});

test('the buildroot guest halts before the kernel banner when its image fails the CPU check', () => {
  const m = new CpuidMachine(false);
  const guest = createBuildrootGuest({ generation: 'none', image: GUEST_KERNEL_IMAGES.x86_64 });
  const g = guest.boot(m);
  assert.equal(g.next().done, true, 'boot returns: the CPU halts');
  assert.doesNotMatch(m.output, /Linux version/);
  assert.match(m.output, /only detected an i686 CPU/);
  assert.notEqual(guest.status().phase, 'login');
});
