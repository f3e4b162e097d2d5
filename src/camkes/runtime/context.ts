/**
 * The CAmkES runtime of one instance (`ComponentRuntime`) and the per-thread API its code calls
 * (`ThreadContext`): the generated `<iface>_wait/_poll/_emit/_reg_callback`, dataport pointers,
 * `<m>_lock/_unlock`, semaphores, RPC stubs and `printf`. Everything goes through the thread's
 * `Sys`, i.e. the capabilities in the instance's CNode and the mappings in its VSpace.
 */
import { FINISHED, type Blocking, type CNode, type Kernel, type Sys, type VSpace } from '../../sel4';
import { num, str, type ResolvedInstance, type Value } from '../resolve';
import { EventState, WAKE_OUTCOMES, type EventCallback } from './events';
import type { InterfaceHandle, SyncHandle } from './handles';
import { DataportView } from './dataport-view';
import { CountingSemaphore } from './events';
import { decodeReply, encodeCall, method, RpcError, type RpcResult, type RpcValue } from './rpc';
import type { SerialOutput, SerialWriteOptions } from './serial';

/** Misuse of the runtime by behaviour code (a bug in TypeScript, not a modelled outcome). */
export class RuntimeUsageError extends Error {}

export class ComponentRuntime {
  private readonly events = new Map<string, EventState<ThreadContext>>();
  private readonly sems = new Map<string, CountingSemaphore>();
  /** One context per thread: it holds no state of its own, and the VMM asks for one per exit. */
  private readonly contexts = new Map<Sys, ThreadContext>();
  /** Trace op names (`<iface>_emit`...) built once per interface and suffix. */
  private readonly opNames = new Map<string, Map<string, string>>();

  constructor(
    readonly instance: ResolvedInstance,
    readonly kernel: Kernel,
    readonly serial: SerialOutput,
    readonly cnode: CNode,
    readonly vspace: VSpace,
    /** Connected interfaces by name. */
    readonly interfaces: ReadonlyMap<string, InterfaceHandle>,
    readonly sync: ReadonlyMap<string, SyncHandle>,
  ) {
    for (const h of interfaces.values()) if (h.kind === 'consumes') this.events.set(h.interface.name, new EventState(h.ntfn, h.handoff));
    for (const s of sync.values()) if (s.kind === 'semaphore') this.sems.set(s.name, new CountingSemaphore(s.ntfn, s.initial));
  }

  get name(): string {
    return this.instance.name;
  }

  attribute(name: string): Value | undefined {
    return this.instance.attributes.get(name)?.value;
  }
  int(name: string): number | undefined {
    return num(this.attribute(name));
  }
  string(name: string): string | undefined {
    return str(this.attribute(name));
  }

  handle<K extends InterfaceHandle['kind']>(iface: string, kind: K): Extract<InterfaceHandle, { kind: K }> {
    const h = this.interfaces.get(iface);
    if (!h) {
      const declared = this.instance.type.interfaces.some((i) => i.name === iface);
      throw new RuntimeUsageError(`${this.name}: interface '${iface}' is ${declared ? 'not connected' : 'not declared by ' + this.instance.type.name}`);
    }
    if (h.kind !== kind) throw new RuntimeUsageError(`${this.name}.${iface} is a ${h.kind} interface, not ${kind}`);
    return h as Extract<InterfaceHandle, { kind: K }>;
  }

  /** @internal the event state of a consumed seL4Notification interface. */
  event(iface: string): EventState<ThreadContext> {
    this.handle(iface, 'consumes');
    return this.events.get(iface)!;
  }

  /** @internal */
  semaphore(name: string): CountingSemaphore {
    const s = this.sems.get(name);
    if (!s) throw new RuntimeUsageError(`${this.name}: no semaphore '${name}'`);
    return s;
  }

  /** The thread API for code running in `sys`'s thread. */
  context(sys: Sys): ThreadContext {
    let c = this.contexts.get(sys);
    if (!c) {
      c = new ThreadContext(this, sys);
      this.contexts.set(sys, c);
    }
    return c;
  }

  /** @internal `<iface><suffix>`, the op a trace event of that generated function carries. */
  opName(iface: string, suffix: string): string {
    let bySuffix = this.opNames.get(suffix);
    if (!bySuffix) this.opNames.set(suffix, (bySuffix = new Map()));
    let op = bySuffix.get(iface);
    if (op === undefined) bySuffix.set(iface, (op = iface + suffix));
    return op;
  }

