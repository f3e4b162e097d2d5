import { errorAt, type SourcePos } from '../../diagnostics';
import { exprText, type CExpr, type CInit } from './c-expr';
import type { CallExpr } from './c-parser';
import { ARM_CONNECTION_FIELDS, CONNECTION_STRUCT, CONSUMES_EVENT_FIELDS, GEN2_INIT, HEADER_CONSTANTS, SUFFIX, X86_CONNECTION_FIELDS } from './layouts';
import { generatedSymbol, isNullPointer, structFields, type CFunction, type CVar, type GlueScope } from './scope';
import type { GlueAsyncHandler, GlueConnection, GlueConnectionsInit, GlueConsume, GlueSymbol, VmmGlue } from './types';

const CONNECTION_TYPE = { base: CONNECTION_STRUCT, pointers: 0 };

/** The parts of VmmGlue that generation 2 (one connections[] array) defines. */
export function readGen2(scope: GlueScope): Pick<VmmGlue, 'connections' | 'connectionsInit' | 'asyncEventHandlers'> {
  const initCall = findInitCall(scope);
  let array: CVar | undefined;
  let connectionsInit: GlueConnectionsInit | undefined;
  if (initCall) {
    const { fn, call } = initCall;
    if (call.args.length < 4) throw errorAt(call.pos, `${GEN2_INIT} takes at least 4 arguments (vm, base address, connections, count), but ${call.args.length} given`);
    array = scope.arrayArg(call.args[2], CONNECTION_TYPE, `argument 3 of ${GEN2_INIT}`);
    connectionsInit = {
      function: fn.name,
      callPos: call.pos,
      ...baseAddress(scope, fn, call.args[1]),
      baseAddressPos: call.args[1].pos,
      arrayArg: { array: array.name, arrayPos: call.args[2].pos, length: scope.arrayLength(array), count: scope.int(call.args[3]), countPos: call.args[3].pos },
      args: call.args,
    };
  } else {
    const all = [...scope.vars.values()].filter((v) => v.arrayDims.length && v.type.base === CONNECTION_STRUCT);
    if (all.length > 1) throw errorAt(all[1].pos, `more than one ${CONNECTION_STRUCT} array and no ${GEN2_INIT}() call to say which is used`);
    array = all[0];
  }

  const connections: GlueConnection[] = [];
  if (array) {
    const given = scope.arrayEntries(array);
    for (let index = 0; index < scope.arrayLength(array); index++) {
      const e = given.find((g) => g.index === index);
      if (!e) throw errorAt(array.pos, `${array.name}[${index}] is not initialised: expected a ${CONNECTION_STRUCT} initialiser`);
      connections.push(connection(scope, index, e.value, e.pos));
    }
    if (initCall) applyAssignments(scope, initCall.fn, initCall.call, array.name, connections);
  }
  // Entries from CROSS_VM_CONNECTION() follow the array (linker-section order, per the reference).
  for (const inv of scope.invocations.filter((i) => i.name === 'CROSS_VM_CONNECTION')) {
    if (inv.args.length !== 2) throw errorAt(inv.pos, `CROSS_VM_CONNECTION takes 2 arguments (name, symbol), but ${inv.args.length} given`);
    connections.push({
      index: connections.length, layout: 'macro', dataport: null, emit: null, consume: { kind: 'none', pos: inv.pos },
      pos: inv.pos, macroArgs: inv.args.map(exprText),
    });
  }
  return { connections, connectionsInit, asyncEventHandlers: asyncHandlers(scope, array?.name) };
}

export function hasGen2(scope: GlueScope): { pos: SourcePos; what: string } | undefined {
  const call = findInitCall(scope);
  if (call) return { pos: call.call.pos, what: `${GEN2_INIT}()` };
  const v = [...scope.vars.values()].find((x) => x.arrayDims.length && x.type.base === CONNECTION_STRUCT);
  if (v) return { pos: v.pos, what: `${v.name}[]` };
  const m = scope.invocations.find((i) => i.name === 'CROSS_VM_CONNECTION');
  return m && { pos: m.pos, what: 'CROSS_VM_CONNECTION()' };
}

