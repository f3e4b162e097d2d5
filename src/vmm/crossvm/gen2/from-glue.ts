import { errorAt, type SourcePos } from '../../../diagnostics';
import type { CPtr } from '../../../sel4';
import type { GlueSymbol, VmmGlue } from '../../glue';
import type { Gen2ConnectionSpec } from './connections';

/** What the CAmkES instantiation knows about the VM component's interfaces named by the glue. */
export interface Gen2GlueBindings {
  /** `<iface>_handle`: the dataport's frames (caps in the VMM's CSpace) and size. */
  dataport(iface: string): { readonly frames: readonly CPtr[]; readonly size: number } | undefined;
  /** `<iface>_emit`: the CAmkES emit (one seL4_Signal per receiving end). */
  emit(iface: string): (() => void) | undefined;
  /** `<iface>_notification_badge()` of a seL4GlobalAsynch interface. */
  notificationBadge(iface: string): number | undefined;
}

export interface Gen2Glue {
  readonly baseAddress: number;
  readonly specs: readonly Gen2ConnectionSpec[];
  /** register_async_event_handler calls: the badge each consume callback answers (Arm). */
  readonly asyncHandlers: readonly { readonly badge: number; readonly pos: SourcePos }[];
  /** x86 connections with a `.reg_callback`: the CAmkES interface and the consume id. */
  readonly regCallbacks: readonly { readonly connection: number; readonly id: number; readonly symbol: GlueSymbol }[];
}

/**
 * Turns the app's generation-2 glue into what cross_vm_connections_init receives, resolving the
 * CAmkES symbols through the instantiation. A symbol the assembly does not provide is an error at
 * its position in the glue (the C would not link).
 */
export function gen2SpecsFromGlue(glue: VmmGlue, b: Gen2GlueBindings, fallbackPos: SourcePos): Gen2Glue {
  const init = glue.connectionsInit;
  if (!init) throw errorAt(glue.connections[0]?.pos ?? fallbackPos, 'expected a call to cross_vm_connections_init(vm, base, connections, count) in the VMM glue');
  // The library uses the count argument, not the array's length.
  const used = glue.connections.filter((c) => c.layout === 'macro' || c.index < init.arrayArg.count);
  const specs = used.map((c): Gen2ConnectionSpec => {
    if (!c.dataport) throw errorAt(c.pos, `connection ${c.index} has no dataport handle (the VMM would dereference NULL)`);
    const dp = b.dataport(c.dataport.interface);
    if (!dp) throw errorAt(c.dataport.pos, `"${c.dataport.symbol}": the VM component has no dataport "${c.dataport.interface}"`);
    let emit: (() => void) | null = null;
    if (c.emit) {
      const e = b.emit(c.emit.interface);
      if (!e) throw errorAt(c.emit.pos, `"${c.emit.symbol}": the VM component has no emitted event "${c.emit.interface}"`);
      emit = e;
    }
    return { dataport: dp, emit, consumeId: consumeId(c.consume, b), name: c.connectionName };
  });
  const asyncHandlers = glue.asyncEventHandlers.map((h) => {
    const badge = 'connection' in h.badge ? specs[h.badge.connection]?.consumeId : 'value' in h.badge ? h.badge.value : badgeOf(h.badge.of, b);
    if (badge === undefined) throw errorAt(h.pos, 'register_async_event_handler names a connection that does not exist');
    return { badge, pos: h.pos };
  });
  const regCallbacks = used.flatMap((c) => (c.consume.kind === 'id' && c.consume.regCallback ? [{ connection: c.index, id: c.consume.id, symbol: c.consume.regCallback }] : []));
  return { baseAddress: init.baseAddress, specs, asyncHandlers, regCallbacks };
}

function consumeId(c: VmmGlue['connections'][number]['consume'], b: Gen2GlueBindings): number {
  switch (c.kind) {
    case 'none':
      return -1;
    case 'id':
      return c.id;
    case 'badge':
      return c.value;
    case 'notification-badge':
      return badgeOf(c.of, b);
  }
}

function badgeOf(sym: GlueSymbol, b: Gen2GlueBindings): number {
  const v = b.notificationBadge(sym.interface);
  if (v === undefined) throw errorAt(sym.pos, `"${sym.symbol}": "${sym.interface}" is not a seL4GlobalAsynch interface of the VM component`);
  return v;
}
