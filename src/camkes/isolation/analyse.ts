/**
 * Isolation between VMs, from the simulated capability distribution: for every component instance
 * the frames and untyped memory it can reach (reach.ts), for every VM instance the memory backing
 * its guest RAM (guest.ts), then every pair (instance A, guest B) with A not B's own VMM where A
 * reaches B's memory. A reached frame is allowed only when a declared dataport connection
 * (seL4SharedData / seL4SharedDataWithCaps) with ends in A and in B created it; anything else is
 * a violation. Frames reachable from two address spaces are listed with the connection that made
 * them, and a frame shared with no connection joining the two is a violation too. Connections
 * built above this layer (seL4VirtQueues: src/system/virtio.ts) count when the caller passes the
 * frames it made for them (`IsolationOptions.connectionFrames`). Device pages are not guest RAM
 * (device.ts); one reachable from several spaces is allowed only when each declares it.
 */
import type { Frame, KObject, Untyped } from '../../sel4';
import type { InstantiatedSystem } from '../instantiate';
import type { ResolvedConnection } from '../resolve';
import { deviceDeclaration, isDevicePage } from './device';
import { guestMemoryOf, isVmInstance, touchesGuest, type GuestMemory } from './guest';
import { declaredRegions, overlaps, reachOf, regionOf, type DeclaredRegion, type SpaceReach, type Via } from './reach';

export const ANALYSIS_COVERAGE: readonly string[] = [
  'Frame caps in each component CNode, and in every CNode reachable through CNode caps it holds (transitively)',
  'frames mapped in the component VSpace, and in every other VSpace it holds a cap to (a VMM and its guest-physical space)',
  'Untyped caps: the whole region (the holder can revoke and retype over it), compared with guest frames and pools by physical address',
  'guest RAM with a VMM: frames mapped in its guest-physical space, frames carved from its RAM pool, the unbacked rest of the pool',
  'guest RAM without a VMM: the declared RAM region (vm_address_config / linux_address_config, else untyped_mmios), compared only with other declared regions (untyped_mmios, mmios), since the model\'s boot untypeds do not follow the board\'s memory map',
  'device pages (frames from device untypeds) are not guest RAM; one reachable from several address spaces must be declared by each (mmios / untyped_mmios entry covering it, else its dtb passthrough), and a device untyped counts as reaching the device pages it covers',
  'frames of connections built above the CAmkES layer (seL4VirtQueues) when the caller passes the frames made for each connection; such a connection is then no longer listed as unmodelled',
  'not covered: caps that could move at run time over endpoints with the Grant right; TCB caps; hardware components (no objects); connectors the model does not build and no caller reported (virtqueues without their frames, DTB passthrough, hardware MMIO); dtb paths are not resolved into regions',
];

export interface Reached {
  /** Frame or untyped object name, or the declared region. */
  readonly what: string;
  readonly via: Via;
  /** The dataport connection that created the frame and joins the two ends, when there is one. */
  readonly connection?: string;
  readonly allowed: boolean;
  readonly why: string;
}

export interface ReachPair {
  readonly holder: string;
  readonly guest: string;
  readonly reached: readonly Reached[];
}

export interface SharedFrame {
  readonly frame: string;
  /** Address spaces reaching it, sorted. */
  readonly spaces: readonly string[];
  readonly connection?: string;
  /** A device page: `declarations` says which setting of each space declares it. */
  readonly device?: true;
  /** `space: setting` for each space declaring the device page (sorted like `spaces`). */
  readonly declarations?: readonly string[];
  readonly allowed: boolean;
}

/** Frames a layer above instantiation made for one declared connection (e.g. a VirtqueueLink). */
export interface ConnectionFrames {
  readonly connection: ResolvedConnection;
  readonly frames: readonly Frame[];
}

export interface IsolationOptions {
  readonly connectionFrames?: Iterable<ConnectionFrames>;
}

export interface InstanceReachSummary {
  readonly instance: string;
  readonly space: string;
  readonly isVm: boolean;
  readonly frames: number;
  readonly untypeds: readonly string[];
  readonly declared: readonly string[];
}

export interface Violation {
  readonly kind: 'guest-memory' | 'shared-frame' | 'declared-overlap';
  readonly message: string;
}

export interface IsolationResult {
  readonly coverage: readonly string[];
  readonly instances: readonly InstanceReachSummary[];
  readonly guests: readonly GuestMemory[];
  /** Unmodelled connections between two VMs (their memory is not in the model). */
  readonly unmodelledVmConnections: readonly string[];
  readonly pairs: readonly ReachPair[];
  readonly shared: readonly SharedFrame[];
  readonly violations: readonly Violation[];
  readonly ok: boolean;
}

const DATAPORT_CONNECTORS = new Set(['seL4SharedData', 'seL4SharedDataWithCaps']);

