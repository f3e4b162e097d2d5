/**
 * Rules of the CAmkES VM documents (seeds 000/002, the cross-VM tutorial) and the dataport
 * templates (reference A.13 "Template-time errors", cross-vm-connectors.md 5 and 7.4).
 *
 * Errors: what upstream's code generation rejects (page alignment, duplicate size settings),
 * what the tutorial says must hold and breaks the system when it does not (a VM dataport over
 * plain seL4SharedData), and the x86 guest naming rule the macros rely on.
 * Warnings: what the documents demand but today's tools do not enforce (`_id`/`_size` present,
 * generation-1 ids contiguous from 1).
 */
import type { SourcePos } from '../../diagnostics';
import type { ResolvedAssembly, ResolvedComponent, ResolvedConnection, ResolvedInstance } from '../resolve/types';
import type { Value } from '../resolve/values';
import type { Arch, Sink } from './context';
import { MSG } from './messages';

const PAGE = 4096n;

/**
 * A VM component is one built from `VM_INIT_DEF()`: on x86 it emits `intready_connector`, on Arm
 * `notification_ready_connector` (reference A.15). Both are fixed by the macros, so this holds
 * for `Init<N>` and for an app's own `component VM { VM_INIT_DEF() ... }`.
 */
export function vmArch(c: ResolvedComponent): Arch | undefined {
  const emits = (n: string) => c.interfaces.some((i) => i.kind === 'emits' && i.name === n);
  if (emits('intready_connector')) return 'x86';
  if (emits('notification_ready_connector')) return 'arm';
  return undefined;
}

/**
 * Generation 1 (hypercall/ioctl, libcrossvm) is recognised from the .camkes alone: its VMM glue
 * locks `cross_vm_event_mutex` around each VMM-to-guest event, so the VM component must declare
 * `has mutex cross_vm_event_mutex` (seed 000). Generation-2 apps may keep the mutex unused
 * (x86 optiplex9020); their ids are then checked too, which is harmless since they have no
 * meaning there and the shipped one uses 1, 2. Arm apps (generation 2 only) never declare it.
 */
export function isGeneration1(c: ResolvedComponent): boolean {
  return c.has.some((h) => h.what === 'mutex' && h.name === 'cross_vm_event_mutex');
}

function setting(inst: ResolvedInstance, name: string): { value: Value; pos: SourcePos } | undefined {
  const a = inst.attributes.get(name);
  return a && a.source !== 'default' ? a : undefined;
}

function intOf(v: Value | undefined): bigint | undefined {
  return v && v.kind === 'int' ? v.value : undefined;
}

/** The template's page rule: at least 4096 and a multiple of 4096 (A.13, 7.4). */
const pageAligned = (n: bigint): boolean => n >= PAGE && n % PAGE === 0n;

function checkSharedData(c: ResolvedConnection, sink: Sink): void {
  const connSize = c.attributes.get('size');
  for (const e of c.ends) {
    const t = e.interface.type;
    const m = /^Buf\((\d+)\)$/.exec(t);
    if (m && !pageAligned(BigInt(m[1]))) {
      const at = e.interface.ast.kind === 'dataport' ? e.interface.ast.type.pos : e.interface.pos;
      sink.error(at, MSG.sharedDataSize(`Buf(${m[1]})`, m[1]));
      return;
    }
  }
  // Types other than Buf(N) take `<conn>.size` (default 4096).
  const n = intOf(connSize?.value);
  if (connSize && n !== undefined && !pageAligned(n) && c.ends.some((e) => !e.interface.type.startsWith('Buf'))) {
    sink.error(connSize.pos, MSG.sharedDataSize(`${c.name}.size`, n.toString()));
  }
  for (const e of c.ends) {
    if (!vmArch(e.instance.type)) continue;
    sink.error(e.pos, `connection '${c.name}' connects ${e.instance.name}.${e.interface.name}, a dataport of VM component ` +
      `${e.instance.type.name}, with seL4SharedData, which gives the VMM no capabilities to the dataport's frames, ` +
      'so it cannot map them into the guest; cross-VM dataports need seL4SharedDataWithCaps');
  }
}

/**
 * seL4SharedDataWithCaps: the size comes from `<conn>.size` or, with exactly one `to` end, from
 * `<to>.<iface>_size` (default 4096); both is a TemplateError. The template's own size message is
 * written `Setting <inst>.<iface>_size does not meet ...` (A.13); we report it at the setting.
 */
