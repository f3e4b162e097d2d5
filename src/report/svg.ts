import type { TraceEvent, TraceLayer } from '../sel4/trace';
import type { StepMark } from './contract';
import { condense, DIAGRAM_ROWS, LANES, type Condensed, type Row } from './condense';
import { esc } from './escape';
import { cut, describe, time } from './trace-text';

export { describe } from './trace-text';
export { IRQ_HOPS, irqPathDiagram } from './irq-path';

/** Kept for callers of the first version: rows a diagram shows at most. */
export const DIAGRAM_EVENTS = DIAGRAM_ROWS;

const LANE_W = 180;
const ROW_H = 22;
const TOP = 46;
const LEFT = 92;
/** Approximate width of a character of the 11 px label font, to cut labels to their room. */
const CH = 6.1;

/** Where a row's arrows go: a call into the kernel, then (dashed) the thread it wakes. */
interface Path {
  readonly from: TraceLayer;
  readonly to?: TraceLayer;
  readonly label: string;
  readonly wake?: { readonly to: TraceLayer; readonly label: string };
}

/**
 * How an event is drawn. A kernel event is a system call (or fault) by its actor: an arrow from the
 * actor's lane into the kernel objects, continued dashed to the lane of the thread it woke (its
 * peer). Any other event with a peer is an arrow from its layer to the peer's lane (kernel objects
 * when the peer is an object rather than an actor); an event without a peer is a dot on its lane.
 */
function pathOf(e: TraceEvent, lanes: ReadonlyMap<string, TraceLayer>): Path {
  const who = e.actor ? `${e.actor}: ` : '';
  const peerLane = e.peer !== undefined ? lanes.get(e.peer) : undefined;
  if (e.layer === 'kernel') {
    const from = lanes.get(e.actor) ?? 'kernel';
    const label = `${who}${e.op} ${e.object}${e.value !== undefined && e.value !== '' ? ` (${e.value})` : ''}`;
    const wake = peerLane !== undefined ? { to: peerLane, label: e.result ?? `→ ${e.peer}` } : undefined;
    const objectPeer = e.peer !== undefined && peerLane === undefined ? ` → ${e.peer}` : '';
    if (from === 'kernel') return { from, label: `${label}${objectPeer}${e.result && !wake ? ` → ${e.result}` : ''}`, wake };
    return { from, to: 'kernel', label: `${label}${objectPeer}${e.result && !wake ? ` → ${e.result}` : ''}`, wake };
  }
  if (e.peer !== undefined) return { from: e.layer, to: peerLane ?? 'kernel', label: `${who}${describe(e)} → ${e.peer}` };
  return { from: e.layer, label: `${who}${describe(e)}` };
}

/** True when the rows show an arrow between the VM's side (guest, VMM) and a native component. */
export function crossesVm(c: Condensed): boolean {
  const vm = new Set<TraceLayer>(['guest-process', 'guest-kernel', 'vmm']);
  return c.rows.some((r) => {
    if (r.kind !== 'event') return false;
    const p = pathOf(r.e, c.lanes);
    const ends = [p.from, p.wake?.to].filter((x): x is TraceLayer => x !== undefined);
    return ends.some((l) => vm.has(l)) && ends.includes('component');
  });
}

/**
 * A sequence diagram of a trace as inline SVG, condensed by `condense` (Given steps and repeated
 * events folded, each fold saying what it hides). Lanes: guest process, guest kernel, VMM, kernel
 * objects, component, and machine and harness when used.
 */
export function sequenceDiagram(id: string, trace: readonly TraceEvent[], limit = DIAGRAM_ROWS, marks: readonly StepMark[] = []): string {
  return sequenceSvg(id, condense(trace, marks, limit));
}

export function sequenceSvg(id: string, c: Condensed): string {
  const paths = c.rows.map((r) => (r.kind === 'event' ? pathOf(r.e, c.lanes) : undefined));
  const used = new Set<TraceLayer>(paths.flatMap((p) => (p ? [p.from, p.to, p.wake?.to].filter((x): x is TraceLayer => x !== undefined) : [])));
  const lanes = LANES.filter((l, i) => i < 5 || used.has(l.lane));
  const idx = new Map(lanes.map((l, i) => [l.lane, i]));
  const x = (l: TraceLayer) => LEFT + (idx.get(l) ?? 3) * LANE_W + LANE_W / 2;
  const width = LEFT + lanes.length * LANE_W + 20;
  const height = TOP + c.rows.length * ROW_H + 16;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="seq" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="sequence diagram">`,
    `<defs><marker id="${id}-ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#334"/></marker></defs>`,
  ];
  for (const l of lanes) {
    const lx = x(l.lane);
    out.push(`<rect x="${lx - 80}" y="8" width="160" height="22" rx="4" class="lane"/><text x="${lx}" y="23" text-anchor="middle" class="lane-title">${esc(l.title)}</text>`);
    out.push(`<line x1="${lx}" y1="30" x2="${lx}" y2="${height - 6}" class="life"/>`);
  }
  let lastTime: number | undefined;
  c.rows.forEach((r, i) => {
    const y = TOP + i * ROW_H + 12;
    if (r.kind !== 'event') {
      const cls = r.kind === 'step' ? 'step' : 'fold';
      const text = r.kind === 'step' ? r.text : `⋯ ${r.text}`;
      const tip = r.kind === 'fold' ? `events #${r.first}–#${r.lastSeq}: ${r.text}` : r.text;
      out.push(`<g><title>${esc(tip)}</title><rect x="${LEFT - 4}" y="${y - 12}" width="${width - LEFT}" height="${ROW_H - 3}" rx="3" class="${cls}-band"/>`);
      out.push(`<text x="${LEFT + 4}" y="${y + 2}" class="${cls}-text">${esc(cut(text, Math.floor((width - LEFT - 12) / CH)))}</text></g>`);
      return;
    }
    drawEvent(out, id, r, paths[i]!, y, x, width, r.e.time !== lastTime, paths[i]!.from === lanes[lanes.length - 1].lane);
    lastTime = r.e.time;
  });
  out.push('</svg>');
  return out.join('\n');
}

