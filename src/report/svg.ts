import type { TraceEvent, TraceLayer } from '../sel4/trace';
import { esc } from './escape';

/** Lanes of the sequence diagram, left to right: from the guest's process down to seL4 and out to components. */
const LANES: readonly { layer: TraceLayer; title: string }[] = [
  { layer: 'guest-process', title: 'guest process' },
  { layer: 'guest-kernel', title: 'guest kernel' },
  { layer: 'vmm', title: 'VMM' },
  { layer: 'kernel', title: 'kernel objects' },
  { layer: 'component', title: 'component' },
  { layer: 'machine', title: 'machine' },
  { layer: 'harness', title: 'harness' },
];

/** A diagram shows the end of the trace, where a failure usually is. */
export const DIAGRAM_EVENTS = 60;

const LANE_W = 170;
const ROW_H = 24;
const TOP = 44;
const LEFT = 90;

function cut(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function describe(e: TraceEvent): string {
  const parts = [e.op, e.object];
  if (e.value !== undefined) parts.push(`(${e.value})`);
  if (e.result !== undefined) parts.push(`→ ${e.result}`);
  return parts.filter((p) => p !== '').join(' ');
}

function time(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns} ns`;
}

/**
 * A sequence diagram of the last events of a trace, as inline SVG: one lane per layer present,
 * an arrow for each event that names a `peer` (drawn to the lane the peer acts in, or to the
 * kernel objects when the peer never acts), a mark for every other event.
 */
export function sequenceDiagram(id: string, trace: readonly TraceEvent[], limit = DIAGRAM_EVENTS): string {
  const events = trace.slice(-limit);
  const layerOf = new Map<string, TraceLayer>();
  for (const e of trace) if (e.actor && !layerOf.has(e.actor)) layerOf.set(e.actor, e.layer);
  const peerLayer = (p: string): TraceLayer => layerOf.get(p) ?? 'kernel';
  const used = new Set<TraceLayer>(events.flatMap((e) => (e.peer !== undefined ? [e.layer, peerLayer(e.peer)] : [e.layer])));
  const lanes = LANES.filter((l, i) => i < 5 || used.has(l.layer));
  const x = (layer: TraceLayer) => LEFT + lanes.findIndex((l) => l.layer === layer) * LANE_W + LANE_W / 2;
  // Room on the right for the labels of marks on the last lane.
  const width = LEFT + lanes.length * LANE_W + 120;
  const height = TOP + events.length * ROW_H + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="seq" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="sequence diagram">`,
    `<defs><marker id="${id}-ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#334"/></marker></defs>`,
  ];
  if (trace.length > events.length)
    out.push(`<text x="4" y="12" class="note">last ${events.length} of ${trace.length} events</text>`);
  for (const l of lanes) {
    const lx = x(l.layer);
    out.push(`<rect x="${lx - 70}" y="16" width="140" height="20" rx="3" class="lane"/><text x="${lx}" y="30" text-anchor="middle" class="lane-title">${esc(l.title)}</text>`);
    out.push(`<line x1="${lx}" y1="36" x2="${lx}" y2="${height - 8}" class="life"/>`);
  }
  events.forEach((e, i) => {
    const y = TOP + i * ROW_H + 14;
    const label = `${e.actor ? e.actor + ': ' : ''}${describe(e)}`;
    out.push(`<g><title>${esc(`#${e.seq} t=${e.time} ns [${e.layer}] ${label}${e.peer !== undefined ? ` → ${e.peer}` : ''}`)}</title>`);
    out.push(`<text x="4" y="${y + 4}" class="t">${esc(time(e.time))}</text>`);
    const x1 = x(e.layer);
    if (e.peer !== undefined && peerLayer(e.peer) !== e.layer) {
      const x2 = x(peerLayer(e.peer));
      out.push(`<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" class="msg" marker-end="url(#${id}-ah)"/>`);
      out.push(`<text x="${(x1 + x2) / 2}" y="${y - 4}" text-anchor="middle" class="lbl">${esc(cut(describe(e), 44))}</text>`);
    } else if (e.peer !== undefined) {
      out.push(`<path d="M${x1},${y - 6} h24 v10 h-22" class="msg" fill="none" marker-end="url(#${id}-ah)"/>`);
      out.push(`<text x="${x1 + 30}" y="${y + 2}" class="lbl">${esc(cut(describe(e), 30))}</text>`);
    } else {
      out.push(`<circle cx="${x1}" cy="${y}" r="3.5" class="ev"/>`);
      out.push(`<text x="${x1 + 8}" y="${y + 4}" class="lbl">${esc(cut(describe(e), 30))}</text>`);
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}

/**
 * The hops of a passthrough interrupt, each recognised in the trace by the layer that acts and the
 * words of its operation. Kept here, in one place, because the simulation's operation names are
 * still settling; a hop with no matching event is drawn as missing, which is itself the finding.
 */
export const IRQ_HOPS: readonly { title: string; match: (e: TraceEvent) => boolean }[] = [
  { title: 'device', match: (e) => e.layer === 'machine' },
  // Or the signal the kernel sends the handler's notification (x86: the VMM's own notification,
  // whose name does not say irq; the actor is whichever thread the interrupt arrived during).
  { title: 'seL4 IRQ handler', match: (e) => e.layer === 'kernel' && (/irq/i.test(`${e.op} ${e.object}`) || e.op === 'seL4_Signal') },
  { title: 'VMM', match: (e) => e.layer === 'vmm' && !/vgic|inject/i.test(`${e.op} ${e.object}`) },
  { title: 'vGIC', match: (e) => e.layer === 'vmm' && /vgic|inject/i.test(`${e.op} ${e.object}`) },
  { title: 'guest handler', match: (e) => e.layer === 'guest-kernel' && /irq|handle/i.test(`${e.op} ${e.object}`) },
];

/** The IRQ's path (device → seL4 IRQ handler → VMM → vGIC → guest handler), each hop found in order. */
export function irqPathDiagram(id: string, trace: readonly TraceEvent[]): string {
  const found: (TraceEvent | undefined)[] = [];
  let from = 0;
  for (const hop of IRQ_HOPS) {
    const i = trace.findIndex((e, k) => k >= from && hop.match(e));
    found.push(i >= 0 ? trace[i] : undefined);
    if (i >= 0) from = i + 1;
  }
  const W = 180;
  const width = IRQ_HOPS.length * W + 10;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="irq" width="${width}" height="96" viewBox="0 0 ${width} 96" role="img" aria-label="IRQ path">`,
    `<defs><marker id="${id}-ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#334"/></marker></defs>`,
  ];
  IRQ_HOPS.forEach((hop, i) => {
    const e = found[i];
    const x0 = 5 + i * W;
    out.push(`<g><title>${esc(e ? `#${e.seq} t=${e.time} ns ${e.actor}: ${describe(e)}` : `${hop.title}: no event in the trace`)}</title>`);
    out.push(`<rect x="${x0}" y="10" width="${W - 40}" height="60" rx="6" class="${e ? 'hop seen' : 'hop missing'}"/>`);
    out.push(`<text x="${x0 + (W - 40) / 2}" y="32" text-anchor="middle" class="hop-title">${esc(hop.title)}</text>`);
    out.push(`<text x="${x0 + (W - 40) / 2}" y="50" text-anchor="middle" class="lbl">${esc(e ? cut(e.op, 22) : 'not seen')}</text>`);
    out.push(`<text x="${x0 + (W - 40) / 2}" y="64" text-anchor="middle" class="t">${esc(e ? time(e.time) : '')}</text></g>`);
    if (i + 1 < IRQ_HOPS.length)
      out.push(`<line x1="${x0 + W - 40}" y1="40" x2="${x0 + W - 2}" y2="40" class="${e && found[i + 1] ? 'msg' : 'msg missing'}" marker-end="url(#${id}-ah)"/>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
