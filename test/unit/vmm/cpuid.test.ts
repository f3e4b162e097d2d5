import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Kernel } from '../../../src/sel4';
import type { CpuidRegisters, GuestOS } from '../../../src/vmm/guest-machine';
import { configureX86Guests, guestModeText } from '../../../src/vmm/guest-mode';
import { nativeCpuid, vmCpuid, X86_FEATURE, X86Vmm } from '../../../src/vmm/x86';

const HIDDEN_64 = X86_FEATURE.PAE | X86_FEATURE.PSE | X86_FEATURE.MSR;

/** An x86 VMM whose guest reads the CPUID leaves `leaves` through the CPUID exit. */
function cpuidThroughVmm(vtx64BitGuests: boolean | undefined, leaves: number[]) {
  const kernel = new Kernel({ arch: 'x86_64', seed: 1 });
  const alloc = kernel.allocator();
  const cnode = alloc.must('CNode', 'vm0 cnode', 10);
  const seen: CpuidRegisters[] = [];
  const guest: GuestOS = {
    *boot(m) {
      for (const l of leaves) seen.push(yield* m.cpuid!(l, 0));
    },
  };
  const vmm = new X86Vmm({ kernel, name: 'vm0', cnode, serial: { write: () => undefined }, ramMb: 16, cmdline: '', guest, rootSlot: () => alloc.slot(), vtx64BitGuests });
  vmm.start();
  kernel.run();
  const exits = kernel.trace.all().filter((e) => e.layer === 'vmm' && e.op === 'vmexit' && e.object === 'CPUID');
  return { seen, exits };
}

test('without 64-bit guest support the VMM hides PAE, PSE and MSR (leaf 1 EDX) and LM (0x80000001 EDX)', () => {
  const { seen, exits } = cpuidThroughVmm(undefined, [1, 0x8000_0001]);
  assert.equal(nativeCpuid(1).edx & HIDDEN_64, HIDDEN_64, 'the host CPU has them');
  assert.equal(nativeCpuid(0x8000_0001).edx & X86_FEATURE.LM, X86_FEATURE.LM);
  assert.equal(seen[0].edx & HIDDEN_64, 0);
  assert.equal(seen[1].edx & X86_FEATURE.LM, 0);
  assert.equal(exits.length, 2, 'each CPUID is a VM exit the VMM handles');
});

test('with CONFIG_X86_64_VTX_64BIT_GUESTS the VMM exposes PAE, PSE, MSR and LM', () => {
  const { seen } = cpuidThroughVmm(true, [1, 0x8000_0001]);
  assert.equal(seen[0].edx & HIDDEN_64, HIDDEN_64);
  assert.equal(seen[1].edx & X86_FEATURE.LM, X86_FEATURE.LM);
});

test('the VMM never exposes a feature the host lacks, and the 64-bit bits follow the build for every leaf', () => {
  fc.assert(
    fc.property(fc.constantFrom(0, 1, 2, 0xd, 0x8000_0000, 0x8000_0001, 0x8000_0008), fc.boolean(), fc.nat(7), (leaf, on, vcpu) => {
      const v = vmCpuid(leaf, 0, { vtx64BitGuests: on }, vcpu);
      const n = nativeCpuid(leaf);
      if (leaf !== 1) assert.equal((v.ebx & ~n.ebx) >>> 0, 0);
      assert.equal((v.ecx & ~n.ecx) >>> 0, 0);
      assert.equal((v.edx & ~n.edx) >>> 0, 0);
      if (leaf === 1) {
        assert.equal((v.edx & HIDDEN_64) >>> 0, on ? HIDDEN_64 : 0);
        assert.equal(v.ebx >>> 24, vcpu, 'initial APIC id');
        assert.equal(v.ecx & X86_FEATURE.VMX, 0);
      }
      if (leaf === 0x8000_0001) assert.equal((v.edx & X86_FEATURE.LM) >>> 0, on ? X86_FEATURE.LM >>> 0 : 0);
    }),
  );
});

test('KernelX86_64VTX64BitGuests takes effect only with KernelVTX on an x86_64 kernel, else it is forced off', () => {
  assert.deepEqual(configureX86Guests({ sel4Arch: 'x86_64', vtx64BitGuests: true }), { vtx64BitGuests: true, note: null });
  assert.deepEqual(configureX86Guests({ sel4Arch: 'x86_64' }), { vtx64BitGuests: false, note: null });
  assert.equal(configureX86Guests({ sel4Arch: 'ia32', vtx64BitGuests: true }).vtx64BitGuests, false);
  assert.match(configureX86Guests({ sel4Arch: 'ia32', vtx64BitGuests: true }).note ?? '', /needs an x86_64 kernel \(KernelX86Sel4Arch is ia32\)/);
  assert.equal(configureX86Guests({ sel4Arch: 'x86_64', vtx: false, vtx64BitGuests: true }).vtx64BitGuests, false);
});

test('the guest-mode matrix text lists the booted modes once each, in order', () => {
  assert.equal(guestModeText([64, 32, 64]), '32-bit and 64-bit');
  assert.equal(guestModeText([32]), '32-bit');
  assert.equal(guestModeText([]), '');
});