  /**
   * Body of the interface thread `<iface>__run` of a consumed seL4Notification interface: the
   * event loop itself, so the thread resumes it with nothing in between.
   */
  eventThread(sys: Sys, iface: string): Blocking<never> {
    const h = this.handle(iface, 'consumes');
    const ctx = this.context(sys);
    const trace = this.kernel.trace;
    const layer = trace.intern('component');
    const op = trace.intern(this.opName(iface, '__run'));
    const object = trace.intern(h.connection.name);
    const outcomes = WAKE_OUTCOMES.map((o) => trace.intern(o));
    const actor = trace.intern(sys.name);
    return this.event(iface).run(sys, ctx, (outcome, v) => trace.addIds(layer, actor, op, object, v, outcomes[outcome]));
  }
}


const MUTEX: readonly SyncHandle['kind'][] = ['mutex'];
const SEMAPHORES: readonly SyncHandle['kind'][] = ['semaphore', 'binary_semaphore'];

/** What a thread's `<iface>_emit` / `<iface>_wait` record, resolved and interned on first use. */
interface EmitSite {
  readonly caps: readonly number[];
  readonly op: number;
  readonly object: number;
}
interface WaitSite {
  readonly ev: EventState<ThreadContext>;
  readonly op: number;
  readonly object: number;
}

interface RegSite {
  readonly ev: EventState<ThreadContext>;
  readonly op: number;
  readonly object: number;
  /** Result ids: a callback already registered (-1), an event pending (called now), registered (0). */
  readonly registered: number;
  readonly pending: number;
  readonly ok: number;
}

export class ThreadContext {
  private readonly emitSites = new Map<string, EmitSite>();
  private readonly waitSites = new Map<string, WaitSite>();
  private readonly regSites = new Map<string, RegSite>();
  private readonly componentId: number;
  private readonly returnedId: number;
  /** The thread's name as a lasting trace id (a thread's name is fixed). */
  private readonly actorId: number;
  constructor(
    readonly rt: ComponentRuntime,
    readonly sys: Sys,
  ) {
    this.componentId = rt.kernel.trace.intern('component');
    this.returnedId = rt.kernel.trace.intern('returned');
    this.actorId = rt.kernel.trace.intern(sys.name);
  }

  private note(op: string, object: string, value?: string | number, result?: string): void {
    this.rt.kernel.trace.add('component', this.sys.name, op, object, value, result);
  }

  /** `<iface>_emit()`: signals every to-end; does nothing for an unconnected interface. */
  emit(iface: string): void {
    if (!this.rt.interfaces.has(iface) && this.rt.instance.type.interfaces.some((i) => i.name === iface && i.kind === 'emits')) return;
    this.emitUnderlying(iface);
  }

  /** `<iface>_emit_underlying()`. */
  emitUnderlying(iface: string): void {
    let site = this.emitSites.get(iface);
    if (site === undefined) {
      const h = this.rt.handle(iface, 'emits');
      const t = this.rt.kernel.trace;
      this.emitSites.set(iface, (site = { caps: h.caps, op: t.intern(this.rt.opName(iface, '_emit')), object: t.intern(h.connection.name) }));
    }
    this.rt.kernel.trace.addIds(this.componentId, this.actorId, site.op, site.object);
    for (const c of site.caps) this.sys.signal(c);
  }

  /** `<iface>_wait()`: blocks until an event is handed off by the interface thread. */
  wait(iface: string): Blocking<void> {
    let site = this.waitSites.get(iface);
    if (site === undefined) {
      const ev = this.rt.event(iface);
      const t = this.rt.kernel.trace;
      this.waitSites.set(iface, (site = { ev, op: t.intern(this.rt.opName(iface, '_wait')), object: t.intern(this.rt.handle(iface, 'consumes').connection.name) }));
    }
    this.rt.kernel.trace.addIds(this.componentId, this.actorId, site.op, site.object);
    const b = site.ev.wait(this.sys);
    if (b !== FINISHED) return this.waited(b, site);
    this.returned(site);
    return FINISHED;
  }

  private *waited(b: Blocking<void>, site: WaitSite): Blocking<void> {
    yield* b;
    this.returned(site);
  }

  private returned(site: WaitSite): void {
    this.rt.kernel.trace.addIds(this.componentId, this.actorId, site.op, site.object, undefined, this.returnedId);
  }

  /** `<iface>_poll()`: 1 if an event was pending (and is now consumed), else 0. */
  poll(iface: string): number {
    const r = this.rt.event(iface).poll();
    this.note(this.rt.opName(iface, '_poll'), this.rt.handle(iface, 'consumes').connection.name, r);
    return r;
  }