function drawEvent(
  out: string[],
  id: string,
  r: Extract<Row, { kind: 'event' }>,
  p: Path,
  y: number,
  x: (l: TraceLayer) => number,
  width: number,
  showTime: boolean,
  lastLane: boolean,
): void {
  const e = r.e;
  const times = r.repeat > 1 ? ` ×${r.repeat}${r.last.object !== e.object ? ` (… ${r.last.object})` : ''}` : '';
  const prefix = r.repeat > 1 ? `${r.repeat}× ` : '';
  const tip = `#${e.seq}${r.repeat > 1 ? `–#${r.last.seq}` : ''} t=${e.time} ns [${e.layer}] ${e.actor ? e.actor + ': ' : ''}${describe(e)}${e.peer !== undefined ? ` · peer ${e.peer}` : ''}${times}`;
  out.push(`<g><title>${esc(tip)}</title>`);
  if (showTime) out.push(`<text x="4" y="${y + 4}" class="t">${esc(time(e.time))}</text>`);
  const x1 = x(p.from);
  // A wake that goes back the way the call came is drawn just below the call, its words appended to
  // the call's label so the two labels do not overlap.
  const xk = p.to !== undefined ? x(p.to) : x1;
  const back = p.wake !== undefined && p.to !== undefined && Math.sign(x(p.wake.to) - xk) === Math.sign(x1 - xk);
  const wide = p.wake === undefined;
  const label = prefix + p.label + (r.last.object !== e.object ? ` … ${r.last.object}` : '') + (back ? ` · ${p.wake!.label}` : '');
  if (p.to !== undefined && p.to !== p.from) {
    const x2 = x(p.to);
    out.push(`<line x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -3 : 3)}" y2="${y}" class="msg" marker-end="url(#${id}-ah)"/>`);
    out.push(labelText(label, x1, x2, y - 4, width, wide));
  } else if (p.to !== undefined) {
    // On the last lane the loop and its label open to the left, where there is room.
    const d = lastLane ? -1 : 1;
    out.push(`<path d="M${x1},${y - 7} h${22 * d} v9 h${-19 * d}" class="msg" fill="none" marker-end="url(#${id}-ah)"/>`);
    out.push(labelText(label, x1 + 26 * d, x1 + 26 * d + LANE_W * d, y + 4, width, wide));
  } else {
    const d = lastLane ? -1 : 1;
    out.push(`<circle cx="${x1}" cy="${y}" r="3.5" class="ev"/>`);
    out.push(labelText(label, x1 + 7 * d, x1 + 7 * d + LANE_W * d, y + 4, width, wide));
  }
  if (p.wake) {
    const xw = x(p.wake.to);
    const yw = back ? y + 4 : y;
    if (xw !== xk) {
      out.push(`<line x1="${xk}" y1="${yw}" x2="${xw + (xw > xk ? -3 : 3)}" y2="${yw}" class="msg wake" marker-end="url(#${id}-ah)"/>`);
      if (!back) out.push(labelText(p.wake.label, xk, xw, y - 4, width, false, 'lbl wake-lbl'));
    }
  }
  out.push('</g>');
}

/** A label along an arrow from x1 to x2, starting at the arrow's tail and kept inside the SVG. */
function labelText(s: string, x1: number, x2: number, y: number, width: number, wide: boolean, cls = 'lbl'): string {
  // A label may run past its arrow when nothing else is drawn on the row's other side.
  const room = (wide ? Math.max(Math.abs(x2 - x1), 2 * LANE_W) : Math.max(Math.abs(x2 - x1) - 8, LANE_W / 2)) / CH;
  const text = cut(s, Math.floor(room));
  const w = text.length * CH;
  if (x2 >= x1) {
    const start = Math.min(x1 + 4, width - w - 4);
    return `<text x="${start.toFixed(0)}" y="${y}" class="${cls}">${esc(text)}</text>`;
  }
  const end = Math.max(x1 - 4, w + LEFT);
  return `<text x="${end.toFixed(0)}" y="${y}" text-anchor="end" class="${cls}">${esc(text)}</text>`;
}
