import { errorAt } from '../../../diagnostics';
import type { ComponentRuntime, DataportHandle } from '../../../camkes/runtime';
import type { GlueSymbol, VmmGlue } from '../../glue';

/** A `dataports[]` entry the VMM can map: the CAmkES handle behind `<iface>_handle`. */
export interface Gen1Dataport {
  readonly iface: string;
  readonly handle: DataportHandle;
}

/**
 * The generation-1 glue bound to the VM instance's CAmkES interfaces, as the linker would bind the
 * generated symbols. Arrays keep C's view: `count` is what the glue passed (the library's length),
 * entries beyond the array read as NULL.
 */
export interface Gen1Plan {
  readonly dataports?: { readonly count: number; readonly entries: readonly (Gen1Dataport | null)[] };
  readonly emits?: { readonly count: number; readonly entries: readonly (string | null)[] };
  readonly consumes?: {
    readonly count: number;
    readonly events: readonly { readonly id: number; readonly iface: string }[];
    /** The CAmkES `has mutex` whose `_lock/_unlock` the glue's camkes_mutex_t uses. */
    readonly mutex: string;
  };
}

/**
 * Checks the glue against the VM component (`rt`) and binds it. A generated symbol with no
 * matching interface is a link error upstream; here a positioned error at the glue line.
 */
export function planGen1(glue: VmmGlue, rt: ComponentRuntime): Gen1Plan {
  if (glue.generation !== 1) throw errorAt({ file: glue.files[0] ?? '<glue>', line: 1, col: 1 }, 'expected generation-1 glue (cross_vm_*_init hooks) for the x86 Init VMM');
  const type = rt.instance.type;
  const declared = (s: GlueSymbol, kind: string, what: string) => {
    const i = type.interfaces.find((x) => x.name === s.interface);
    if (!i || i.kind !== kind) throw errorAt(s.pos, `undefined reference to '${s.symbol}': ${type.name} (${rt.name}) has no ${what} '${s.interface}'`);
  };
  const f = glue.initFunctions;
  const plan: { -readonly [K in keyof Gen1Plan]: Gen1Plan[K] } = {};
  if (f.dataports) {
    const entries = glue.dataports.map((d): Gen1Dataport | null => {
      if (!d.handle) return null;
      declared(d.handle, 'dataport', 'dataport');
      const h = rt.interfaces.get(d.handle.interface);
      if (!h || h.kind !== 'dataport' || !h.caps)
        throw errorAt(d.handle.pos, `undefined reference to '${d.handle.symbol}': ${rt.name}.${d.handle.interface} is not connected with seL4SharedDataWithCaps (only that connector gives the VMM the frame caps)`);
      return { iface: d.handle.interface, handle: h };
    });
    plan.dataports = { count: f.dataports.arrayArg.count, entries };
  }
  if (f.emits) {
    const entries = glue.emittedEvents.map((e) => {
      if (!e.emit) return null;
      declared(e.emit, 'emits', 'emitted event');
      return e.emit.interface;
    });
    plan.emits = { count: f.emits.arrayArg.count, entries };
  }
  if (f.consumes) {
    const events = glue.consumedEvents.map((c) => {
      declared(c.regCallback, 'consumes', 'consumed event');
      const h = rt.interfaces.get(c.regCallback.interface);
      if (!h || h.kind !== 'consumes')
        throw errorAt(c.regCallback.pos, `undefined reference to '${c.regCallback.symbol}': ${rt.name}.${c.regCallback.interface} is not connected with seL4Notification`);
      return { id: c.id, iface: c.regCallback.interface };
    });
    const m = f.consumes.mutex;
    if (!type.has.some((h) => h.what === 'mutex' && h.name === m.camkesMutex))
      throw errorAt(m.pos, `undefined reference to '${m.camkesMutex}_lock': ${type.name} declares no 'has mutex ${m.camkesMutex};'`);
    plan.consumes = { count: f.consumes.arrayArg.count, events, mutex: m.camkesMutex };
  }
  return plan;
}
