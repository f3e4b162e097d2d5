/**
 * Kernel objects and capabilities for each connection, by connector family (reference
 * cross-vm-connectors.md section 7 and A.13):
 *
 * - seL4Notification (and the Queue/Bind/Native variants): one notification per to-end; the to
 *   instance holds a Read cap and runs `<iface>__run`; the from instance holds an unbadged Write
 *   cap on each.
 * - global-endpoint connectors (`to_global_endpoint`, e.g. seL4GlobalAsynch): the to instance's one
 *   global notification, a distinct badge bit per interface; the from side gets a badged Write cap.
 * - seL4SharedData / seL4SharedDataWithCaps: frames shared by every end's VSpace; WithCaps also puts
 *   the frame caps in each end's CNode (both ends since 2020).
 * - RPC procedure connectors: one endpoint; each client a Write+GrantReply cap badged with its
 *   position among the clients (from 1); the server a Read cap and, when its side has threads,
 *   `<iface>__run`.
 * Hardware, DTB, virtqueue and direct-call connectors are not modelled (`unmodelled` handles).
 */
import { errorAt } from '../../diagnostics';
import { AllRights, CanRead, CanWrite, rights, type CapRights, type CPtr, type Frame, type TCB } from '../../sel4';
import { num, type ResolvedConnection, type ResolvedEnd, type ResolvedInstance } from '../resolve';
import type { InterfaceHandle, SyncHandle } from '../runtime';
import type { AddressSpace, Builder } from './space';
import { access, endId, frameBitsFor, sharedDataSize, withCapsSize } from './sizes';

export const NOTIFICATION_CONNECTORS: ReadonlySet<string> = new Set(['seL4Notification', 'seL4NotificationQueue', 'seL4NotificationBind', 'seL4NotificationNative']);
const NOT_RPC: ReadonlySet<string> = new Set(['seL4DirectCall', 'seL4VirtQueues', 'seL4VMDTBPassthrough', 'seL4GDB', 'seL4GDBMem']);

/**
 * Default `global_endpoint_mask` when an instance sets none. UNCONFIRMED (the reference gives the
 * badge rule but not the default): the 28 low bits, seL4's badge width on 32-bit platforms.
 */
export const DEFAULT_GLOBAL_ENDPOINT_MASK = 0x0fff_ffff;

/** Badge on the caps of mutex and semaphore notifications (a modelling choice, see sync()). */
export const SYNC_BADGE = 1;

export interface ThreadPlan {
  /** `<inst>:control`, `<inst>:<iface>__run`: the TCB's name and the trace actor. */
  readonly name: string;
  readonly local: string;
  readonly kind: 'control' | 'event' | 'rpc';
  readonly iface?: string;
  readonly tcb: TCB;
  readonly priority: number;
  readonly core: number;
}

export interface InstanceBuild {
  readonly instance: ResolvedInstance;
  readonly space: AddressSpace;
  readonly handles: Map<string, InterfaceHandle>;
  readonly sync: Map<string, SyncHandle>;
  readonly threads: ThreadPlan[];
  global?: { readonly root: CPtr; readonly slot: CPtr; readonly badges: Iterator<number> };
}

export interface ConnectionObjects {
  readonly connection: ResolvedConnection;
  /** Names of the kernel objects made for it, in creation order. */
  readonly objects: string[];
  readonly modelled: boolean;
}

function* badgeBits(base: number, mask: number): Generator<number, never, unknown> {
  // camkes-tool macros.py global_endpoint_badges: bits from 1 upward, those outside the mask
  // skipped, each ORed with the base.
  for (let bit = 1; bit <= 0x8000_0000; bit *= 2) if ((mask & bit) >>> 0) yield (bit | base) >>> 0;
  throw new Error('global endpoint badges exhausted');
}

export class ConnectionBuilder {
  constructor(
    private readonly b: Builder,
    private readonly inst: (name: string) => InstanceBuild,
    private readonly cores: number,
  ) {}

  private priority(i: ResolvedInstance, local: string): number {
    const p = num(i.attributes.get(`${local}_priority`)?.value) ?? num(i.attributes.get('priority')?.value) ?? 254;
    return Math.max(0, Math.min(255, p));
  }

  /** A thread's TCB (created now, started later) with `<prefix>_priority`/`_affinity` applied. */
  thread(ib: InstanceBuild, local: string, kind: ThreadPlan['kind'], iface?: string): ThreadPlan {
    const i = ib.instance;
    const prefix = kind === 'control' ? '' : local.replace(/__run$/, '');
    const name = `${i.name}:${local}`;
    const root = this.b.create('TCB', name, i.pos);
    this.b.install(ib.space, root, AllRights, 0, `tcb ${local}`, i.pos);
    const aff = num(i.attributes.get(`${prefix}_affinity`)?.value) ?? num(i.attributes.get('affinity')?.value) ?? 0;
    const t: ThreadPlan = { name, local, kind, tcb: this.b.object<TCB>(root), priority: this.priority(i, prefix), core: aff >= 0 && aff < this.cores ? aff : 0, ...(iface ? { iface } : {}) };
    ib.threads.push(t);
    return t;
  }

