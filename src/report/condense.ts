import type { TraceEvent, TraceLayer } from '../sel4/trace';
import type { StepMark } from './contract';

/**
 * Turns a recorded trace (hundreds of events: the root task building the system, the guest
 * booting, then the scenario's interaction) into the rows of a sequence diagram a reviewer can read:
 * the Given steps' events folded into one row each, repeated events and repeated patterns (a PCI
 * scan's io_out/io_in pairs, a console's bytes) folded, and each fold saying what it hides.
 */

/** Lanes left to right: from the guest's process down to seL4 and out to native components. */
export const LANES: readonly { readonly lane: TraceLayer; readonly title: string }[] = [
  { lane: 'guest-process', title: 'guest process' },
  { lane: 'guest-kernel', title: 'guest kernel' },
  { lane: 'vmm', title: 'VMM' },
  { lane: 'kernel', title: 'kernel objects' },
  { lane: 'component', title: 'component' },
  { lane: 'machine', title: 'machine (devices)' },
  { lane: 'harness', title: 'harness' },
];

/** Rows a diagram shows at most; the rest of the focus is folded in the middle. */
export const DIAGRAM_ROWS = 90;
/** Rows kept before the middle fold when a focus is longer than DIAGRAM_ROWS. */
const HEAD_ROWS = 3;
/** A run of the root task's own operations at least this long is folded (system creation). */
const ROOT_RUN = 6;
/** A pattern of up to this many events repeated at least PATTERN_REPEATS times is folded. */
const PATTERN_MAX = 4;
const PATTERN_REPEATS = 3;
/**
 * A stretch of at least this many rows in which no lane talks to another (a PCI scan, a boot's
 * printk) is folded; the last rows of a focus are never folded, since a failure is usually there.
 */
const QUIET_ROWS = 8;
const KEEP_LAST = 3;

export type Row =
  | { readonly kind: 'event'; readonly e: TraceEvent; readonly repeat: number; readonly last: TraceEvent }
  | { readonly kind: 'fold'; readonly first: number; readonly lastSeq: number; readonly count: number; readonly text: string }
  | { readonly kind: 'step'; readonly text: string };

export interface Condensed {
  readonly rows: readonly Row[];
  readonly total: number;
  /** One sentence on what was shown and what was folded. */
  readonly note: string;
  /** Lane of every actor (see `actorLanes`). */
  readonly lanes: ReadonlyMap<string, TraceLayer>;
}

/**
 * The lane each actor acts from, used for kernel events (a system call is drawn from the caller's
 * lane into the kernel objects) and for peers (a woken thread). Rules, in order: the layer other
 * than kernel and machine in which the actor records most events; a vCPU thread (`vm0:vcpu0`) is
 * the guest running, so guest kernel; a thread of a component whose `<component>:vmm` actor is in
 * the VMM lane (the VMM's IRQ server threads) is VMM; any other `<component>:<thread>` is a
 * component; the rest (the root task, the kernel itself) is kernel objects, or machine when it
 * only acts in the machine layer.
 */
export function actorLanes(trace: readonly TraceEvent[]): Map<string, TraceLayer> {
  const counts = new Map<string, Map<TraceLayer, number>>();
  for (const e of trace) {
    if (e.actor === '') continue;
    const c = counts.get(e.actor) ?? new Map<TraceLayer, number>();
    c.set(e.layer, (c.get(e.layer) ?? 0) + 1);
    counts.set(e.actor, c);
  }
  const order = LANES.map((l) => l.lane);
  const out = new Map<string, TraceLayer>();
  for (const [actor, c] of counts) {
    const own = [...c.entries()].filter(([l]) => l !== 'kernel' && l !== 'machine');
    own.sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]));
    if (own.length) out.set(actor, own[0][0]);
  }
  for (const [actor, c] of counts) {
    if (out.has(actor)) continue;
    const prefix = actor.includes(':') ? actor.slice(0, actor.indexOf(':')) : undefined;
    if (/:vcpu\d*$/.test(actor)) out.set(actor, 'guest-kernel');
    else if (prefix !== undefined && out.get(`${prefix}:vmm`) === 'vmm') out.set(actor, 'vmm');
    else if (prefix !== undefined) out.set(actor, 'component');
    else out.set(actor, c.has('kernel') ? 'kernel' : 'machine');
  }
  return out;
}

