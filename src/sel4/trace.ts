/**
 * The single record of what happened in a simulated system. Every layer appends to the same
 * trace: the kernel model for each state-changing operation, and the VMM, guest and component
 * runtimes for their own steps, so that a report can draw one sequence diagram from guest process
 * to component. Steps assert on it; reports draw it; the deadlock report reads it.
 *
 * Determinism rule: an event holds only values derived from the simulation (virtual time, names
 * given at creation, badges, results), never wall-clock time or object identity, so the same inputs
 * and seed give the same trace byte for byte (see `serialise`).
 */

/** Who acted: the layer decides which lane of a sequence diagram the event is drawn in. */
export type TraceLayer = 'kernel' | 'machine' | 'vmm' | 'guest-kernel' | 'guest-process' | 'component' | 'harness';

export interface TraceEvent {
  /** Position in the trace, from 0. */
  readonly seq: number;
  /** Virtual time in nanoseconds since the system booted. */
  readonly time: number;
  readonly layer: TraceLayer;
  /** Name of the acting thread or process ("vm0:vcpu0", "guest:pid 42 consumes_event_wait"), or "" for none. */
  readonly actor: string;
  /** Operation name, in upstream vocabulary: "seL4_Signal", "seL4_Wait", "vmcall", "inject_irq", "ioctl"... */
  readonly op: string;
  /** The object acted on ("ntfn vm0.ready", "frame 0x1000@guest", "/dev/uio0"), or "" for none. */
  readonly object: string;
  /** A badge, value or message carried by the operation. */
  readonly value?: number | string;
  /** The outcome: "seL4_NoError", an seL4 error name, "blocked", "woke <thread>", ... */
  readonly result?: string;
  /** The other party when the event is a message between two actors (drawn as an arrow). */
  readonly peer?: string;
}

export type TraceInput = Omit<TraceEvent, 'seq' | 'time'>;

/**
 * Events are stored column-wise in a ring of at most `limit` entries, so that recording one
 * allocates no object (the kernel's signal/wait hand-off records two events and must stay cheap)
 * and dropping the oldest is O(1). `all()` builds the event objects on demand and keeps them
 * until the next record.
 */
export class Trace {
  private cap = 0;
  private head = 0;
  private count = 0;
  /** Upper bound on stored events; older ones are counted but not kept, so soak runs stay bounded. */
  private dropped = 0;
  private times = new Float64Array(0);
  private layers: TraceLayer[] = [];
  private actors: string[] = [];
  private ops: string[] = [];
  private objects: string[] = [];
  private values: (number | string | undefined)[] = [];
  private results: (string | undefined)[] = [];
  private peers: (string | undefined)[] = [];
  private cache: TraceEvent[] = [];

  constructor(
    private readonly now: () => number,
    readonly limit = 1_000_000,
  ) {}

  record(e: TraceInput): TraceEvent {
    this.add(e.layer, e.actor, e.op, e.object, e.value, e.result, e.peer);
    return this.at(this.count - 1);
  }

  /**
   * `record` without building an input object first (the kernel's hot path). Fields left
   * undefined are absent from the event, exactly as if `record` had not been given them.
   */
  add(layer: TraceLayer, actor: string, op: string, object: string, value?: number | string, result?: string, peer?: string): void {
    if (this.count === this.cap) {
      if (this.cap < this.limit) this.grow();
      else {
        this.head = this.head + 1 === this.cap ? 0 : this.head + 1;
        this.count--;
        this.dropped++;
      }
    }
    let i = this.head + this.count;
    if (i >= this.cap) i -= this.cap;
    this.times[i] = this.now();
    this.layers[i] = layer;
    this.actors[i] = actor;
    this.ops[i] = op;
    this.objects[i] = object;
    this.values[i] = value;
    this.results[i] = result;
    this.peers[i] = peer;
    this.count++;
  }

  private grow(): void {
    const cap = Math.min(this.limit, Math.max(1024, this.cap * 2));
    const order = (a: unknown[]) => a.slice(this.head, this.cap).concat(a.slice(0, this.head));
    const times = new Float64Array(cap);
    for (let j = 0; j < this.count; j++) times[j] = this.times[(this.head + j) % Math.max(1, this.cap)];
    this.times = times;
    this.layers = order(this.layers) as TraceLayer[];
    this.actors = order(this.actors) as string[];
    this.ops = order(this.ops) as string[];
    this.objects = order(this.objects) as string[];
    this.values = order(this.values) as (number | string | undefined)[];
    this.results = order(this.results) as (string | undefined)[];
    this.peers = order(this.peers) as (string | undefined)[];
    this.head = 0;
    this.cap = cap;
  }

  /** The j-th stored event (0 = oldest kept). */
  private at(j: number): TraceEvent {
    let i = this.head + j;
    if (i >= this.cap) i -= this.cap;
    const e: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = {
      seq: this.dropped + j,
      time: this.times[i],
      layer: this.layers[i],
      actor: this.actors[i],
      op: this.ops[i],
      object: this.objects[i],
    };
    if (this.values[i] !== undefined) e.value = this.values[i];
    if (this.results[i] !== undefined) e.result = this.results[i];
    if (this.peers[i] !== undefined) e.peer = this.peers[i];
    return e;
  }

  get length(): number {
    return this.count;
  }

  get droppedCount(): number {
    return this.dropped;
  }

  all(): readonly TraceEvent[] {
    const c = this.cache;
    const first = c.length ? c[0].seq : this.dropped;
    if (first < this.dropped) c.splice(0, Math.min(c.length, this.dropped - first));
    for (let j = c.length; j < this.count; j++) c.push(this.at(j));
    return c;
  }

  filter(pred: (e: TraceEvent) => boolean): TraceEvent[] {
    return this.all().filter(pred);
  }

  /** One JSON object per line, fields in a fixed order: byte-identical for identical runs. */
  serialise(): string {
    const ev = this.all();
    return ev.map((e) => JSON.stringify(e, TRACE_KEYS)).join('\n') + (ev.length ? '\n' : '');
  }
}

const TRACE_KEYS = ['seq', 'time', 'layer', 'actor', 'op', 'object', 'value', 'result', 'peer'];
