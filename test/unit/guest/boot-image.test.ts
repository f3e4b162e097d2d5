// status().image: the kernel image the buildroot guest started booting (src/guest/buildroot.ts),
// null until boot starts; the image's CPU check runs on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBuildrootGuest } from '../../../src/guest';
import { GUEST_KERNEL_IMAGES } from '../../../src/vmm/guest-mode';
import { FakeMachine } from './fake-machine';
import { boot } from './helpers';

test('before boot the guest has booted no image', () => {
  assert.equal(createBuildrootGuest({ generation: 'none' }).status().image, null);
});

test('x86 by default boots the i386 non-PAE image, even on a 64-bit machine, and reaches the shell', () => {
  for (const wordBits of [32, 64] as const) {
    const { guest } = boot({ generation: 'none' }, new FakeMachine({ arch: 'x86', wordBits }));
    assert.equal(guest.status().image, GUEST_KERNEL_IMAGES.i386, `wordBits ${wordBits}`);
    assert.equal(guest.status().phase, 'shell', 'booted and logged in');
  }
});

test('Arm by default boots the image of the vCPU width', () => {
  for (const [wordBits, image] of [[32, GUEST_KERNEL_IMAGES.armZImage], [64, GUEST_KERNEL_IMAGES.arm64Image]] as const) {
    const { guest } = boot({ generation: 'none' }, new FakeMachine({ arch: 'arm', wordBits, cmdline: 'console=ttyAMA0' }));
    assert.equal(guest.status().image, image, image.name);
  }
});

test('an explicit image option is the image booted, recorded when boot starts', () => {
  const unstarted = createBuildrootGuest({ generation: 'none', image: GUEST_KERNEL_IMAGES.i386Pae });
  unstarted.boot(new FakeMachine({ arch: 'x86' }));
  assert.equal(unstarted.status().image, null, 'nothing runs until the boot generator is stepped');
  // The fake machine has no CPUID (not under VT-x), so the PAE image's CPU check has nothing to refuse.
  const { guest } = boot({ generation: 'none', image: GUEST_KERNEL_IMAGES.i386Pae }, new FakeMachine({ arch: 'x86', wordBits: 64 }));
  assert.equal(guest.status().image, GUEST_KERNEL_IMAGES.i386Pae);
  assert.equal(guest.status().phase, 'shell', 'booted and logged in');
});