const loose = (e: TraceEvent) => `${e.layer}\u0000${e.actor}\u0000${e.op}\u0000${e.peer ?? ''}`;
/** A run of one operation on different objects at least this long is one row. */
const LOOSE_RUN = 3;
const sig = (e: TraceEvent) => `${e.layer}\u0000${e.actor}\u0000${e.op}\u0000${e.object}`;

/** "43× seL4_Untyped_Retype, 43× seL4_CNode_Mint, 9× spawn, …": what a fold hides, most frequent first. */
export function foldSummary(events: readonly TraceEvent[], items = 5): string {
  const c = new Map<string, number>();
  for (const e of events) c.set(e.op, (c.get(e.op) ?? 0) + 1);
  const top = [...c.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = top.slice(0, items).map(([op, n]) => `${n}× ${op}`);
  return shown.join(', ') + (top.length > items ? `, ${top.length - items} more kinds` : '');
}

function fold(events: readonly TraceEvent[], what: string, text = `${what}: ${events.length} events (${foldSummary(events)})`): Row {
  return { kind: 'fold', first: events[0].seq, lastSeq: events[events.length - 1].seq, count: events.length, text };
}

/** Period p at which events[i..] repeats at least PATTERN_REPEATS times, and how many events that covers. */
function pattern(events: readonly TraceEvent[], i: number): { period: number; length: number } | undefined {
  for (let p = 2; p <= PATTERN_MAX; p++) {
    let n = p;
    while (i + n < events.length && sig(events[i + n]) === sig(events[i + n - p])) n++;
    const reps = Math.floor(n / p);
    if (reps >= PATTERN_REPEATS) return { period: p, length: reps * p };
  }
  return undefined;
}

/** Rows of one stretch of events, with runs, patterns and root-task setup folded. */
export function foldNoise(events: readonly TraceEvent[]): Row[] {
  const rows: Row[] = [];
  let i = 0;
  while (i < events.length) {
    const e = events[i];
    if (e.actor === 'rootserver') {
      let j = i;
      while (j < events.length && events[j].actor === 'rootserver') j++;
      if (j - i >= ROOT_RUN) {
        rows.push(fold(events.slice(i, j), 'the root task creates the system'));
        i = j;
        continue;
      }
    }
    let j = i + 1;
    while (j < events.length && sig(events[j]) === sig(e)) j++;
    // The same operation on a series of objects (a device's frames mapped one by one) is one row too.
    let k = i + 1;
    while (k < events.length && loose(events[k]) === loose(e)) k++;
    if (k - i >= LOOSE_RUN && k > j) j = k;
    if (j - i >= 2) {
      rows.push({ kind: 'event', e, repeat: j - i, last: events[j - 1] });
      i = j;
      continue;
    }
    const p = pattern(events, i);
    if (p) {
      const part = events.slice(i, i + p.length);
      const names = part.slice(0, p.period).map((x) => `${x.op} ${x.object}`.trim());
      rows.push(fold(part, '', `${p.length / p.period}× [${names.join(' · ')}] (${p.length} events)`));
      i += p.length;
      continue;
    }
    rows.push({ kind: 'event', e, repeat: 1, last: e });
    i++;
  }
  return rows;
}

/** True when an event is drawn as an arrow between lanes (see svg.ts): a message, a call into the kernel. */
export function interacts(e: TraceEvent, lanes: ReadonlyMap<string, TraceLayer>): boolean {
  // A device raising or dropping a line starts an interrupt's path: never folded away.
  return e.peer !== undefined || e.layer === 'machine' || (e.layer === 'kernel' && (lanes.get(e.actor) ?? 'kernel') !== 'kernel');
}

/** Folds every run of QUIET_ROWS or more rows without an interaction (folds included) into one row. */
export function foldQuiet(rows: readonly Row[], trace: readonly TraceEvent[], lanes: ReadonlyMap<string, TraceLayer>): Row[] {
  const quiet = (r: Row) => r.kind === 'fold' || (r.kind === 'event' && !interacts(r.e, lanes));
  const out: Row[] = [];
  let i = 0;
  const end = rows.length - KEEP_LAST;
  while (i < rows.length) {
    let j = i;
    while (j < end && quiet(rows[j])) j++;
    if (j - i >= QUIET_ROWS) {
      const first = Math.min(...rows.slice(i, j).map((r) => seqRange(r, 'first')));
      const last = Math.max(...rows.slice(i, j).map((r) => seqRange(r, 'last')));
      const hidden = trace.filter((e) => e.seq >= first && e.seq <= last);
      out.push(fold(hidden, '', `no message between lanes: ${hidden.length} events (${foldSummary(hidden)})`));
      i = j;
    } else {
      out.push(...rows.slice(i, Math.max(j, i + 1)));
      i = Math.max(j, i + 1);
    }
  }
  return out;
}

/** The step a sequence number belongs to (the last mark containing it), or undefined. */
function stepOf(marks: readonly StepMark[], seq: number): number | undefined {
  for (let k = marks.length - 1; k >= 0; k--) if (marks[k].from <= seq && seq < marks[k].to) return k;
  return undefined;
}

/**
 * The rows of a sequence diagram. With step marks, each step's events follow a header row naming
 * the step, and the steps before the first When step that recorded anything are folded into one
 * row each (the system's construction and boot); without marks, the whole trace is the focus.
 * A focus longer than `limit` rows keeps its first rows and its end, where a failure usually is,
 * and folds the middle.
 */
export function condense(trace: readonly TraceEvent[], marks: readonly StepMark[] = [], limit = DIAGRAM_ROWS): Condensed {
  const lanes = actorLanes(trace);
  if (trace.length === 0) return { rows: [], total: 0, note: 'The trace is empty.', lanes };
  const usable = marks.filter((m) => m.to > m.from);
  const firstAction = usable.find((m) => m.type === 'Action') ?? usable.find((m) => m.type === 'Outcome');
  const focusFrom = firstAction ? firstAction.from : trace[0].seq;

  const groups: { step?: number; events: TraceEvent[] }[] = [];
  for (const e of trace) {
    const s = usable.length ? stepOf(usable, e.seq) : undefined;
    const g = groups[groups.length - 1];
    if (g && g.step === s) g.events.push(e);
    else groups.push({ step: s, events: [e] });
  }
  const before: Row[] = [];
  const raw: Row[] = [];
  let folded = 0;
  for (const g of groups) {
    const title = g.step !== undefined ? usable[g.step].text : 'outside any step';
    if (g.events[g.events.length - 1].seq < focusFrom) {
      before.push(fold(g.events, title));
      folded += g.events.length;
      continue;
    }
    if (usable.length) raw.push({ kind: 'step', text: title });
    raw.push(...foldNoise(g.events));
  }
  const focus = foldQuiet(raw, trace, lanes);
  let rows = focus;
  if (focus.length > limit) {
    const head = focus.slice(0, HEAD_ROWS);
    const tail = focus.slice(focus.length - (limit - HEAD_ROWS - 1));
    const middle = focus.slice(HEAD_ROWS, focus.length - tail.length);
    const first = Math.min(...middle.map((r) => seqRange(r, 'first')));
    const last = Math.max(...middle.map((r) => seqRange(r, 'last')));
    const hidden = trace.filter((e) => e.seq >= first && e.seq <= last);
    const steps = middle.filter((r) => r.kind === 'step').length;
    rows = [...head, { kind: 'fold', first, lastSeq: last, count: hidden.length, text: `${middle.length} rows left out to keep the diagram short${steps ? ` (${steps} step headers)` : ''}: ${hidden.length} events (${foldSummary(hidden)})` }, ...tail];
  }
  const all = [...before, ...rows];
  const shownEvents = all.filter((r) => r.kind === 'event').reduce((n, r) => n + (r.kind === 'event' ? r.repeat : 0), 0);
  const note = [
    `${trace.length} events recorded (#${trace[0].seq}–#${trace[trace.length - 1].seq})`,
    `${shownEvents} drawn as ${all.filter((r) => r.kind === 'event').length} rows`,
    folded ? `${folded} of the steps before the first When step folded` : '',
    all.some((r) => r.kind === 'fold') ? 'each grey row says what it folds' : '',
    !usable.length ? 'no step marks: the whole trace is the focus' : '',
  ].filter((x) => x).join('; ');
  return { rows: all, total: trace.length, note: note + '.', lanes };
}

function seqRange(r: Row, end: 'first' | 'last'): number {
  if (r.kind === 'event') return end === 'first' ? r.e.seq : r.last.seq;
  if (r.kind === 'fold') return end === 'first' ? r.first : r.lastSeq;
  return end === 'first' ? Number.MAX_SAFE_INTEGER : -1;
}
