/**
 * Instantiation: a resolved assembly becomes kernel objects and capabilities in the simulated
 * kernel, one CSpace and VSpace per address space, a TCB per thread, and a `ComponentRuntime` per
 * instance. `start()` then spawns the threads with their bodies: the template-generated interface
 * threads always, the control thread and RPC servers from the instance's behaviour.
 */
import { num, type ResolvedAssembly, type ResolvedInstance } from '../resolve';
import { Kernel, type Arch, type KernelOptions, type RunOptions, type RunResult, type Sys } from '../../sel4';
import { BehaviourRegistry, ComponentRuntime, SerialOutput, serveThread, type Behaviour } from '../runtime';
import { ConnectionBuilder, type ConnectionObjects, type InstanceBuild, type ThreadPlan } from './connections';
import { AddressSpace, Builder, DEFAULT_CNODE_BITS } from './space';

export { DATAPORT_BASE, DEFAULT_CNODE_BITS, MAX_MODEL_CNODE_BITS, type AddressSpace, type SlotEntry } from './space';
export { DEFAULT_GLOBAL_ENDPOINT_MASK, NOTIFICATION_CONNECTORS, type ThreadPlan, type ConnectionObjects } from './connections';
export { renderSpec } from './listing';

export interface InstantiateOptions {
  /** Kernel to build in; default a new one for `arch` (root CNode of 2^14 slots for the copies). */
  readonly kernel?: Kernel;
  readonly arch?: Arch;
  readonly seed?: number;
  readonly cores?: number;
  readonly kernelOptions?: Partial<KernelOptions>;
  /** Component behaviours (default: none; see src/camkes/components for the built-in registry). */
  readonly behaviours?: BehaviourRegistry;
  readonly serial?: SerialOutput;
}

export interface InstanceSystem {
  readonly instance: ResolvedInstance;
  readonly space: AddressSpace;
  readonly runtime: ComponentRuntime;
  readonly threads: readonly ThreadPlan[];
  /** The behaviour, made at `start()`; undefined when none is registered for the type. */
  behaviour?: Behaviour;
}

export interface InstantiatedSystem {
  readonly kernel: Kernel;
  readonly assembly: ResolvedAssembly;
  readonly serial: SerialOutput;
  readonly instances: ReadonlyMap<string, InstanceSystem>;
  readonly spaces: readonly AddressSpace[];
  readonly connections: readonly ConnectionObjects[];
  readonly behaviours: BehaviourRegistry;
  /** Spawns every thread with its body (once). */
  start(): void;
  /** `start()` if needed, then `kernel.run(opts)`; flushes unterminated serial text at the end. */
  run(opts?: RunOptions): RunResult;
}

export function instantiate(assembly: ResolvedAssembly, opts: InstantiateOptions = {}): InstantiatedSystem {
  const kernel = opts.kernel ?? new Kernel({ arch: opts.arch ?? 'x86_64', seed: opts.seed ?? 1, cores: opts.cores ?? 1, rootCNodeBits: 14, ...opts.kernelOptions });
  const serial = opts.serial ?? new SerialOutput(() => kernel.now, kernel.trace);
  const behaviours = opts.behaviours ?? new BehaviourRegistry();
  const b = new Builder(kernel);

  // Hardware components are devices, not address spaces: they get no objects (A.13).
  const software = assembly.instances.filter((i) => !i.type.hardware && !i.type.compound);
  const spaces = new Map<string, AddressSpace>();
  const builds = new Map<string, InstanceBuild>();
  for (const i of software) {
    let sp = spaces.get(i.addressSpace);
    if (!sp) {
      const bits = num(i.attributes.get('cnode_size_bits')?.value) ?? DEFAULT_CNODE_BITS;
      sp = b.space(i.addressSpace, bits, i.pos);
      spaces.set(i.addressSpace, sp);
    }
    builds.set(i.name, { instance: i, space: sp, handles: new Map(), sync: new Map(), threads: [] });
  }
  const cb = new ConnectionBuilder(b, (n) => builds.get(n)!, kernel.core.cores.length);
  for (const ib of builds.values()) {
    if (ib.instance.type.control) cb.thread(ib, 'control', 'control');
    cb.sync(ib);
  }
  // A connection with an end on a hardware device is left to the layer that models the device.
  const connections = assembly.connections.map((c) => (c.ends.every((e) => builds.has(e.instance.name)) ? cb.build(c) : { connection: c, objects: [], modelled: false }));

  const instances = new Map<string, InstanceSystem>();
  for (const ib of builds.values()) {
    const runtime = new ComponentRuntime(ib.instance, kernel, serial, ib.space.cnode, ib.space.vspace, ib.handles, ib.sync);
    instances.set(ib.instance.name, { instance: ib.instance, space: ib.space, runtime, threads: ib.threads });
  }

  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const is of instances.values()) spawnInstance(kernel, is, behaviours);
  };
  return {
    kernel, assembly, serial, instances, spaces: [...spaces.values()], connections, behaviours, start,
    run: (o) => {
      start();
      const r = kernel.run(o);
      serial.flush();
      return r;
    },
  };
}

function spawnInstance(kernel: Kernel, is: InstanceSystem, registry: BehaviourRegistry): void {
  const rt = is.runtime;
  const factory = registry.lookup(is.instance);
  const beh = factory ? factory(rt) : undefined;
  is.behaviour = beh;
  const spawn = (t: ThreadPlan, body: (sys: Sys) => Generator<unknown, unknown, unknown>) =>
    kernel.spawn({ name: t.name, priority: t.priority, core: t.core, tcb: t.tcb, cspace: is.space.cnode, vspace: is.space.vspace }, body);
  // Interface threads first, then control (CAmkES starts run() after the interfaces are up).
  for (const t of is.threads) {
    if (t.kind === 'event') spawn(t, (sys) => rt.eventThread(sys, t.iface!));
    else if (t.kind === 'rpc') {
      const impl = beh?.provides?.[t.iface!];
      if (impl) spawn(t, (sys) => serveThread(rt, sys, t.iface!, impl));
    }
  }
  const control = is.threads.find((t) => t.kind === 'control');
  if (control && beh?.run) spawn(control, (sys) => beh.run!(rt.context(sys)));
  for (const x of beh?.threads ?? [])
    kernel.spawn({ name: `${rt.name}:${x.name}`, priority: x.priority ?? control?.priority ?? 254, core: x.core ?? 0, cspace: is.space.cnode, vspace: is.space.vspace }, (sys) => x.body(rt.context(sys)));
}
