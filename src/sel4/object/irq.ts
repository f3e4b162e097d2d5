import type { SeL4ErrorName } from '../api/errors';
import { AllRights } from '../api/types';
import type { KernelCore } from '../kernel/core';
import { Cap, insertCap, type Slot } from '../model/cspace';
import { KObject } from '../model/objects';
import { sendSignal, type Notification } from './notification';

export type Trigger = 'level' | 'edge';

/** The IRQControl capability's object: one per kernel. */
export class IRQControl extends KObject {
  readonly type = 'IRQControl';
}

/**
 * One interrupt line's kernel state: whether a handler cap was issued (seL4 IRQSignal vs
 * IRQInactive), the notification it signals, whether the kernel has masked it awaiting Ack,
 * and the machine-side line state (level asserted, edge latched while masked).
 */
export class IRQLine extends KObject {
  readonly type = 'IRQHandler';
  trigger: Trigger = 'level';
  issued = false;
  ntfn: Cap | null = null;
  masked = true;
  asserted = false;
  /** An edge that arrived while masked; the controller keeps one, so further edges coalesce. */
  latched = false;
  constructor(
    id: number,
    readonly line: number,
    private readonly k: KernelCore,
  ) {
    super(id, `irq ${line}`);
  }
  override finalise(): void {
    this.issued = false;
    this.ntfn = null;
    this.masked = true;
    this.k.record('seL4_IRQHandler_Delete', this.name, this.line, 'seL4_NoError');
  }
}

/** Interrupt lines, created on first use so a 1020-line GIC costs nothing until touched. */
export class IRQTable {
  private readonly lines = new Map<number, IRQLine>();
  constructor(private readonly k: KernelCore) {}
  get(line: number): IRQLine {
    let l = this.lines.get(line);
    if (!l) {
      l = new IRQLine(this.k.objects.newId(), line, this.k);
      this.lines.set(line, l);
    }
    return l;
  }
  has(line: number): boolean {
    return Number.isInteger(line) && line >= 0 && line < this.k.cfg.irqLines;
  }
}

/** seL4_IRQControl_Get (and, on ARM, GetTrigger): one handler cap per line. */
export function irqControlGet(k: KernelCore, irqs: IRQTable, line: number, dest: Slot, trigger: Trigger): SeL4ErrorName {
  const op = 'seL4_IRQControl_Get';
  let r: SeL4ErrorName = 'seL4_NoError';
  if (!irqs.has(line)) r = 'seL4_RangeError';
  else if (irqs.get(line).issued) r = 'seL4_RevokeFirst';
  else if (dest.cap) r = 'seL4_DeleteFirst';
  if (r === 'seL4_NoError') {
    const l = irqs.get(line);
    l.issued = true;
    l.trigger = trigger;
    l.masked = false;
    insertCap(dest, new Cap(l, AllRights), null);
  }
  k.record(op, `irq ${line}`, line, r);
  return r;
}

/** seL4_IRQHandler_SetNotification: the badge of the given cap is what the signal carries. */
export function irqSetNotification(k: KernelCore, l: IRQLine, ntfn: Cap | null): SeL4ErrorName {
  if (ntfn && (ntfn.object.type !== 'Notification' || !ntfn.rights.write)) {
    k.record('seL4_IRQHandler_SetNotification', l.name, undefined, 'seL4_InvalidCapability');
    return 'seL4_InvalidCapability';
  }
  l.ntfn = ntfn;
  k.record(ntfn ? 'seL4_IRQHandler_SetNotification' : 'seL4_IRQHandler_Clear', l.name, ntfn?.badge, 'seL4_NoError', ntfn?.object.name);
  return 'seL4_NoError';
}

/** seL4_IRQHandler_Ack: unmasks; a level line still asserted or an edge latched meanwhile fires again. */
export function irqAck(k: KernelCore, l: IRQLine): SeL4ErrorName {
  l.masked = false;
  k.record('seL4_IRQHandler_Ack', l.name, l.line, 'seL4_NoError');
  if (l.trigger === 'level' ? l.asserted : l.latched) {
    l.latched = false;
    deliver(k, l);
  }
  return 'seL4_NoError';
}

/** The machine raised the line's interrupt at the controller: seL4 handleInterrupt. */
export function deliver(k: KernelCore, l: IRQLine): void {
  if (l.masked) {
    if (l.trigger === 'edge') l.latched = true;
    k.trace.add('machine', k.actor, 'irq', l.name, l.line, 'masked');
    return;
  }
  // Whatever happens next, the kernel masks the line until user level acknowledges it.
  l.masked = true;
  if (!l.issued) {
    // UNCONFIRMED wording (seL4 src/kernel handleInterrupt, CONFIG_IRQ_REPORTING).
    k.printf(`Received disabled IRQ: ${l.line}`);
    return;
  }
  const cap = l.ntfn;
  if (cap && cap.object.capCount > 0) {
    k.trace.add('machine', k.actor, 'irq', l.name, l.line, 'delivered', cap.object.name);
    sendSignal(k, cap.object as Notification, cap.badge);
  } else {
    // UNCONFIRMED wording, as above.
    k.printf(`Undelivered IRQ: ${l.line}`);
  }
}

/** Machine side: the device model drives the line. */
export function setLine(k: KernelCore, l: IRQLine, level: boolean): void {
  const rising = level && !l.asserted;
  l.asserted = level;
  k.trace.add('machine', k.actor, level ? 'irq_assert' : 'irq_deassert', l.name, l.line);
  if (rising) deliver(k, l);
}

export function pulseLine(k: KernelCore, l: IRQLine): void {
  k.trace.add('machine', k.actor, 'irq_pulse', l.name, l.line);
  deliver(k, l);
}
