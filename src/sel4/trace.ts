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

/** Events per storage chunk (a power of two: the slot of physical index p is chunk p >> 12, offset p & 4095). */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
/** Value column tag: the value is the number in `nums`. Any other tag >= 0 is an intern id; -1 is absent. */
const NUM = -2;
const NONE = -1;
/**
 * Ids handed out by `intern` start here and live in their own table, which `compact` never
 * rebuilds, so a caller can keep one for the life of the trace (a kernel object's name is fixed at
 * creation). Only values that stay bounded (constant op names, kernel object names) belong there.
 */
const PIN = 1 << 30;
/** `addIds` argument for an absent result or peer. */
export const TRACE_ABSENT = NONE;
/** Interned values kept before the table is rebuilt from the stored events, so a long run's memory stays bounded by the ring. */
const INTERN_COMPACT_AT = 1 << 18;

/**
 * One chunk of every column. Columns are allocated at their final length, so recording never
 * grows (and copies) a large array. Every column is a typed array of intern ids (or numbers):
 * a ring of a million events holding string pointers made each major GC mark millions of slots
 * and kept every overwritten value alive until then, which cost more than recording itself.
 */
class Chunk {
  readonly times = new Float64Array(CHUNK);
  readonly layers = new Int32Array(CHUNK);
  readonly actors = new Int32Array(CHUNK);
  readonly ops = new Int32Array(CHUNK);
  readonly objects = new Int32Array(CHUNK);
  readonly values = new Int32Array(CHUNK);
  readonly nums = new Float64Array(CHUNK);
  readonly results = new Int32Array(CHUNK);
  readonly peers = new Int32Array(CHUNK);
}

/**
 * Events are stored column-wise in a ring of at most `limit` entries, so that recording one
 * allocates no object (the kernel's signal/wait hand-off records two events and must stay cheap)
 * and dropping the oldest is O(1). The ring is split into fixed-size chunks allocated as the
 * trace fills. Strings (and any non-number value) are interned: columns hold small ids and the
 * strings are looked up only when `all()`/`event()`/`serialise()` build event objects.
 * `all()` builds the event objects on demand and keeps them until the next record.
 */
export class Trace {
  private head = 0;
  private count = 0;
  /** Upper bound on stored events; older ones are counted but not kept, so soak runs stay bounded. */
  private dropped = 0;
  private readonly chunks: Chunk[] = [];
  private cache: TraceEvent[] = [];
  /** Intern table: id -> value and value -> id (Map keys compare by SameValueZero; numbers never go here). */
  private strs: unknown[] = [];
  private ids = new Map<unknown, number>();
  private compactAt = INTERN_COMPACT_AT;
  private readonly pins: string[] = [];
  /** Per lasting layer id (less PIN): the sequence number of the layer's latest event. */
  private readonly lastOfLayer: number[] = [];
  private readonly pinIds = new Map<string, number>();
  private lastLayer: unknown = NONE;
  private lastLayerId = NONE;
  private lastActor: unknown = NONE;
  private lastActorId = NONE;
  private lastObject: unknown = NONE;
  private lastObjectId = NONE;

  constructor(
    private readonly now: () => number,
    readonly limit = 1_000_000,
  ) {}

  record(e: TraceInput): TraceEvent {
    this.add(e.layer, e.actor, e.op, e.object, e.value, e.result, e.peer);
    return this.at(this.count - 1);
  }

  private id(v: unknown): number {
    const id = this.ids.get(v);
    if (id !== undefined) return id;
    const n = this.strs.length;
    this.strs.push(v);
    this.ids.set(v, n);
    return n;
  }

  /**
   * A lasting id for `s`, for `addIds`: hot callers intern their constant strings once so that
   * recording does no table lookup for them.
   */
  intern(s: string): number {
    let id = this.pinIds.get(s);
    if (id === undefined) {
      id = PIN + this.pins.length;
      this.pins.push(s);
      this.pinIds.set(s, id);
    }
    return id;
  }

  /**
   * Changes whenever the non-lasting ids are renumbered (`compact`): an id from `idOf` stays
   * valid while `epoch` is what it was when the id was taken.
   */
  get epoch(): number {
    return this.compactions;
  }
  private compactions = 0;

