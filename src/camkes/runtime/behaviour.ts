/**
 * Behaviours: the TypeScript stand-in for a component's C code. A behaviour is made per instance
 * from the instance's runtime and supplies the control thread (`run()`), implementations of the
 * procedures the component provides, and any extra threads (the VMM's VCPU threads). The
 * registry maps a component type (by name or predicate) to a behaviour factory; the built-in
 * reference components are registered by `src/camkes/components`, the VMM registers its VM types,
 * and an app registers its own through `app.yaml` (see components/app.ts).
 */
import type { Blocking } from '../../sel4';
import type { ResolvedInstance } from '../resolve';
import type { ComponentRuntime, ThreadContext } from './context';
import type { RpcValue } from './rpc';

/** A provided method: arguments as decoded; return the return value, or `{ ret, out }`. */
/** A thread's code: a generator that `yield*`s into the blocking calls of `ThreadContext`/`Sys`. */
export type ThreadCode = Generator<unknown, unknown, unknown>;

export type MethodImpl = (ctx: ThreadContext, ...args: RpcValue[]) => RpcValue | void | { ret?: RpcValue; out?: RpcValue[] } | Blocking<RpcValue | void | { ret?: RpcValue; out?: RpcValue[] }>;

export interface ExtraThread {
  /** Thread name after the instance's, e.g. "vcpu0" gives "vm0:vcpu0". */
  readonly name: string;
  readonly priority?: number;
  readonly core?: number;
  readonly body: (ctx: ThreadContext) => ThreadCode;
}

export interface Behaviour {
  /** The control thread's `run()`; a component with `control;` and no `run` gets no running control thread. */
  readonly run?: (ctx: ThreadContext) => ThreadCode;
  /** Provided procedures: interface name → method name → implementation. */
  readonly provides?: Readonly<Record<string, Readonly<Record<string, MethodImpl>>>>;
  readonly threads?: readonly ExtraThread[];
}

export type BehaviourFactory = (rt: ComponentRuntime) => Behaviour;

type Matcher = { readonly type: string } | { readonly test: (i: ResolvedInstance) => boolean; readonly label: string };

/** Component type → behaviour. Later registrations win, so an app can replace a built-in. */
export class BehaviourRegistry {
  private readonly entries: { readonly match: Matcher; readonly factory: BehaviourFactory }[] = [];

  constructor(parent?: BehaviourRegistry) {
    if (parent) this.entries.push(...parent.entries);
  }

  /** Registers by component type name, or by a predicate on the instance (`label` names it in listings). */
  register(match: string | ((i: ResolvedInstance) => boolean), factory: BehaviourFactory, label = 'predicate'): this {
    this.entries.push({ match: typeof match === 'string' ? { type: match } : { test: match, label }, factory });
    return this;
  }

  lookup(i: ResolvedInstance): BehaviourFactory | undefined {
    for (let k = this.entries.length - 1; k >= 0; k--) {
      const m = this.entries[k].match;
      if ('type' in m ? m.type === i.type.name : m.test(i)) return this.entries[k].factory;
    }
    return undefined;
  }

  /** A copy to which more can be registered without changing this one. */
  extend(): BehaviourRegistry {
    return new BehaviourRegistry(this);
  }
}