export function analyseIsolation(sys: InstantiatedSystem, opts: IsolationOptions = {}): IsolationResult {
  const reaches = new Map<string, SpaceReach>();
  for (const sp of sys.spaces) reaches.set(sp.name, reachOf(sp));
  const insts = [...sys.instances.values()];
  const spaceOf = (inst: string) => sys.instances.get(inst)!.space.name;

  // Frame -> the dataport connection that created it (through every end's handle).
  const madeBy = new Map<Frame, ResolvedConnection>();
  for (const is of insts) for (const h of is.runtime.interfaces.values()) if (h.kind === 'dataport' && DATAPORT_CONNECTORS.has(h.connection.connector.name)) for (const f of h.frames) madeBy.set(f, h.connection);
  const reported = new Set<ResolvedConnection>();
  for (const cf of opts.connectionFrames ?? []) {
    reported.add(cf.connection);
    for (const f of cf.frames) madeBy.set(f, cf.connection);
  }
  const joins = (c: ResolvedConnection, a: string, b: string) => c.ends.some((e) => spaceOf(e.instance.name) === a) && c.ends.some((e) => spaceOf(e.instance.name) === b);

  const vms = insts.filter((is) => isVmInstance(is.instance));
  const guests = vms.map((is) => guestMemoryOf(is, reaches.get(is.space.name)!));
  const declaredOf = new Map(insts.map((is) => [is.instance.name, declaredRegions(is.instance)] as const));
  const violations: Violation[] = [];
  const pairs: ReachPair[] = [];

  for (const is of insts) {
    const holder = is.instance.name;
    const r = reaches.get(is.space.name)!;
    for (const g of guests) {
      if (g.vm === holder) continue;
      const ownSpace = spaceOf(g.vm) === is.space.name;
      const reached: Reached[] = [];
      const consider = (o: KObject, via: Via) => {
        if (!touchesGuest(o, g)) return;
        const c = o.type === 'Frame' ? madeBy.get(o as Frame) : undefined;
        const ok = !!c && !ownSpace && joins(c, is.space.name, spaceOf(g.vm));
        const why = ownSpace
          ? `${holder} shares ${g.vm}'s address space`
          : c
            ? ok ? `dataport connection ${c.name} joins ${holder} and ${g.vm}` : `made by connection ${c.name}, which does not join ${holder} and ${g.vm}`
            : o.type === 'Untyped' ? `untyped ${o.name} covers ${g.vm}'s guest memory` : `no declared connection made this frame`;
        reached.push({ what: `${o.type} ${o.name}`, via, ...(c ? { connection: c.name } : {}), allowed: ok, why });
      };
      for (const [f, via] of r.frames) consider(f, via);
      for (const [u, via] of r.untypeds) consider(u, via);
      for (const d of declaredOf.get(holder) ?? []) for (const gr of g.declared) if (overlaps(d, gr)) reached.push({ what: `declared ${d.via}`, via: `${holder}.${d.kind}`, allowed: false, why: `overlaps ${g.vm}'s guest RAM (${gr.via})` });
      if (!reached.length) continue;
      pairs.push({ holder, guest: g.vm, reached });
      for (const x of reached) if (!x.allowed) violations.push({ kind: x.what.startsWith('declared') ? 'declared-overlap' : 'guest-memory', message: `${holder} can reach ${g.vm}'s guest memory: ${x.what} (${x.via}): ${x.why}` });
    }
  }

  const holders = new Map<Frame, Set<string>>();
  const hold = (f: Frame, sp: string) => (holders.get(f) ?? holders.set(f, new Set()).get(f)!).add(sp);
  for (const [sp, r] of reaches) for (const f of r.frames.keys()) hold(f, sp);
  // A device untyped reaches every device page carved from its region, whoever holds the page.
  const devicePages = [...holders.keys()].filter(isDevicePage);
  for (const [sp, r] of reaches) for (const u of r.untypeds.keys()) if (isDevicePage(u)) for (const f of devicePages) if (overlaps(regionOf(u), regionOf(f))) hold(f, sp);
  const instancesIn = (sp: string) => insts.filter((is) => is.space.name === sp).map((is) => is.instance);
  const shared: SharedFrame[] = [];
  for (const [f, set] of holders) {
    if (set.size < 2) continue;
    const spaces = [...set].sort();
    const c = madeBy.get(f);
    if (!c && isDevicePage(f)) {
      const decl = spaces.map((sp) => [sp, instancesIn(sp).map((i) => deviceDeclaration(i, f)).find((d) => d !== undefined)] as const);
      const missing = decl.filter(([, d]) => d === undefined).map(([sp]) => sp);
      const allowed = missing.length === 0;
      shared.push({ frame: f.name, spaces, device: true, declarations: decl.filter(([, d]) => d !== undefined).map(([sp, d]) => `${sp}: ${d}`), allowed });
      if (!allowed) violations.push({ kind: 'shared-frame', message: `device page ${f.name} is reachable from ${spaces.join(', ')} but ${missing.join(', ')} declare${missing.length === 1 ? 's' : ''} no mmios, untyped_mmios or dtb covering it` });
      continue;
    }
    const allowed = !!c && spaces.every((s) => c.ends.some((e) => spaceOf(e.instance.name) === s));
    shared.push({ frame: f.name, spaces, ...(c ? { connection: c.name } : {}), allowed });
    if (!allowed) violations.push({ kind: 'shared-frame', message: `${f.name} is reachable from ${spaces.join(', ')}${c ? ` but connection ${c.name} does not join them all` : ' and no declared connection made it'}` });
  }
  shared.sort((a, b) => (a.frame < b.frame ? -1 : a.frame > b.frame ? 1 : 0));

  const vmNames = new Set(vms.map((v) => v.instance.name));
  const unmodelledVmConnections = sys.connections
    .filter((c) => !c.modelled && !reported.has(c.connection) && new Set(c.connection.ends.map((e) => e.instance.name).filter((n) => vmNames.has(n))).size >= 2)
    .map((c) => `${c.connection.name} (${c.connection.connector.name})`);

  const instances: InstanceReachSummary[] = insts.map((is) => {
    const r = reaches.get(is.space.name)!;
    return {
      instance: is.instance.name,
      space: is.space.name,
      isVm: vmNames.has(is.instance.name),
      frames: r.frames.size,
      untypeds: [...r.untypeds.keys()].map((u: Untyped) => u.name),
      declared: (declaredOf.get(is.instance.name) ?? []).map((d: DeclaredRegion) => d.via),
    };
  });
  return { coverage: ANALYSIS_COVERAGE, instances: instances.sort((a, b) => (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0)), guests, unmodelledVmConnections, pairs, shared, violations, ok: violations.length === 0 };
}
