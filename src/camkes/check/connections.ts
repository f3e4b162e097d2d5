/**
 * Connection.freeze (camkes-tool stage 10, reference A.12/A.13), on the connections after N-to-1
 * merging, in upstream's order: no from ends, no to ends, multiple from ends, multiple to ends,
 * conflicting types; then per from end: usable as 'from', hardware side, software side, the
 * connector's end kind; then the same for the to ends. Then the assembly-wide rules: one use per
 * interface, and every non-optional interface connected.
 */
import type { ResolvedAssembly, ResolvedConnection, ResolvedEnd } from '../resolve/types';
import type { Sink } from './context';
import { MSG } from './messages';

const USABLE = { from: ['emits', 'uses', 'dataport'], to: ['consumes', 'provides', 'dataport'] } as const;
const END_KIND = {
  event: { name: 'Event', from: 'emits', to: 'consumes' },
  procedure: { name: 'Procedure', from: 'uses', to: 'provides' },
  dataport: { name: 'Dataport', from: 'dataport', to: 'dataport' },
} as const;

const endName = (e: ResolvedEnd): string => `${e.instance.name}.${e.interface.name}`;

function typeCheckingDisabled(c: ResolvedConnection): boolean {
  const v = c.connector.attributes.get('disable_interface_type_checking');
  return v !== undefined && ((v.kind === 'int' && v.value !== 0n) || (v.kind === 'float' && v.value !== 0));
}

/** Records the first problem of one connection; returns false when there was one. */
function checkConnection(c: ResolvedConnection, sink: Sink): boolean {
  const k = c.connector;
  const fail = (pos: ResolvedConnection['pos'], msg: string): false => (sink.error(pos, msg), false);
  if (c.from.length === 0) return fail(c.pos, MSG.noEnds(c.name, 'from'));
  if (c.to.length === 0) return fail(c.pos, MSG.noEnds(c.name, 'to'));
  if (!k.from.multiple && c.from.length > 1) return fail(c.from[1].pos, MSG.multipleEnds(c.name, 'from', k.name));
  if (!k.to.multiple && c.to.length > 1) return fail(c.to[1].pos, MSG.multipleEnds(c.name, 'to', k.name));
  if (!typeCheckingDisabled(c)) {
    // Upstream prints Python class names (`str`, `TokValue`) for event and dataport types, which
    // say nothing; we print the type names themselves (procedure names are printed upstream too).
    const first = c.ends[0].interface.type;
    const other = c.ends.find((e) => e.interface.type !== first);
    if (other) return fail(other.pos, MSG.conflictingTypes(c.name, first, other.interface.type));
  }
  for (const side of ['from', 'to'] as const) {
    const endType = k[side];
    for (const e of c[side]) {
      const name = endName(e);
      if (!(USABLE[side] as readonly string[]).includes(e.interface.kind)) return fail(e.pos, MSG.cannotBeUsedAs(c.name, name, side));
      if (endType.hardware && !e.instance.type.hardware) return fail(e.pos, MSG.hardwareSide(c.name, k.name, side, name));
      if (!endType.hardware && e.instance.type.hardware) return fail(e.pos, MSG.softwareSide(c.name, k.name, side, name));
      const want = END_KIND[endType.kind];
      if (e.interface.kind !== want[side]) return fail(e.pos, MSG.wrongEndKind(c.name, k.name, side, name, want.name));
    }
  }
  return true;
}

export function checkConnections(a: ResolvedAssembly, sink: Sink): void {
  const used = new Map<string, ResolvedEnd>();
  for (const c of a.connections) {
    checkConnection(c, sink);
    const inThis = new Set<string>();
    for (const e of c.ends) {
      const key = endName(e);
      const once = `${e.direction} ${key}`;
      if (inThis.has(once)) continue;
      inThis.add(once);
      if (used.has(key)) sink.error(e.pos, MSG.duplicateUse(key));
      else used.set(key, e);
    }
  }
  for (const inst of a.instances) {
    if (inst.type.compound) continue;
    for (const i of inst.type.interfaces) {
      if (i.maybe || i.kind === 'emits' || i.kind === 'provides') continue;
      const key = `${inst.name}.${i.name}`;
      if (!used.has(key)) sink.error(inst.pos, MSG.notConnected(key));
    }
  }
}
