import { KObject } from '../model/objects';
import type { TCB } from './tcb';

/**
 * MCS scheduling context: `budget` ns of execution every `period` ns. The model refills the
 * whole budget at each period boundary counted from configuration (a periodic server). seL4's
 * sporadic-server refills are finer grained; UNCONFIRMED that any scenario here depends on it.
 * Only `compute` consumes budget: everything else a thread does takes no virtual time.
 */
export class SchedContext extends KObject {
  readonly type = 'SchedContext';
  budget = 0;
  period = 0;
  remaining = 0;
  configuredAt = 0;
  badge = 0;
  tcb: TCB | null = null;

  /** The next replenishment time strictly after `now`. */
  nextRefill(now: number): number {
    if (this.period <= 0) return now;
    const n = Math.floor((now - this.configuredAt) / this.period) + 1;
    return this.configuredAt + n * this.period;
  }

  override finalise(): void {
    if (this.tcb) this.tcb.sc = null;
    this.tcb = null;
  }
}