  sync(ib: InstanceBuild): void {
    for (const h of ib.instance.type.has) {
      const root = this.b.create('Notification', `ntfn ${ib.instance.name}.${h.name}`, h.pos);
      // Badged (SYNC_BADGE), so that a poll can tell a pending signal (word 1) from none (0).
      const slot = this.b.install(ib.space, root, rights('RW'), SYNC_BADGE, `${h.what} ${h.name}`, h.pos);
      // UNCONFIRMED defaults: semaphores start at 1, binary semaphores at 0 (`<name>_value`).
      const v = ib.instance.attributes.get(`${h.name}_value`);
      const initial = h.what === 'mutex' ? 1 : (num(v?.value) ?? (h.what === 'semaphore' ? 1 : 0));
      if (h.what === 'binary_semaphore' && initial !== 0 && initial !== 1) throw errorAt(v!.pos, `binary semaphore ${ib.instance.name}.${h.name} must start at 0 or 1, not ${initial}`);
      // A mutex or binary semaphore that starts available is a notification signalled once.
      if (h.what !== 'semaphore') this.b.signal(root, initial, SYNC_BADGE);
      ib.sync.set(h.name, { kind: h.what, name: h.name, ntfn: slot, initial });
    }
  }

  build(c: ResolvedConnection): ConnectionObjects {
    const out: ConnectionObjects = { connection: c, objects: [], modelled: true };
    const k = c.connector;
    const hw = k.from.hardware || k.to.hardware || c.ends.some((e) => e.instance.type.hardware);
    const flag = (n: string) => num(k.attributes.get(n)) === 1;
    if (!hw && k.from.kind === 'event' && flag('to_global_endpoint')) this.global(c, out);
    else if (!hw && k.from.kind === 'event' && NOTIFICATION_CONNECTORS.has(k.name)) this.notification(c, out);
    else if (!hw && k.from.kind === 'dataport' && (k.name === 'seL4SharedData' || k.name === 'seL4SharedDataWithCaps')) this.shared(c, out);
    else if (!hw && k.from.kind === 'procedure' && !NOT_RPC.has(k.name)) this.rpc(c, out);
    else {
      for (const e of c.ends) this.inst(e.instance.name).handles.set(e.interface.name, { kind: 'unmodelled', interface: e.interface, connection: c });
      return { ...out, modelled: false };
    }
    return out;
  }

  private notification(c: ResolvedConnection, out: ConnectionObjects): void {
    const caps = new Map<string, CPtr[]>();
    for (const to of c.to) {
      const ib = this.inst(to.instance.name);
      const name = `ntfn ${c.name}.${to.instance.name}.${to.interface.name}`;
      const root = this.b.create('Notification', name, to.pos);
      out.objects.push(name);
      const ntfn = this.b.install(ib.space, root, CanRead, 0, `${to.interface.name} (${c.connector.name} ${c.name})`, to.pos);
      const hname = `ntfn ${to.instance.name}.${to.interface.name} handoff`;
      const hroot = this.b.create('Notification', hname, to.pos);
      out.objects.push(hname);
      const handoff = this.b.install(ib.space, hroot, rights('RW'), 0, `${to.interface.name} handoff semaphore`, to.pos);
      const t = this.thread(ib, `${to.interface.name}__run`, 'event', to.interface.name);
      ib.handles.set(to.interface.name, { kind: 'consumes', interface: to.interface, connection: c, ntfn, handoff, thread: t.name });
      for (const from of c.from) {
        const fb = this.inst(from.instance.name);
        const slot = this.b.install(fb.space, root, CanWrite, 0, `${from.interface.name} (${c.connector.name} ${c.name} to ${to.instance.name}.${to.interface.name})`, from.pos);
        caps.set(from.instance.name + '.' + from.interface.name, [...(caps.get(from.instance.name + '.' + from.interface.name) ?? []), slot]);
      }
    }
    for (const from of c.from) {
      const list = caps.get(from.instance.name + '.' + from.interface.name) ?? [];
      this.inst(from.instance.name).handles.set(from.interface.name, { kind: 'emits', interface: from.interface, connection: c, caps: list, badges: list.map(() => 0) });
    }
  }

