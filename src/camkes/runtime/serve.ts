/**
 * The server side of seL4RPCCall: the interface thread `<iface>__run` receives on the endpoint,
 * decodes the call by its label (the method index), runs the implementation in its own thread
 * and replies (seL4_ReplyRecv), as the generated `<iface>__run` of the to-template does.
 */
import type { Blocking, Received, Sys } from '../../sel4';
import type { MethodImpl } from './behaviour';
import type { ComponentRuntime, ThreadContext } from './context';
import { decodeCall, encodeReply, methods, type RpcResult, type RpcValue } from './rpc';

function isGen(v: unknown): v is Generator<unknown, unknown, unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Generator).next === 'function' && typeof (v as Generator).throw === 'function';
}

function asResult(v: unknown): RpcResult {
  if (typeof v === 'number' || typeof v === 'string') return { ret: v };
  if (v && typeof v === 'object') return v as RpcResult;
  return {};
}

/** A method's implementation as the server loop calls it: its result, or a generator that returns it. */
export type ServedCall = (args: RpcValue[], badge: number, ctx: ThreadContext) => unknown;

/**
 * The generated `<iface>__run` loop: receive, decode by label, run what `implementation` gives for
 * the method (an unknown method, or one with no implementation, gets an empty reply, as the
 * generated dispatcher does), ReplyRecv.
 */
export function* serveCalls(rt: ComponentRuntime, sys: Sys, iface: string, implementation: (method: string) => ServedCall | undefined): Blocking<never> {
  const h = rt.handle(iface, 'provides');
  const ms = methods(h.interface.procedure!);
  const ctx = rt.context(sys);
  let msg: Received = yield* sys.recv(h.ep);
  for (;;) {
    const m = ms[msg.label];
    const fn = m ? implementation(m.name) : undefined;
    let reply: number[] = [];
    if (m && fn) {
      const args: RpcValue[] = decodeCall(m, msg.mrs);
      rt.kernel.trace.add('component', sys.name, `${iface}_${m.name}`, h.connection.name, args.map(String).join(', '), `from badge ${msg.badge}`);
      let r: unknown = fn(args, msg.badge, ctx);
      if (isGen(r)) r = yield* r as Blocking<unknown>;
      reply = encodeReply(m, asResult(r));
    } else {
      rt.kernel.trace.add('component', sys.name, `${iface}__run`, h.connection.name, msg.label, 'unknown method');
    }
    msg = yield* sys.replyRecv(h.ep, { label: 0, mrs: reply });
  }
}

/** `<iface>__run` for a behaviour's `provides` implementations. */
export function serveThread(rt: ComponentRuntime, sys: Sys, iface: string, impl: Readonly<Record<string, MethodImpl>>): Blocking<never> {
  return serveCalls(rt, sys, iface, (name) => {
    const fn = impl[name];
    return fn && ((args, _badge, ctx) => fn(ctx, ...args));
  });
}
