import { errorAt } from '../../diagnostics';
import type { InstantiatedSystem } from '../../camkes/instantiate';
import type { SerialOutput } from '../../camkes/runtime';
import type { CPtr, Kernel } from '../../sel4';
import type { SerialSink } from '../core';
import type { GuestOS } from '../guest-machine';
import { installGen1, type CrossVmGen1 } from '../crossvm/gen1';
import { parseCFile, readVmmGlue, type GlueSource } from '../glue';
import { PciBus } from '../pci';
import { X86Gen2 } from './gen2';
import { registerGlueHandlers } from './poke';
import type { PciConfigSpace } from './pci-ports';
import { X86Vmm } from './vmm';

/** x86 VM components are the ones `VM_INIT_DEF()` declares: they carry `guest_ram_mb`. */
export function isX86VmInstance(sys: InstantiatedSystem, name: string): boolean {
  const i = sys.instances.get(name)?.instance;
  return !!i && i.type.attributes.some((a) => a.name === 'guest_ram_mb');
}

export interface AttachX86Options {
  readonly guest: GuestOS | null;
  /** The app's VMM C (`src/*.c`); generation-1 hooks and `reg_new_handler` calls are installed. */
  readonly glue?: readonly GlueSource[];
  /** Whether the glue is cross-VM glue (app.yaml `generation: 1`); other glue may only add handlers. */
  readonly generation?: 1 | 2 | 'none';
  /** The vPCI bus; with generation-2 glue and none given, a new `PciBus` carries the connections. */
  readonly pci?: PciConfigSpace | null;
  /** CONFIG_X86_64_VTX_64BIT_GUESTS as the build resolved it (`src/vmm/guest-mode.ts`). */
  readonly vtx64BitGuests?: boolean;
}

export interface AttachedX86Vm {
  readonly vmm: X86Vmm;
  readonly gen1?: CrossVmGen1;
  readonly gen2?: X86Gen2;
}

/**
 * Gives the CAmkES VM instance `name` its VMM: an `X86Vmm` in the instance's CSpace and VSpace
 * (so it holds exactly the caps instantiation gave it, e.g. seL4SharedDataWithCaps frames),
 * printing to the system's serial output, with the app's glue installed. Call after
 * `instantiate`; `start()` the VMM after the system's threads are started.
 */
export function attachX86Vmm(sys: InstantiatedSystem, name: string, o: AttachX86Options): AttachedX86Vm {
  const is = sys.instances.get(name);
  if (!is) throw new Error(`no instance '${name}' in the assembly`);
  const rt = is.runtime;
  const ramMb = rt.int('guest_ram_mb');
  if (ramMb === undefined || ramMb <= 0) throw errorAt(is.instance.pos, `${name}.guest_ram_mb must be a positive number of MiB`);
  const control = is.threads.find((t) => t.kind === 'control');
  const gen2Bus = o.generation === 2 && o.glue?.length && !o.pci ? new PciBus() : null;
  const vmm = new X86Vmm({
    kernel: sys.kernel,
    name,
    cnode: is.space.cnodeRoot,
    vspaceRoot: is.space.vspaceRoot,
    serial: serialSink(sys.serial, name),
    ramMb,
    cmdline: rt.string('kernel_cmdline') ?? '',
    wordBits: 32,
    priority: control?.priority ?? 254,
    guest: o.guest,
    rootSlot: freeRootSlots(sys.kernel),
    pci: o.pci ?? gen2Bus,
    vtx64BitGuests: o.vtx64BitGuests,
  });
  let gen1: CrossVmGen1 | undefined;
  let gen2: X86Gen2 | undefined;
  if (o.glue && o.glue.length) {
    if (o.generation === 1) gen1 = installGen1(vmm, readVmmGlue(o.glue), rt);
    if (gen2Bus) gen2 = new X86Gen2(vmm, gen2Bus, readVmmGlue(o.glue), rt, is.instance.pos);
    registerGlueHandlers(vmm, o.glue.map((g) => parseCFile(g.text, g.path)));
  }
  return { vmm, gen1, gen2 };
}

/** The serial output as the VMM writes to it: its own messages as layer 'vmm', guest console as 'guest-kernel'. */
export function serialSink(serial: SerialOutput, vm: string): SerialSink {
  // Built once: the guest console writes here for every echoed keystroke.
  const consoleOpts = { layer: 'guest-kernel', op: 'console', actor: `${vm}:console` } as const;
  return {
    write: (source, text) => serial.write(source, text, source === vm ? consoleOpts : { layer: 'vmm', actor: source }),
  };
}

/** Free slots of the root CNode from the top down (instantiation fills it from the bottom). */
function freeRootSlots(kernel: Kernel): () => CPtr {
  const cn = kernel.rootCNode;
  let next = cn.size - 1;
  return () => {
    while (next > 0 && cn.capAt(next)) next--;
    if (next <= 0) throw new Error('the root CNode is full');
    return next--;
  };
}
