/**
 * global-components TimeServer (`provides Timer the_timer`, connected with seL4TimeServer): per
 * client timers on the kernel model's virtual time. Each client (told apart by its RPC badge, as
 * the server sees it) has its own timer ids; `oneshot_relative/absolute(tid, ns)` and
 * `periodic(tid, ns)` arm one, `stop(tid)` disarms it, `completed()` returns and clears the
 * bitmask of the client's timers that fired, `time()` is the current time in ns. The hardware
 * timer is `kernel.at` (the model's timer device); expiry sets the client's completed bit.
 *
 * Completion notification: upstream the server signals the client's notification (the
 * connector's `from_global_endpoint`). Instantiation builds seL4TimeServer as a plain RPC
 * endpoint without that notification, so here completion is the `completed()` bitmask, a
 * `timer_completed` trace event and `TimeServerModel.onCompletion` listeners; the kernel signal
 * to the client is not modelled.
 *
 * Method return values (0 success, -1 bad id) are UNCONFIRMED: the Timer method list itself is a
 * placeholder in src/camkes/include/common/Timer.idl4.
 */
import type { Blocking, Sys } from '../../sel4';
import { serveCalls, type BehaviourFactory, type ComponentRuntime, type RpcValue, type ThreadContext } from '../runtime';

/**
 * Boards on which the TimeServer has no timer driver. The feature matrix says QEMU multi-VM
 * "depends on porting the TimeServer to QEMU" (seeds/004, platforms.md 1.8), while vm_multi's
 * settings.cmake lists qemu-arm-virt as supported and ships a qemu devices.camkes (platforms.md
 * 1.8 CONFLICT, 1.9, 2.6). Decision: the model follows the matrix note, the only statement about
 * the TimeServer itself; the app configuration still loads and instantiates on qemu-arm-virt,
 * and the conflict is what a run there shows (the server cannot start its timer).
 */
export const TIMESERVER_UNPORTED: ReadonlyMap<string, string> = new Map([
  ['qemu-arm-virt', 'Multi-VM support depends on porting the TimeServer to QEMU'],
]);

/** What the time server prints when it has no driver. UNCONFIRMED wording (not in the reference). */
export const noTimerDriverMessage = (board: string) => `TimeServer: no timer driver for ${board}; timers are not available`;

/** Timer ids per client (`time_server.timers_per_client`), default when unset. UNCONFIRMED default. */
export const DEFAULT_TIMERS_PER_CLIENT = 1;

type Handler = (badge: number, name: string, args: RpcValue[], ctx: ThreadContext) => RpcValue | { ret?: RpcValue; out?: RpcValue[] } | void;

/** An RPC server's `<iface>__run` whose handler sees the caller's badge (the runtime's `provides` loop does not pass it). */
export function serveBadged(rt: ComponentRuntime, sys: Sys, iface: string, handle: Handler): Blocking<never> {
  return serveCalls(rt, sys, iface, (name) => (args, badge, ctx) => handle(badge, name, args, ctx));
}

/** The client instance behind an RPC badge of a provided interface (badges 1.. in from-end order). */
export function clientOf(rt: ComponentRuntime, iface: string, badge: number): string {
  const h = rt.handle(iface, 'provides');
  return h.connection.from[badge - 1]?.instance.name ?? `badge ${badge}`;
}

interface Armed {
  deadline: number;
  period: number;
  cancel: () => void;
}

export class TimeServerModel {
  private readonly timers = new Map<string, Map<number, Armed>>();
  private readonly done = new Map<string, number>();
  private readonly listeners: ((client: string, tid: number) => void)[] = [];
  constructor(
    private readonly rt: ComponentRuntime,
    readonly timersPerClient: number,
  ) {}

  onCompletion(fn: (client: string, tid: number) => void): void {
    this.listeners.push(fn);
  }

  /** Bitmask of fired timers of `client`, cleared by reading. */
  completed(client: string): number {
    const v = this.done.get(client) ?? 0;
    this.done.set(client, 0);
    return v;
  }

  arm(client: string, tid: number, deadline: number, period: number): number {
    if (!Number.isInteger(tid) || tid < 0 || tid >= this.timersPerClient) return -1;
    this.stop(client, tid);
    const k = this.rt.kernel;
    const fire = () => {
      const t = this.timers.get(client)?.get(tid);
      if (!t) return;
      this.done.set(client, (this.done.get(client) ?? 0) | (1 << tid));
      k.trace.add('component', `${this.rt.name}:timer`, 'timer_completed', client, tid);
      for (const l of this.listeners) l(client, tid);
      if (t.period > 0) {
        t.deadline += t.period;
        t.cancel = k.at(t.deadline, fire, `${this.rt.name}:timer`);
      } else this.timers.get(client)!.delete(tid);
    };
    const armed: Armed = { deadline: Math.max(deadline, k.now), period, cancel: () => {} };
    armed.cancel = k.at(armed.deadline, fire, `${this.rt.name}:timer`);
    (this.timers.get(client) ?? this.timers.set(client, new Map()).get(client)!).set(tid, armed);
    return 0;
  }

  stop(client: string, tid: number): number {
    const t = this.timers.get(client)?.get(tid);
    if (!t) return Number.isInteger(tid) && tid >= 0 && tid < this.timersPerClient ? 0 : -1;
    t.cancel();
    this.timers.get(client)!.delete(tid);
    return 0;
  }
}

const models = new WeakMap<ComponentRuntime, TimeServerModel>();

/** The model behind a running TimeServer instance (after `start()`). */
export function timeServerModel(rt: ComponentRuntime): TimeServerModel | undefined {
  return models.get(rt);
}

/** The TimeServer for `board` (undefined: a board with a driver). */
export function timeServerFor(board?: string): BehaviourFactory {
  return (rt) => {
    const model = new TimeServerModel(rt, Math.max(1, rt.int('timers_per_client') ?? DEFAULT_TIMERS_PER_CLIENT));
    models.set(rt, model);
    const unported = board !== undefined ? TIMESERVER_UNPORTED.get(board) : undefined;
    const served = rt.interfaces.get('the_timer')?.kind === 'provides';
    return {
      threads: served
        ? [
            {
              name: 'the_timer__run',
              priority: rt.int('priority'),
              *body(ctx: ThreadContext) {
                if (unported) {
                  // No ltimer for this platform: initialisation fails before the server loop, so
                  // callers of the_timer stay blocked in their seL4_Call.
                  ctx.printf(`${noTimerDriverMessage(board!)}\n`);
                  rt.kernel.trace.add('component', ctx.sys.name, 'timer_init', 'the_timer', board, unported);
                  return;
                }
                yield* serveBadged(rt, ctx.sys, 'the_timer', (badge, name, args) => {
                  const client = clientOf(rt, 'the_timer', badge);
                  const [tid, ns] = args as number[];
                  const now = rt.kernel.now;
                  switch (name) {
                    case 'completed':
                      return model.completed(client);
                    case 'oneshot_relative':
                      return model.arm(client, tid, now + ns, 0);
                    case 'oneshot_absolute':
                      return model.arm(client, tid, ns, 0);
                    case 'periodic':
                      return ns > 0 ? model.arm(client, tid, now + ns, ns) : -1;
                    case 'stop':
                      return model.stop(client, tid);
                    case 'time':
                      return now;
                    default:
                      return -1;
                  }
                });
              },
            },
          ]
        : [],
    };
  };
}

/** A TimeServer with a timer driver (the registration for boards not named in TIMESERVER_UNPORTED). */
export const TimeServer: BehaviourFactory = timeServerFor();