function checkWithCaps(c: ResolvedConnection, sink: Sink, ids: Map<ResolvedInstance, { id: bigint; pos: SourcePos }[]>): void {
  const connSize = c.attributes.get('size');
  const to = c.to.length === 1 ? c.to[0] : undefined;
  const ifaceSize = to ? setting(to.instance, `${to.interface.name}_size`) : undefined;
  if (connSize && connSize.source !== 'default' && ifaceSize && to) {
    sink.error(ifaceSize.pos, MSG.duplicateSizeSetting(c.name, `${to.instance.name}.${to.interface.name}`));
  } else if (connSize && connSize.source !== 'default') {
    const n = intOf(connSize.value);
    if (n !== undefined && !pageAligned(n)) sink.error(connSize.pos, MSG.sharedDataSize(`${c.name}.size`, n.toString()));
  } else if (ifaceSize && to) {
    const n = intOf(ifaceSize.value);
    if (n !== undefined && !pageAligned(n)) sink.error(ifaceSize.pos, MSG.sharedDataSize(`${to.instance.name}.${to.interface.name}_size`, n.toString()));
  }
  // The documents (seed 000, seL4SharedDataWithCaps.md) say the to side must set both; since
  // 2020 the template defaults them (id 0, size 4096), so this is a warning (cross-vm 5.1, 7.4).
  for (const e of c.to) {
    const end = `${e.instance.name}.${e.interface.name}`;
    const id = setting(e.instance, `${e.interface.name}_id`);
    if (!id) sink.warn(e.pos, missingMsg(end, 'id', c.name));
    if (!setting(e.instance, `${e.interface.name}_size`) && !(connSize && connSize.source !== 'default')) sink.warn(e.pos, missingMsg(end, 'size', c.name));
    const n = intOf(id?.value);
    if (id && n !== undefined && vmArch(e.instance.type) && isGeneration1(e.instance.type)) {
      const list = ids.get(e.instance) ?? [];
      list.push({ id: n, pos: id.pos });
      ids.set(e.instance, list);
    }
  }
}

function missingMsg(end: string, what: 'id' | 'size', conn: string): string {
  return `${end}_${what} is not set: interfaces connected with seL4SharedDataWithCaps (connection '${conn}') must be ` +
    `configured with the ${what} of the dataport (the tutorial's rule; upstream now defaults it to ${what === 'id' ? '0' : '4096'})`;
}

/** Generation 1: "ids must be contiguous, starting from 1" (seed 000) — they index the glue's arrays. */
function checkContiguous(inst: ResolvedInstance, list: { id: bigint; pos: SourcePos }[], sink: Sink): void {
  const sorted = [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const bad = sorted.find((x, i) => x.id !== BigInt(i + 1));
  if (!bad) return;
  const found = list.map((x) => x.id.toString()).join(', ');
  sink.warn(bad.pos, `dataport ids of ${inst.name} must be contiguous, starting from 1 (generation-1 cross-VM dataports: ` +
    `the id indexes the VMM's dataport array); found ${found}`);
}

/**
 * x86: the Ith guest is component InitI, instance vmI (seed 002; VM_PER_VM_COMP_DEF(I) pastes
 * both names from one number, and VM_PER_VM_CONFIG_DEF(I) configures vmI). Applies to every
 * instance of an x86 VM component and to every instance of a component named `Init<N>`.
 */
export function checkGuestNames(a: ResolvedAssembly, arch: Arch | undefined, sink: Sink): void {
  for (const inst of a.instances) {
    const isVm = vmArch(inst.type) === 'x86';
    const compNum = /^Init(\d+)$/.exec(inst.type.name)?.[1];
    const instNum = /^vm(\d+)$/.exec(inst.name)?.[1];
    const x86 = arch === 'x86' || (arch === undefined && isVm);
    if (!x86 || !(isVm || compNum !== undefined)) continue;
    if (compNum !== undefined && compNum === instNum) continue;
    const want = [
      ...(instNum !== undefined ? [`component Init${instNum} for instance vm${instNum}`] : []),
      ...(compNum !== undefined ? [`instance vm${compNum} for component Init${compNum}`] : []),
    ].join(', or ') || 'component InitI, instance vmI';
    sink.error(inst.pos, `guest instance '${inst.name}' is of component '${inst.type.name}', but the VM macros ` +
      `require the Ith guest to be component InitI, instance vmI (VM_PER_VM_COMP_DEF(I)): expected ${want}`);
  }
}

export function checkVm(a: ResolvedAssembly, sink: Sink): void {
  const ids = new Map<ResolvedInstance, { id: bigint; pos: SourcePos }[]>();
  for (const c of a.connections) {
    if (c.connector.name === 'seL4SharedData') checkSharedData(c, sink);
    else if (c.connector.name === 'seL4SharedDataWithCaps') checkWithCaps(c, sink, ids);
  }
  for (const [inst, list] of ids) checkContiguous(inst, list, sink);
}

