import { Kernel } from '../../../src/sel4';
import type { Blocking } from '../../../src/sel4';
import type { GuestMachine, GuestOS } from '../../../src/vmm/guest-machine';
import { X86Vmm } from '../../../src/vmm/x86';

/** A guest that runs a script against the machine: the unit tests' stand-in for src/guest. */
export function scriptGuest(script: (m: GuestMachine) => Blocking<void>): GuestOS & { reached: string[] } {
  const reached: string[] = [];
  return { reached, boot: (m) => script(m) };
}

/** An x86 VMM for vm0 on an ia32 kernel, with its serial output captured. */
export function x86System(guest: GuestOS | null, ramMb = 16) {
  const kernel = new Kernel({ arch: 'ia32', seed: 1 });
  const alloc = kernel.allocator();
  const cnode = alloc.must('CNode', 'vm0 cnode', 10);
  const out: { source: string; text: string }[] = [];
  const serial = { write: (source: string, text: string) => void out.push({ source, text }) };
  const vmm = new X86Vmm({ kernel, name: 'vm0', cnode, serial, ramMb, cmdline: 'console=ttyS0', guest, rootSlot: () => alloc.slot() });
  const text = (source?: string) => out.filter((o) => source === undefined || o.source === source).map((o) => o.text).join('');
  const vmmOps = (op?: string) => kernel.trace.all().filter((e) => e.layer === 'vmm' && (op === undefined || e.op === op));
  return { kernel, alloc, cnode, vmm, out, text, vmmOps };
}
