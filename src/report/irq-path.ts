import type { TraceEvent } from '../sel4/trace';
import { esc } from './escape';
import { cut, describe, time } from './trace-text';

export interface IrqHop {
  readonly title: string;
  readonly match: (e: TraceEvent) => boolean;
}

/**
 * The hops of a passthrough interrupt, each recognised by the layer that acts and its operation,
 * in one place (the passthrough steps check the same hops). The names are those the simulator
 * records: the machine's `irq_assert`/`irq_pulse`, the kernel's signal of the handler's
 * notification, the VMM's `async_event` (handle_async_event), the injection (Arm: the VMM's
 * `seL4_ARM_VCPU_InjectIRQ` into the vGIC; x86: `inject_irq` on the emulated i8259 PIC), and the
 * guest kernel's handler. A hop with no matching event is drawn as missing, which is the finding.
 */
export const IRQ_HOPS: readonly IrqHop[] = [
  { title: 'device', match: (e) => e.layer === 'machine' && /^irq_(assert|pulse)$/.test(e.op) },
  // Or the signal the kernel sends the handler's notification (x86: the VMM's own notification,
  // whose name does not say irq; the actor is whichever thread the interrupt arrived during).
  { title: 'seL4 IRQ handler', match: (e) => e.layer === 'kernel' && (/irq/i.test(`${e.op} ${e.object}`) || e.op === 'seL4_Signal') },
  // handle_async_event: the VMM taking the badge (x86) or the IRQ server's message (Arm).
  { title: 'VMM', match: (e) => e.layer === 'vmm' && e.op === 'async_event' },
  { title: 'vGIC', match: (e) => (e.layer === 'vmm' && /vgic|inject/i.test(`${e.op} ${e.object}`)) || (e.layer === 'kernel' && e.op === 'seL4_ARM_VCPU_InjectIRQ') },
  { title: 'guest handler', match: (e) => e.layer === 'guest-kernel' && /irq|handle/i.test(`${e.op} ${e.object}`) },
];

const hop = (title: string) => IRQ_HOPS.find((h) => h.title === title)!.match;

/** Deliveries drawn per scenario at most; the rest are counted under the picture. */
export const IRQ_PATHS = 4;

interface Step {
  readonly title: string;
  readonly e?: TraceEvent;
}

/**
 * One interrupt's path, anchored at the kernel's delivery (or masking) of a line: the device that
 * raised it, the delivery, the signal of the notification it was delivered to, the VMM, the
 * injection, the guest's handler and the VMM's seL4_IRQHandler_Ack of that same line.
 */
function pathFrom(trace: readonly TraceEvent[], k: number): Step[] {
  const d = trace[k];
  const raise = (() => {
    for (let i = k; i >= 0; i--) if (hop('device')(trace[i]) && trace[i].object === d.object) return trace[i];
    return undefined;
  })();
  const steps: Step[] = [{ title: 'device', e: raise }, { title: `kernel ${d.result === 'masked' ? 'masks' : 'delivers'}`, e: d }];
  let from = k + 1;
  const find = (title: string, m: (e: TraceEvent) => boolean) => {
    const i = trace.findIndex((e, j) => j >= from && m(e));
    if (i >= 0) from = i + 1;
    const e = i >= 0 ? trace[i] : undefined;
    steps.push({ title: title === 'vGIC' && e && /i8259|pic/i.test(e.object) ? 'PIC (i8259)' : title, e });
  };
  find('seL4 IRQ handler', (e) => e.layer === 'kernel' && e.op === 'seL4_Signal' && (d.peer === undefined || e.object === d.peer));
  find('VMM', hop('VMM'));
  find('vGIC', hop('vGIC'));
  find('guest handler', hop('guest handler'));
  find('IRQ handler ack', (e) => e.layer === 'kernel' && e.op === 'seL4_IRQHandler_Ack' && e.object === d.object);
  return steps;
}

/** Every interrupt delivery in the trace (at most IRQ_PATHS drawn) as a row of hops, each found in order. */
export function irqPathDiagram(id: string, trace: readonly TraceEvent[]): string {
  const anchors = trace.flatMap((e, i) => (e.layer === 'machine' && e.op === 'irq' && (e.result === 'delivered' || e.result === 'masked') ? [i] : []));
  let paths: Step[][] = anchors.slice(0, IRQ_PATHS).map((k) => pathFrom(trace, k));
  if (paths.length === 0) {
    const raised = trace.find(hop('device'));
    if (!raised && !trace.some((e) => e.layer === 'machine')) return '<p class="note">No interrupt was raised in this scenario\'s trace.</p>';
    paths = [[{ title: 'device', e: raised }, { title: 'kernel delivers' }, ...['seL4 IRQ handler', 'VMM', 'vGIC', 'guest handler', 'IRQ handler ack'].map((title) => ({ title }))]];
  }
  const W = 168;
  const BOX = 148;
  const PATH_H = 92;
  const width = 7 * W + 10;
  const height = paths.length * PATH_H + 6;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="irq" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="IRQ path">`,
    `<defs><marker id="${id}-ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#334"/></marker></defs>`,
  ];
  paths.forEach((steps, p) => {
    const y0 = p * PATH_H + 20;
    const d = steps[1].e;
    const seen = steps.filter((s) => s.e).length;
    out.push(`<text x="5" y="${y0 - 6}" class="hop-caption">${esc(`${d ? d.object : 'interrupt'}: ${seen} of ${steps.length} hops seen${d ? ` (from #${steps[0].e?.seq ?? d.seq})` : ''}`)}</text>`);
    steps.forEach((s, i) => {
      const x0 = 5 + i * W;
      const e = s.e;
      out.push(`<g><title>${esc(e ? `#${e.seq} t=${e.time} ns [${e.layer}] ${e.actor ? e.actor + ': ' : ''}${describe(e)}${e.peer ? ` · peer ${e.peer}` : ''}` : `${s.title}: no such event in the trace`)}</title>`);
      out.push(`<rect x="${x0}" y="${y0}" width="${BOX}" height="58" rx="6" class="${e ? 'hop seen' : 'hop missing'}"/>`);
      out.push(`<text x="${x0 + BOX / 2}" y="${y0 + 16}" text-anchor="middle" class="hop-title">${esc(s.title)}</text>`);
      out.push(`<text x="${x0 + BOX / 2}" y="${y0 + 32}" text-anchor="middle" class="lbl">${esc(e ? cut(e.op, 24) : 'not seen')}</text>`);
      out.push(`<text x="${x0 + BOX / 2}" y="${y0 + 46}" text-anchor="middle" class="t">${esc(e ? cut(`${e.object} · ${time(e.time)}`, 26) : '')}</text></g>`);
      if (i + 1 < steps.length)
        out.push(`<line x1="${x0 + BOX}" y1="${y0 + 29}" x2="${x0 + W - 2}" y2="${y0 + 29}" class="${e && steps[i + 1].e ? 'msg' : 'msg missing'}" marker-end="url(#${id}-ah)"/>`);
    });
  });
  out.push('</svg>');
  if (anchors.length > IRQ_PATHS) out.push(`<p class="note">${anchors.length - IRQ_PATHS} further deliveries are not drawn (see the sequence diagram).</p>`);
  return out.join('\n');
}