/**
 * The base address argument: a constant, or a parameter of the glue function, which its caller
 * supplies. Only x86 Init calls app glue with an address (string_reverse's
 * `init_cross_vm_connections(vm, connection_base_addr)`); UNCONFIRMED how, so the value taken is
 * Init's `CROSS_VM_BASE_ADDRESS`, kept in HEADER_CONSTANTS.
 */
function baseAddress(scope: GlueScope, fn: CFunction, e: CExpr): { baseAddress: number; baseAddressParam?: string } {
  if (e.kind === 'ident' && fn.params.some((p) => p.name === e.name)) return { baseAddress: Number(HEADER_CONSTANTS.CROSS_VM_BASE_ADDRESS), baseAddressParam: e.name };
  return { baseAddress: scope.int(e) };
}

function findInitCall(scope: GlueScope): { fn: CFunction; call: CallExpr } | undefined {
  const found: { fn: CFunction; call: CallExpr }[] = [];
  for (const fn of scope.functions.values()) {
    for (const call of fn.body!.calls) if (call.callee.kind === 'ident' && call.callee.name === GEN2_INIT) found.push({ fn, call });
  }
  if (found.length > 1) throw errorAt(found[1].call.pos, `${GEN2_INIT}() is called more than once; the reader models one call`);
  return found[0];
}

function connection(scope: GlueScope, index: number, value: CInit, pos: SourcePos): GlueConnection {
  if (value.kind !== 'init-list') throw errorAt(value.pos, `expected '{' to initialise ${CONNECTION_STRUCT}, found "${exprText(value)}"`);
  const third = value.items[2];
  const designated = value.items.find((it) => it.designators[0]?.kind === 'field' && ['consume_id', 'consume_badge', 'connection_name'].includes((it.designators[0] as { name: string }).name));
  const x86 = designated
    ? (designated.designators[0] as { name: string }).name === 'consume_id'
    : third !== undefined && third.designators.length === 0 && third.value.kind === 'init-list';
  const layout = x86 ? 'x86' : 'arm';
  const f = structFields(value, x86 ? X86_CONNECTION_FIELDS : ARM_CONNECTION_FIELDS, CONNECTION_STRUCT);
  const handle = f.get('handle');
  const emit = f.get('emit_fn');
  const name = f.get('connection_name');
  if (name && name.value.kind !== 'string' && !isNullPointer(name.value)) throw errorAt(name.pos, `expected a string literal for connection_name, found "${exprText(name.value)}"`);
  return {
    index,
    layout,
    dataport: handle && !isNullPointer(handle.value) ? generatedSymbol(handle.value, SUFFIX.handle, { addressOf: 'required', what: 'a seL4SharedDataWithCaps dataport handle' }) : null,
    emit: emit && !isNullPointer(emit.value) ? generatedSymbol(emit.value, SUFFIX.emit, { addressOf: 'optional', what: 'a CAmkES emit function' }) : null,
    consume: x86 ? x86Consume(scope, f.get('consume_id'), value.pos) : badgeConsume(scope, f.get('consume_badge')?.value, value.pos),
    ...(name && name.value.kind === 'string' ? { connectionName: name.value.value } : {}),
    pos,
  };
}

function x86Consume(scope: GlueScope, field: { value: CInit; pos: SourcePos } | undefined, pos: SourcePos): GlueConsume {
  // A member left out is zero in C: consume id 0 with no callback.
  if (!field) return { kind: 'id', id: 0, regCallback: null, pos };
  const f = structFields(field.value, CONSUMES_EVENT_FIELDS, 'camkes_consumes_event_t');
  const id = f.get('id') ? scope.int(f.get('id')!.value) : 0;
  if (id === -1) return { kind: 'none', pos: field.pos };
  const cb = f.get('reg_callback');
  const regCallback = cb && !isNullPointer(cb.value) ? generatedSymbol(cb.value, SUFFIX.regCallback, { addressOf: 'optional', what: 'a CAmkES seL4Notification reg_callback' }) : null;
  return { kind: 'id', id, regCallback, pos: field.pos };
}

