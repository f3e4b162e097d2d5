/**
 * The server side of seL4RPCCall: the interface thread `<iface>__run` receives on the endpoint,
 * decodes the call by its label (the method index), runs the implementation in its own thread
 * and replies (seL4_ReplyRecv), as the generated `<iface>__run` of the to-template does.
 */
import type { Blocking, Received, Sys } from '../../sel4';
import type { MethodImpl } from './behaviour';
import type { ComponentRuntime } from './context';
import { decodeCall, encodeReply, methods, type RpcResult, type RpcValue } from './rpc';

function isGen(v: unknown): v is Generator<unknown, unknown, unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Generator).next === 'function' && typeof (v as Generator).throw === 'function';
}

function asResult(v: unknown): RpcResult {
  if (typeof v === 'number' || typeof v === 'string') return { ret: v };
  if (v && typeof v === 'object') return v as RpcResult;
  return {};
}

export function* serveThread(rt: ComponentRuntime, sys: Sys, iface: string, impl: Readonly<Record<string, MethodImpl>>): Blocking<never> {
  const h = rt.handle(iface, 'provides');
  const ms = methods(h.interface.procedure!);
  const ctx = rt.context(sys);
  let msg: Received = yield* sys.recv(h.ep);
  for (;;) {
    const m = ms[msg.label];
    const fn = m ? impl[m.name] : undefined;
    let reply: number[] = [];
    if (m && fn) {
      const args: RpcValue[] = decodeCall(m, msg.mrs);
      rt.kernel.trace.add('component', sys.name, `${iface}_${m.name}`, h.connection.name, args.map(String).join(', '), `from badge ${msg.badge}`);
      let r: unknown = fn(ctx, ...args);
      if (isGen(r)) r = yield* r as Blocking<unknown>;
      reply = encodeReply(m, asResult(r));
    } else {
      // The generated dispatcher ignores an unknown method number; the caller gets an empty reply.
      rt.kernel.trace.add('component', sys.name, `${iface}__run`, h.connection.name, msg.label, 'unknown method');
    }
    msg = yield* sys.replyRecv(h.ep, { label: 0, mrs: reply });
  }
}
