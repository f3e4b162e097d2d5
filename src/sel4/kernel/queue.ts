/** An intrusive FIFO of threads, as seL4 links TCBs into endpoint, notification and ready queues. */
export interface Queued {
  qNext: Queued | null;
  qPrev: Queued | null;
  queue: TcbQueue<Queued> | null;
}

export class TcbQueue<T extends Queued> {
  head: T | null = null;
  tail: T | null = null;
  length = 0;

  append(t: T): void {
    t.queue = this as unknown as TcbQueue<Queued>;
    t.qNext = null;
    t.qPrev = this.tail;
    if (this.tail) this.tail.qNext = t;
    else this.head = t;
    this.tail = t;
    this.length++;
  }

  prepend(t: T): void {
    t.queue = this as unknown as TcbQueue<Queued>;
    t.qPrev = null;
    t.qNext = this.head;
    if (this.head) this.head.qPrev = t;
    else this.tail = t;
    this.head = t;
    this.length++;
  }

  remove(t: T): void {
    if (t.qPrev) t.qPrev.qNext = t.qNext;
    else this.head = t.qNext as T | null;
    if (t.qNext) t.qNext.qPrev = t.qPrev;
    else this.tail = t.qPrev as T | null;
    t.qNext = t.qPrev = null;
    t.queue = null;
    this.length--;
  }

  pop(): T | null {
    const t = this.head;
    if (t) this.remove(t);
    return t;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let t = this.head; t; t = t.qNext as T | null) out.push(t);
    return out;
  }
}