  /** The instance's single global-endpoint notification, made on first use. */
  private globalOf(ib: InstanceBuild, e: ResolvedEnd): NonNullable<InstanceBuild['global']> {
    if (ib.global) return ib.global;
    const name = `ntfn ${ib.instance.name}.global_endpoint`;
    const root = this.b.create('Notification', name, e.pos);
    const slot = this.b.install(ib.space, root, rights('RW'), 0, 'global endpoint', e.pos);
    const base = num(ib.instance.attributes.get('global_endpoint_base')?.value) ?? 0;
    const mask = num(ib.instance.attributes.get('global_endpoint_mask')?.value) ?? (DEFAULT_GLOBAL_ENDPOINT_MASK & ~base);
    ib.global = { root, slot, badges: badgeBits(base >>> 0, mask >>> 0) };
    return ib.global;
  }

  private global(c: ResolvedConnection, out: ConnectionObjects): void {
    const emitted = new Map<ResolvedEnd, { caps: CPtr[]; badges: number[] }>();
    for (const to of c.to) {
      const ib = this.inst(to.instance.name);
      const g = this.globalOf(ib, to);
      out.objects.push(`ntfn ${to.instance.name}.global_endpoint`);
      const badge = g.badges.next().value as number;
      ib.handles.set(to.interface.name, { kind: 'consumes-global', interface: to.interface, connection: c, ntfn: g.slot, badge });
      for (const from of c.from) {
        const slot = this.b.install(this.inst(from.instance.name).space, g.root, CanWrite, badge, `${from.interface.name} (${c.connector.name} ${c.name} to ${to.instance.name}.${to.interface.name})`, from.pos);
        const e = emitted.get(from) ?? { caps: [], badges: [] };
        e.caps.push(slot);
        e.badges.push(badge);
        emitted.set(from, e);
      }
    }
    for (const [from, e] of emitted) this.inst(from.instance.name).handles.set(from.interface.name, { kind: 'emits', interface: from.interface, connection: c, caps: e.caps, badges: e.badges });
  }

  private shared(c: ResolvedConnection, out: ConnectionObjects): void {
    const withCaps = c.connector.name === 'seL4SharedDataWithCaps';
    const sz = withCaps ? withCapsSize(c) : { configured: sharedDataSize(c), mapped: sharedDataSize(c) };
    const bits = frameBitsFor(sz.mapped, this.b.kernel.cfg.pageBits);
    const n = sz.mapped / 2 ** bits;
    const frames: CPtr[] = [];
    for (let i = 0; i < n; i++) {
      const name = `frame ${c.name}[${i}]`;
      frames.push(this.b.create('Frame', name, c.pos, bits));
      out.objects.push(name);
    }
    const frameObjs = frames.map((f) => this.b.object<Frame>(f));
    for (const e of c.ends) {
      const ib = this.inst(e.instance.name);
      const acc = access(e);
      const vaddr = this.b.map(ib.space, frames, bits, acc.rights, e.pos);
      const base = { kind: 'dataport' as const, interface: e.interface, connection: c, vaddr, size: sz.mapped, frames: frameObjs, frameSizeBits: bits, access: acc.letters };
      if (!withCaps) {
        ib.handles.set(e.interface.name, base);
        continue;
      }
      const capRights: CapRights = acc.rights;
      const frameCaps = frames.map((f, i) => this.b.install(ib.space, f, capRights, 0, `${e.interface.name} frame ${i} (${c.connector.name} ${c.name})`, e.pos));
      ib.handles.set(e.interface.name, { ...base, caps: { frameCaps, id: endId(e), size: sz.configured } });
    }
  }

  private rpc(c: ResolvedConnection, out: ConnectionObjects): void {
    const name = `ep ${c.name}`;
    const root = this.b.create('Endpoint', name, c.pos);
    out.objects.push(name);
    for (const to of c.to) {
      const ib = this.inst(to.instance.name);
      const ep = this.b.install(ib.space, root, CanRead, 0, `${to.interface.name} (${c.connector.name} ${c.name})`, to.pos);
      const threads = c.connector.to.threads;
      const t = threads === undefined || threads > 0 ? this.thread(ib, `${to.interface.name}__run`, 'rpc', to.interface.name) : undefined;
      ib.handles.set(to.interface.name, { kind: 'provides', interface: to.interface, connection: c, ep, thread: t?.name ?? '' });
    }
    // Clients are badged by position (from 1) so the server can tell them apart. UNCONFIRMED:
    // camkes-tool's exact badge numbering for seL4RPCCall clients.
    c.from.forEach((from, i) => {
      const ep = this.b.install(this.inst(from.instance.name).space, root, rights('WP'), i + 1, `${from.interface.name} (${c.connector.name} ${c.name})`, from.pos);
      this.inst(from.instance.name).handles.set(from.interface.name, { kind: 'uses', interface: from.interface, connection: c, ep, badge: i + 1 });
    });
  }
}