  /**
   * The current id of `v` (taken now if new) for `addIds`, valid until `epoch` changes: for
   * values that are not bounded enough for `intern` (a guest process's name) but recur.
   */
  idOf(v: string): number {
    return this.id(v);
  }

  /** The value an id stands for (a lasting id, or one from `idOf` in the current epoch). */
  str(id: number): string {
    return (id >= PIN ? this.pins[id - PIN] : this.strs[id]) as string;
  }

  /**
   * `add` with layer, op and object given as ids from `intern`, and actor, result and peer given
   * either as such ids (`TRACE_ABSENT` for none) or as strings: the event stored is the one `add`
   * would store for the same strings.
   */
  addIds(layer: number, actor: number | string, op: number, object: number, value?: number | string, result?: number | string, peer?: number | string): void {
    const i = this.nextSlot();
    const c = this.chunks[i >>> CHUNK_BITS] ?? this.newChunk(i >>> CHUNK_BITS);
    const j = i & CHUNK_MASK;
    c.times[j] = this.now();
    c.layers[j] = layer;
    this.lastOfLayer[layer - PIN] = this.dropped + this.count;
    c.actors[j] = typeof actor === 'number' ? actor : actor === this.lastActor ? this.lastActorId : (this.lastActorId = this.id((this.lastActor = actor)));
    c.ops[j] = op;
    c.objects[j] = object;
    if (typeof value === 'number') {
      c.values[j] = NUM;
      c.nums[j] = value;
    } else c.values[j] = value === undefined ? NONE : this.id(value);
    c.results[j] = typeof result === 'number' ? result : result === undefined ? NONE : this.id(result);
    c.peers[j] = typeof peer === 'number' ? peer : peer === undefined ? NONE : this.id(peer);
    this.count++;
    // After storing, never before: ids a caller took with `idOf` for this event stay valid for it.
    if (this.strs.length >= this.compactAt) this.compact();
  }

  /**
   * `record` without building an input object first (the kernel's hot path). Fields left
   * undefined are absent from the event, exactly as if `record` had not been given them.
   */
  add(layer: TraceLayer, actor: string, op: string, object: string, value?: number | string, result?: string, peer?: string): void {
    const i = this.nextSlot();
    const c = this.chunks[i >>> CHUNK_BITS] ?? this.newChunk(i >>> CHUNK_BITS);
    const j = i & CHUNK_MASK;
    c.times[j] = this.now();
    // One-entry memos per column: consecutive events mostly share layer and actor, and comparing
    // with the last string is cheaper than hashing it into the intern table.
    // Layers are a fixed handful: lasting ids, so a reader can compare the column with `intern(layer)`.
    c.layers[j] = layer === this.lastLayer ? this.lastLayerId : (this.lastLayerId = this.intern((this.lastLayer = layer)));
    this.lastOfLayer[this.lastLayerId - PIN] = this.dropped + this.count;
    c.actors[j] = actor === this.lastActor ? this.lastActorId : (this.lastActorId = this.id((this.lastActor = actor)));
    c.ops[j] = this.id(op);
    c.objects[j] = object === this.lastObject ? this.lastObjectId : (this.lastObjectId = this.id((this.lastObject = object)));
    if (typeof value === 'number') {
      c.values[j] = NUM;
      c.nums[j] = value;
    } else c.values[j] = value === undefined ? NONE : this.id(value);
    c.results[j] = result === undefined ? NONE : this.id(result);
    c.peers[j] = peer === undefined ? NONE : this.id(peer);
    this.count++;
    if (this.strs.length >= this.compactAt) this.compact();
  }

  /** The ring slot of the event being recorded, dropping the oldest when the ring is full. */
  private nextSlot(): number {
    if (this.count === this.limit) {
      this.head = this.head + 1 === this.limit ? 0 : this.head + 1;
      this.count--;
      this.dropped++;
    }
    const i = this.head + this.count;
    return i >= this.limit ? i - this.limit : i;
  }

