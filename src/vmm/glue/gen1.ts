import { errorAt } from '../../diagnostics';
import { exprText, type CExpr } from './c-expr';
import type { CallExpr } from './c-parser';
import { CONSUMES_EVENT_FIELDS, GEN1_ARRAY_TYPES, GEN1_HOOKS, MUTEX_FIELDS, SUFFIX } from './layouts';
import { generatedSymbol, isNullPointer, structFields, type CFunction, type CVar, type GlueScope } from './scope';
import type { GlueArrayArg, GlueConsumedEvent, GlueConsumesInit, GlueDataport, GlueEmittedEvent, GlueInitFunction, GlueMutex, VmmGlue } from './types';

type Kind = keyof typeof GEN1_HOOKS;

/** The parts of VmmGlue that generation 1 (three arrays, three weak hooks) defines. */
export function readGen1(scope: GlueScope): Pick<VmmGlue, 'dataports' | 'emittedEvents' | 'consumedEvents' | 'initFunctions'> {
  const dataportsInit = hook(scope, 'dataports', 3);
  const emitsInit = hook(scope, 'emits', 3);
  const consumesHook = hook(scope, 'consumes', 6);
  const consumesInit: GlueConsumesInit | undefined = consumesHook && {
    ...consumesHook,
    mutex: mutexArg(scope, consumesHook.args[2]),
    irqBadgeArg: consumesHook.args[5],
  };

  const dataports = entries(scope, 'dataports', dataportsInit).map(({ index, value, pos }): GlueDataport => ({
    id: index,
    handle: value && !isNullPointer(value) ? generatedSymbol(value, SUFFIX.handle, { addressOf: 'required', what: 'a seL4SharedDataWithCaps dataport handle' }) : null,
    pos,
  }));
  const emittedEvents = entries(scope, 'emits', emitsInit).map(({ index, value, pos }): GlueEmittedEvent => ({
    id: index,
    emit: value && !isNullPointer(value) ? generatedSymbol(value, SUFFIX.emit, { addressOf: 'optional', what: 'a CAmkES emit function' }) : null,
    pos,
  }));
  const consumedEvents = entries(scope, 'consumes', consumesInit).map(({ index, value, pos }): GlueConsumedEvent => {
    if (!value) throw errorAt(pos, `consumed_events[${index}] is not initialised: expected { .id = <id>, .reg_callback = <interface>_reg_callback }`);
    const f = structFields(value, CONSUMES_EVENT_FIELDS, 'camkes_consumes_event_t');
    const cb = f.get('reg_callback');
    if (!cb || isNullPointer(cb.value)) throw errorAt(value.pos, 'expected .reg_callback = <interface>_reg_callback in camkes_consumes_event_t initialiser');
    const id = f.get('id');
    return {
      index,
      // A member left out is zero in C.
      id: id ? scope.int(id.value) : 0,
      idPos: id?.value.pos ?? value.pos,
      regCallback: generatedSymbol(cb.value, SUFFIX.regCallback, { addressOf: 'optional', what: 'a CAmkES seL4Notification reg_callback' }),
      pos,
    };
  });

  return {
    dataports,
    emittedEvents,
    consumedEvents,
    // A hook the app does not define is absent (not undefined-valued), so `in` tests read naturally.
    initFunctions: {
      ...(dataportsInit ? { dataports: dataportsInit } : {}),
      ...(emitsInit ? { emits: emitsInit } : {}),
      ...(consumesInit ? { consumes: consumesInit } : {}),
    },
  };
}

/** True when any generation-1 hook or array is present. */
export function hasGen1(scope: GlueScope): { pos: import('../../diagnostics').SourcePos; what: string } | undefined {
  for (const k of Object.keys(GEN1_HOOKS) as Kind[]) {
    const f = scope.functions.get(GEN1_HOOKS[k].hook);
    if (f) return { pos: f.pos, what: `${f.name}()` };
  }
  for (const v of scope.vars.values()) {
    if (v.arrayDims.length && Object.values(GEN1_ARRAY_TYPES).some((t) => t.base === v.type.base && t.pointers === v.type.pointers)) {
      return { pos: v.pos, what: `${v.name}[]` };
    }
  }
  return undefined;
}

