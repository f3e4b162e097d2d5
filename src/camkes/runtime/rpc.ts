/**
 * seL4RPCCall marshalling: a call is one seL4_Call whose label is the method's index in the
 * procedure and whose message registers hold the `in`/`inout` arguments; the reply's registers
 * hold the return value then the `out`/`inout` arguments. Integers take one register each;
 * strings a length word then their bytes packed four to a word (little-endian), as the generated
 * stubs copy them into the IPC buffer. A message longer than seL4_MsgMaxLength is refused, as the
 * stub's buffer check refuses it (UNCONFIRMED wording, chosen here).
 */
import { MSG_MAX_LENGTH } from '../../sel4';
import type { Method, Parameter, ProcedureDecl, TypeExpr } from '../ast';

export type RpcValue = number | string;

const isString = (t: TypeExpr | undefined) => t !== undefined && t.kind === 'keyword-type' && t.name === 'string';

export class RpcError extends Error {}

function encodeOne(t: TypeExpr | undefined, v: RpcValue, out: number[], what: string): void {
  if (isString(t)) {
    if (typeof v !== 'string') throw new RpcError(`${what}: expected a string, got ${typeof v}`);
    const bytes = Buffer.from(v, 'utf8');
    out.push(bytes.length);
    for (let i = 0; i < bytes.length; i += 4) out.push((bytes[i] | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24)) >>> 0);
    return;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RpcError(`${what}: expected a number, got ${typeof v}`);
  out.push(v);
}

function decodeOne(t: TypeExpr | undefined, mrs: readonly number[], at: { i: number }): RpcValue {
  if (isString(t)) {
    const len = mrs[at.i++] ?? 0;
    const bytes = Buffer.alloc(len);
    for (let j = 0; j < len; j++) bytes[j] = ((mrs[at.i + (j >> 2)] ?? 0) >>> ((j & 3) * 8)) & 0xff;
    at.i += Math.ceil(len / 4);
    return bytes.toString('utf8');
  }
  return mrs[at.i++] ?? 0;
}

const inParams = (m: Method) => m.params.filter((p) => p.direction === undefined || p.direction === 'in' || p.direction === 'inout' || p.direction === 'refin');
const outParams = (m: Method) => m.params.filter((p) => p.direction === 'out' || p.direction === 'inout');

export function methods(p: ProcedureDecl): Method[] {
  return p.items.filter((i): i is Method => i.kind === 'method');
}

export function method(p: ProcedureDecl, name: string): { index: number; method: Method } {
  const ms = methods(p);
  const index = ms.findIndex((m) => m.name === name);
  if (index < 0) throw new RpcError(`procedure ${p.name ?? '<anonymous>'} has no method '${name}'`);
  return { index, method: ms[index] };
}

function checkLength(mrs: number[], what: string): number[] {
  if (mrs.length > MSG_MAX_LENGTH) throw new RpcError(`${what}: marshalled message needs ${mrs.length} words, more than seL4_MsgMaxLength (${MSG_MAX_LENGTH})`);
  return mrs;
}

export function encodeCall(m: Method, args: readonly RpcValue[]): number[] {
  const ps = inParams(m);
  if (args.length !== ps.length) throw new RpcError(`${m.name}: expected ${ps.length} argument(s), got ${args.length}`);
  const out: number[] = [];
  ps.forEach((p: Parameter, i) => encodeOne(p.type, args[i], out, `${m.name}(${p.name})`));
  return checkLength(out, m.name);
}

export function decodeCall(m: Method, mrs: readonly number[]): RpcValue[] {
  const at = { i: 0 };
  return inParams(m).map((p) => decodeOne(p.type, mrs, at));
}

/** Reply: the return value (if any) then each out/inout parameter, as the server returned them. */
export interface RpcResult {
  readonly ret?: RpcValue;
  readonly out?: readonly RpcValue[];
}

export function encodeReply(m: Method, r: RpcResult): number[] {
  const out: number[] = [];
  if (m.returnType) encodeOne(m.returnType, r.ret ?? (isString(m.returnType) ? '' : 0), out, `${m.name} return`);
  const ps = outParams(m);
  ps.forEach((p, i) => encodeOne(p.type, r.out?.[i] ?? (isString(p.type) ? '' : 0), out, `${m.name}(${p.name})`));
  return checkLength(out, m.name);
}

export function decodeReply(m: Method, mrs: readonly number[]): RpcResult {
  const at = { i: 0 };
  const ret = m.returnType ? decodeOne(m.returnType, mrs, at) : undefined;
  const out = outParams(m).map((p) => decodeOne(p.type, mrs, at));
  return ret === undefined ? { out } : { ret, out };
}