  /** Rebuilds the intern table from the stored events only, dropping values of overwritten events. */
  private compact(): void {
    const old = this.strs;
    this.strs = [];
    this.ids = new Map();
    const map = new Int32Array(old.length).fill(NONE);
    const re = (id: number) => (id < 0 || id >= PIN ? id : map[id] >= 0 ? map[id] : (map[id] = this.id(old[id])));
    for (let k = 0; k < this.count; k++) {
      let i = this.head + k;
      if (i >= this.limit) i -= this.limit;
      const c = this.chunks[i >>> CHUNK_BITS];
      const j = i & CHUNK_MASK;
      c.layers[j] = re(c.layers[j]);
      c.actors[j] = re(c.actors[j]);
      c.ops[j] = re(c.ops[j]);
      c.objects[j] = re(c.objects[j]);
      c.values[j] = re(c.values[j]);
      c.results[j] = re(c.results[j]);
      c.peers[j] = re(c.peers[j]);
    }
    this.compactAt = Math.max(INTERN_COMPACT_AT, 2 * this.strs.length);
    this.compactions++;
    this.lastLayer = this.lastActor = this.lastObject = NONE;
  }

  private newChunk(n: number): Chunk {
    while (this.chunks.length <= n) this.chunks.push(new Chunk());
    return this.chunks[n];
  }

  /** The j-th stored event (0 = oldest kept). */
  private at(j: number): TraceEvent {
    let i = this.head + j;
    if (i >= this.limit) i -= this.limit;
    const c = this.chunks[i >>> CHUNK_BITS];
    const k = i & CHUNK_MASK;
    const e: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = {
      seq: this.dropped + j,
      time: c.times[k],
      layer: this.str(c.layers[k]) as TraceLayer,
      actor: this.str(c.actors[k]) as string,
      op: this.str(c.ops[k]) as string,
      object: this.str(c.objects[k]) as string,
    };
    const v = c.values[k];
    if (v === NUM) e.value = c.nums[k];
    else if (v !== NONE && this.str(v) !== undefined) e.value = this.str(v) as string;
    if (c.results[k] !== NONE && this.str(c.results[k]) !== undefined) e.result = this.str(c.results[k]) as string;
    if (c.peers[k] !== NONE && this.str(c.peers[k]) !== undefined) e.peer = this.str(c.peers[k]) as string;
    return e;
  }

  /** Physical slot of the stored event with sequence number `seq`; throws if it is not stored. */
  private slotOf(seq: number): number {
    const j = seq - this.dropped;
    if (!(j >= 0 && j < this.count)) throw new RangeError(`trace event ${seq} is not stored (stored: ${this.dropped}..${this.dropped + this.count - 1})`);
    const i = this.head + j;
    return i >= this.limit ? i - this.limit : i;
  }

  /**
   * The layer of event `seq` without building the event: a reader scanning for a few events
   * (the operator watching for guest prompts) tests columns first and builds only matches.
   */
  layerAt(seq: number): TraceLayer {
    const i = this.slotOf(seq);
    return this.str(this.chunks[i >>> CHUNK_BITS].layers[i & CHUNK_MASK]) as TraceLayer;
  }

  /**
   * The first stored event at or after `from` and before `to` in the layer whose id
   * `intern(layer)` gave, or -1: a reader watching for a few events of one layer (the operator
   * waiting for its guest's prompts, at every kernel step) skips the rest without building them.
   */
  nextInLayer(from: number, to: number, layerId: number): number {
    if (!(this.lastOfLayer[layerId - PIN] >= from)) return -1;
    const end = Math.min(to, this.dropped + this.count);
    for (let seq = Math.max(from, this.dropped); seq < end; seq++) {
      let i = this.head + (seq - this.dropped);
      if (i >= this.limit) i -= this.limit;
      if (this.chunks[i >>> CHUNK_BITS].layers[i & CHUNK_MASK] === layerId) return seq;
    }
    return -1;
  }

  /** The actor of event `seq` (see `layerAt`). */
  actorAt(seq: number): string {
    const i = this.slotOf(seq);
    return this.str(this.chunks[i >>> CHUNK_BITS].actors[i & CHUNK_MASK]) as string;
  }

  /** The op of event `seq` (see `layerAt`). */
  opAt(seq: number): string {
    const i = this.slotOf(seq);
    return this.str(this.chunks[i >>> CHUNK_BITS].ops[i & CHUNK_MASK]);
  }

  /** Event `seq` as `all()` gives it. */
  event(seq: number): TraceEvent {
    this.slotOf(seq);
    const c = this.cache;
    if (c.length && c[0].seq <= seq && seq - c[0].seq < c.length) return c[seq - c[0].seq];
    return this.at(seq - this.dropped);
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