function hook(scope: GlueScope, kind: Kind, argc: number): GlueInitFunction | undefined {
  const { hook: name, common } = GEN1_HOOKS[kind];
  const f = scope.functions.get(name);
  if (!f) return undefined; // a missing weak hook is legal: its vmcall token stays unregistered
  const call = commonCall(f, common);
  if (call.args.length !== argc) {
    throw errorAt(call.pos, `${common} takes ${argc} arguments, but ${call.args.length} given`);
  }
  const arrayIndex = kind === 'consumes' ? 3 : 1;
  const v = scope.arrayArg(call.args[arrayIndex], GEN1_ARRAY_TYPES[kind], `argument ${arrayIndex + 1} of ${common}`);
  const countExpr = call.args[arrayIndex + 1];
  const arrayArg: GlueArrayArg = { array: v.name, arrayPos: call.args[arrayIndex].pos, length: scope.arrayLength(v), count: scope.int(countExpr), countPos: countExpr.pos };
  return { name, pos: f.pos, params: f.params.map((p) => p.name ?? ''), callee: common, callPos: call.pos, args: call.args, arrayArg };
}

function commonCall(f: CFunction, common: string): CallExpr {
  const calls = f.body!.calls.filter((c) => c.callee.kind === 'ident' && c.callee.name === common);
  if (calls.length === 0) throw errorAt(f.pos, `expected ${f.name}() to call ${common}(); other implementations are not understood`);
  if (calls.length > 1) throw errorAt(calls[1].pos, `${common}() is called more than once in ${f.name}()`);
  return calls[0];
}

/** The array a hook passes, or (with no hook) the file's only array of that element type. */
function entries(scope: GlueScope, kind: Kind, init: GlueInitFunction | undefined) {
  let v: CVar | undefined = init ? scope.vars.get(init.arrayArg.array) : undefined;
  if (!v) {
    const t = GEN1_ARRAY_TYPES[kind];
    const all = [...scope.vars.values()].filter((x) => x.arrayDims.length && x.type.base === t.base && x.type.pointers === t.pointers);
    if (all.length > 1) throw errorAt(all[1].pos, `more than one array of ${t.base} and no ${GEN1_HOOKS[kind].hook}() to say which is used`);
    v = all[0];
  }
  if (!v) return [];
  const given = scope.arrayEntries(v);
  // Entries the initialiser leaves out are NULL/zero, as C zero-fills the rest of a static array.
  return Array.from({ length: scope.arrayLength(v) }, (_, index) => {
    const e = given.find((g) => g.index === index);
    return { index, value: e?.value, pos: e?.pos ?? v!.pos };
  });
}

function mutexArg(scope: GlueScope, e: CExpr): GlueMutex {
  if (!(e.kind === 'unary' && e.op === '&' && e.operand.kind === 'ident')) {
    throw errorAt(e.pos, `expected &<mutex variable> as argument 3 of cross_vm_consumes_events_init_common, found "${exprText(e)}"`);
  }
  const v = scope.vars.get(e.operand.name);
  if (!v || v.arrayDims.length || v.type.base !== 'camkes_mutex_t' || v.type.pointers !== 0) {
    throw errorAt(e.pos, `expected '${e.operand.name}' to be a camkes_mutex_t defined in the glue`);
  }
  const init = v.init?.kind === 'compound' ? v.init.init : v.init;
  if (!init) throw errorAt(v.pos, `camkes_mutex_t '${v.name}' has no initialiser: expected { .lock = <mutex>_lock, .unlock = <mutex>_unlock }`);
  const f = structFields(init, MUTEX_FIELDS, 'camkes_mutex_t');
  const lock = f.get('lock');
  const unlock = f.get('unlock');
  if (!lock || !unlock) throw errorAt(init.pos, 'expected both .lock and .unlock in camkes_mutex_t initialiser');
  const l = generatedSymbol(lock.value, SUFFIX.mutexLock, { addressOf: 'optional', what: 'a CAmkES mutex lock function' });
  const u = generatedSymbol(unlock.value, SUFFIX.mutexUnlock, { addressOf: 'optional', what: 'a CAmkES mutex unlock function' });
  if (l.interface !== u.interface) throw errorAt(u.pos, `.unlock is ${u.symbol} but .lock is ${l.symbol}: expected ${l.interface}_unlock`);
  return { variable: v.name, camkesMutex: l.interface, pos: v.pos };
}
