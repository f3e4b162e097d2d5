import { TcbQueue } from './queue';
import type { TCB } from '../object/tcb';

export const NUM_PRIORITIES = 256;

/**
 * One core's ready queues: one FIFO per priority and a bitmap of the non-empty ones, as seL4's
 * ksReadyQueues/ksReadyQueuesL1Bitmap, so picking the highest priority is a few word tests.
 */
export class CoreQueues {
  private readonly queues: TcbQueue<TCB>[] = [];
  private readonly bitmap = new Uint32Array(NUM_PRIORITIES / 32);
  count = 0;
  /** The thread occupying the core for a `compute` interval, if any; nothing else runs meanwhile. */
  busy: TCB | null = null;

  constructor(readonly core: number) {
    for (let i = 0; i < NUM_PRIORITIES; i++) this.queues.push(new TcbQueue<TCB>());
  }

  /** seL4 tcbSchedEnqueue (head: woken threads) or tcbSchedAppend (tail: yield). */
  enqueue(t: TCB, atHead: boolean): void {
    const q = this.queues[t.priority];
    if (atHead) q.prepend(t);
    else q.append(t);
    this.bitmap[t.priority >> 5] |= 1 << (t.priority & 31);
    this.count++;
  }

  remove(t: TCB): void {
    const q = this.queues[t.priority];
    q.remove(t);
    if (!q.length) this.bitmap[t.priority >> 5] &= ~(1 << (t.priority & 31));
    this.count--;
  }

  /** The highest-priority ready thread, removed from its queue; null when none. */
  pick(): TCB | null {
    if (this.count === 0 || this.busy) return null;
    for (let w = this.bitmap.length - 1; w >= 0; w--) {
      const bits = this.bitmap[w];
      if (bits) {
        const prio = (w << 5) + 31 - Math.clz32(bits);
        const t = this.queues[prio].head!;
        this.remove(t);
        return t;
      }
    }
    return null;
  }

  has(): boolean {
    return this.count > 0 && this.busy === null;
  }
}
