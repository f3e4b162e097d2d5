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

export class Trace {
  private readonly events: TraceEvent[] = [];
  /** Upper bound on stored events; older ones are counted but not kept, so soak runs stay bounded. */
  private dropped = 0;

  constructor(
    private readonly now: () => number,
    readonly limit = 1_000_000,
  ) {}

  record(e: TraceInput): TraceEvent {
    const ev: TraceEvent = { seq: this.events.length + this.dropped, time: this.now(), ...e };
    if (this.events.length >= this.limit) {
      this.events.shift();
      this.dropped++;
    }
    this.events.push(ev);
    return ev;
  }

  get length(): number {
    return this.events.length;
  }

  get droppedCount(): number {
    return this.dropped;
  }

  all(): readonly TraceEvent[] {
    return this.events;
  }

  filter(pred: (e: TraceEvent) => boolean): TraceEvent[] {
    return this.events.filter(pred);
  }

  /** One JSON object per line, fields in a fixed order: byte-identical for identical runs. */
  serialise(): string {
    return this.events.map((e) => JSON.stringify(e, TRACE_KEYS)).join('\n') + (this.events.length ? '\n' : '');
  }
}

const TRACE_KEYS = ['seq', 'time', 'layer', 'actor', 'op', 'object', 'value', 'result', 'peer'];