  /** `<iface>_reg_callback(cb, arg)`: 0, or -1 when a callback is already registered. */
  regCallback(iface: string, cb: EventCallback<ThreadContext>, arg?: unknown): Blocking<number> {
    let site = this.regSites.get(iface);
    if (site === undefined) {
      const t = this.rt.kernel.trace;
      const ev = this.rt.event(iface);
      const [registered, pending, ok] = ['-1', 'pending: called now', '0'].map((r) => t.intern(r));
      this.regSites.set(iface, (site = { ev, op: t.intern(this.rt.opName(iface, '_reg_callback')), object: t.intern(this.rt.handle(iface, 'consumes').connection.name), registered, pending, ok }));
    }
    const ev = site.ev;
    const result = ev.callback ? site.registered : ev.handoff.value > 0 ? site.pending : site.ok;
    this.rt.kernel.trace.addIds(this.componentId, this.actorId, site.op, site.object, undefined, result);
    return ev.regCallback(this, cb, arg);
  }

  /** seL4GlobalAsynch to side: `<iface>_notification()` (a CPtr in this CSpace). */
  notification(iface: string): number {
    return this.rt.handle(iface, 'consumes-global').ntfn;
  }
  /** `<iface>_notification_badge()`. */
  notificationBadge(iface: string): number {
    return this.rt.handle(iface, 'consumes-global').badge;
  }

  dataport(iface: string): DataportView {
    return new DataportView(this.sys, this.rt.handle(iface, 'dataport'));
  }

  /** The last mutex or semaphore looked up: a thread locks and unlocks the same one repeatedly. */
  private lastSync: SyncHandle | undefined;

  private syncOf(name: string, kinds: readonly SyncHandle['kind'][]): SyncHandle {
    const l = this.lastSync;
    if (l !== undefined && l.name === name && (l.kind === kinds[0] || kinds.includes(l.kind))) return l;
    const s = (this.lastSync = this.rt.sync.get(name));
    if (!s || (s.kind !== kinds[0] && !kinds.includes(s.kind))) throw new RuntimeUsageError(`${this.rt.name}: no ${kinds.join(' or ')} '${name}'`);
    return s;
  }

  /** `<m>_lock()`: seL4_Wait on the mutex's notification (signalled once at start). No owner is tracked. */
  lock(m: string): Blocking<void> {
    return this.sys.wait(this.syncOf(m, MUTEX).ntfn) as Blocking<unknown> as Blocking<void>;
  }
  /** `<m>_unlock()`. */
  unlock(m: string): void {
    this.sys.signal(this.syncOf(m, MUTEX).ntfn);
  }

  /** `<s>_wait()` on a semaphore or binary semaphore. */
  *semWait(s: string): Blocking<void> {
    const h = this.syncOf(s, SEMAPHORES);
    if (h.kind === 'binary_semaphore') yield* this.sys.wait(h.ntfn);
    else yield* this.rt.semaphore(s).wait(this.sys);
  }
  /** `<s>_trywait()`: 0 on success, -1 otherwise. */
  semTryWait(s: string): number {
    const h = this.syncOf(s, SEMAPHORES);
    if (h.kind === 'binary_semaphore') return this.sys.poll(h.ntfn) ? 0 : -1;
    return this.rt.semaphore(s).tryWait();
  }
  /** `<s>_post()`. */
  semPost(s: string): void {
    const h = this.syncOf(s, SEMAPHORES);
    if (h.kind === 'binary_semaphore') this.sys.signal(h.ntfn);
    else this.rt.semaphore(s).post(this.sys);
  }

  /** `<iface>_<method>(args...)` over seL4RPCCall: the reply's return value (and out parameters). */
  *call(iface: string, name: string, ...args: RpcValue[]): Blocking<RpcResult> {
    const h = this.rt.handle(iface, 'uses');
    const p = h.interface.procedure;
    if (!p) throw new RpcError(`${this.rt.name}.${iface} has no procedure`);
    const { index, method: m } = method(p, name);
    const mrs = encodeCall(m, args);
    this.note(`${iface}_${name}`, h.connection.name, args.map(String).join(', '));
    const r = yield* this.sys.call(h.ep, { label: index, mrs });
    return decodeReply(m, r.mrs);
  }

  private printfOptions: SerialWriteOptions | null = null;

  /** `printf` to the system serial; text is line-buffered per instance. */
  printf(text: string): void {
    this.rt.serial.write(this.rt.name, text, (this.printfOptions ??= { actor: this.sys.name }));
  }
}