function badgeConsume(scope: GlueScope, e: CInit | undefined, pos: SourcePos): GlueConsume {
  if (!e) return { kind: 'badge', value: 0, pos };
  const of = notificationBadgeCall(e);
  if (of) return { kind: 'notification-badge', of, pos: e.pos };
  const value = scope.int(e);
  return value === -1 ? { kind: 'none', pos: e.pos } : { kind: 'badge', value, pos: e.pos };
}

/** `<iface>_notification_badge()`: the badge CAmkES gives a seL4GlobalAsynch interface. */
function notificationBadgeCall(e: CInit): GlueSymbol | undefined {
  if (e.kind !== 'call' || e.args.length !== 0 || e.callee.kind !== 'ident' || !e.callee.name.endsWith(SUFFIX.notificationBadge)) return undefined;
  const symbol = e.callee.name;
  return { symbol, interface: symbol.slice(0, -SUFFIX.notificationBadge.length), pos: e.pos };
}

/** `connections[k].member = value;` before the init call changes what is registered. */
function applyAssignments(scope: GlueScope, fn: CFunction, call: CallExpr, array: string, conns: GlueConnection[]): void {
  for (const a of fn.body!.assignments) {
    const t = a.target;
    if (!(t.kind === 'member' && !t.arrow && t.object.kind === 'index' && t.object.object.kind === 'ident' && t.object.object.name === array)) continue;
    if (!before(a.pos, call.pos)) throw errorAt(a.pos, `assignment to ${exprText(t)} after ${GEN2_INIT}() is not modelled`);
    if (a.op !== '=') throw errorAt(a.pos, `expected '=' in assignment to ${exprText(t)}`);
    const k = scope.int(t.object.index);
    const c = conns[k];
    if (!c) throw errorAt(t.pos, `${array}[${k}] is out of range (the array has ${conns.length} elements)`);
    if (t.member === 'consume_badge' && c.layout === 'arm') conns[k] = { ...c, consume: badgeConsume(scope, a.value, a.pos) };
    else if (t.member === 'connection_name' && c.layout === 'arm' && a.value.kind === 'string') conns[k] = { ...c, connectionName: a.value.value };
    else throw errorAt(a.pos, `assignment to ${exprText(t)} is not understood by the glue reader`);
  }
}

function before(a: SourcePos, b: SourcePos): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}

function asyncHandlers(scope: GlueScope, array: string | undefined): GlueAsyncHandler[] {
  const out: GlueAsyncHandler[] = [];
  for (const fn of scope.functions.values()) {
    for (const call of fn.body!.calls) {
      if (call.callee.kind !== 'ident' || call.callee.name !== 'register_async_event_handler') continue;
      if (call.args.length < 2) throw errorAt(call.pos, 'register_async_event_handler takes (badge, callback, cookie)');
      const [badge, cb] = call.args;
      if (cb.kind !== 'ident') throw errorAt(cb.pos, `expected a function name as the callback, found "${exprText(cb)}"`);
      out.push({ badge: badgeRef(scope, badge, array), callback: cb.name, pos: call.pos });
    }
  }
  return out;
}

function badgeRef(scope: GlueScope, e: CExpr, array: string | undefined): GlueAsyncHandler['badge'] {
  if (e.kind === 'member' && e.member === 'consume_badge' && e.object.kind === 'index' && e.object.object.kind === 'ident' && e.object.object.name === array) {
    return { connection: scope.int(e.object.index) };
  }
  const of = notificationBadgeCall(e);
  return of ? { of } : { value: scope.int(e) };
}
