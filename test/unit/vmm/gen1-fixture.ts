import { readFileSync } from 'node:fs';
import { builtinBehaviours } from '../../../src/camkes/components';
import { instantiate } from '../../../src/camkes/instantiate';
import { loadCamkes } from '../../../src/camkes/parser';
import { resolveAssembly } from '../../../src/camkes/resolve';
import type { Blocking } from '../../../src/sel4';
import type { GuestMachine, GuestOS } from '../../../src/vmm/guest-machine';
import { attachX86Vmm, X86_GUEST_RAM_BASE } from '../../../src/vmm/x86';

const X86_INC = 'src/camkes/include/x86';

/** The tutorial app instantiated on ia32 with its glue (optionally edited) and a scripted guest. */
export function tutorial(script: (m: GuestMachine) => Blocking<void>, editGlue: (c: string) => string = (c) => c) {
  const spec = loadCamkes('apps/crossvm_tutorial/crossvm_tutorial.camkes', { includePaths: [X86_INC], importPaths: [X86_INC] });
  const sys = instantiate(resolveAssembly(spec), { arch: 'ia32', behaviours: builtinBehaviours() });
  const guest: GuestOS = { boot: (m) => script(m) };
  const path = 'apps/crossvm_tutorial/src/cross_vm.c';
  const { vmm, gen1 } = attachX86Vmm(sys, 'vm0', { guest, glue: [{ path, text: editGlue(readFileSync(path, 'utf8')) }], generation: 1 });
  sys.start();
  vmm.start();
  const vmmOut = () => sys.serial.textOf('vm0:vmm');
  return { sys, vmm, gen1, vmmOut };
}

export const DP = X86_GUEST_RAM_BASE + 0x10_0000;
export const CTX = X86_GUEST_RAM_BASE + 0x20_0000;

/** What the guest's dataport / consumes_event modules do at load and allocate time. */
export function* guestInit(m: GuestMachine, size = 4096, id = 1): Blocking<number> {
  yield* m.vmcall({ eax: 1, ebx: 1, ecx: id, edx: DP, esi: size });
  yield* m.vmcall({ eax: 2, ebx: 1, ecx: CTX });
  return yield* m.read32(CTX + 4);
}

/** The consumes_event interrupt handler: waits for IRQ 12, reads the id, ACKs, EOIs. */
export function* guestWaitEvent(m: GuestMachine): Blocking<number> {
  for (;;) {
    const line = yield* m.acknowledgeInterrupt();
    if (line === null) {
      yield* m.idle(null);
      continue;
    }
    const id = yield* m.read32(CTX);
    yield* m.vmcall({ eax: 2, ebx: 2 });
    yield* m.endOfInterrupt(line);
    if (line === 12) return id;
  }
}

export function cstr(s: string): Uint8Array {
  return new Uint8Array([...Buffer.from(s, 'utf8'), 0]);
}
