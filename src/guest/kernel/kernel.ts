import { done, doneValue, FINISHED, NOT_DONE, type Blocking, type Trace } from '../../sel4';
import type { GuestMachine } from '../../vmm/guest-machine';
import { consoleSettingsFor, KERN_EMERG, KernelLog } from './printk';
import type { Process } from './process';
import type { Irqchip } from './gic';

/**
 * The guest kernel's core: a cooperative scheduler running on the vCPU thread (the `boot`
 * generator), virtual-time timers, interrupt entry and the console output path.
 *
 * Processes are generators. A process that blocks at guest level yields SWITCH after putting
 * itself on a wait queue; every other value a process yields comes from a machine call (a VM exit
 * that blocks the vCPU) and is passed up unchanged, with the resume value passed back down.
 */
export const SWITCH: unique symbol = Symbol('guest.switch');
/** A guest computation: may yield SWITCH (guest-level block) or machine-level values. */
export type GuestStep<T> = Generator<unknown, T, unknown>;

export type IrqReturn = 'IRQ_NONE' | 'IRQ_HANDLED';
/** A handler runs in interrupt context: it may make machine calls, never sleep. */
export type IrqHandler = (line: number) => Blocking<IrqReturn>;
export const IRQF_SHARED = 0x80;
export const IRQF_NO_SUSPEND = 0x4000;

interface IrqAction {
  readonly handler: IrqHandler;
  readonly flags: number;
  readonly name: string;
  readonly devId: unknown;
}

export interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class WaitQueue {
  /** In the order they were added, each once (a queue rarely holds more than one or two). */
  private waiters: Process[] = [];
  /** The array `wakeUp` hands out, reused as the next `waiters` so waking allocates nothing. */
  private spare: Process[] = [];
  constructor(private readonly k: GuestKernel) {}
  add(p: Process): void {
    if (!this.waiters.includes(p)) this.waiters.push(p);
  }
  remove(p: Process): void {
    const i = this.waiters.indexOf(p);
    if (i >= 0) this.waiters.splice(i, 1);
  }
  get size(): number {
    return this.waiters.length;
  }
  /** wake_up_interruptible: every waiter becomes runnable and re-checks its condition. */
  wakeUp(): void {
    if (this.waiters.length === 0) return;
    const all = this.waiters;
    this.waiters = this.spare;
    for (let i = 0; i < all.length; i++) this.k.wake(all[i]);
    all.length = 0;
    this.spare = all;
  }
}

const IRQ_NAMES: string[] = [];

/** `irq <n>`, the object of an interrupt's trace event, built once per line. */
function irqName(line: number): string {
  return (IRQ_NAMES[line] ??= `irq ${line}`);
}

export class GuestKernel {
  readonly log: KernelLog;
  /** machine.now() when the kernel started: printk times count from here. */
  readonly bootNs: number;
  current: Process | null = null;
  readonly processes = new Map<number, Process>();
  private readonly runQueue: Process[] = [];
  private timers: Timer[] = [];
  private timerSeq = 0;
  private readonly irqs = new Map<number, IrqAction[]>();
  private readonly consoleOut: Uint8Array[] = [];
  private panicked = false;
  /** Interrupts per line that no handler claimed (Linux counts them in `irqs_unhandled`). */
  readonly unhandledIrqs = new Map<number, number>();

  constructor(readonly machine: GuestMachine, readonly trace?: Trace) {
    this.bootNs = machine.now();
    this.log = new KernelLog(consoleSettingsFor(machine.cmdline), (text) => this.consoleWrite(new TextEncoder().encode(text)));
  }

  /** Nanoseconds since the kernel started. */
  uptime(): number {
    return this.machine.now() - this.bootNs;
  }

  printk(level: number, text: string): void {
    this.log.printk(this.uptime(), level, text);
    this.trace?.add('guest-kernel', this.kernelActor, 'printk', '', text.replace(/\n$/, ''), `level ${level}`);
  }

  record(op: string, object: string, value?: number | string, result?: string): void {
    const t = this.trace;
    if (!t) return;
    const p = this.current;
    if (p) t.add('guest-process', p.traceActor(), op, object, value, result);
    else t.add('guest-kernel', this.kernelActor, op, object, value, result);
  }

  /**
   * `record` for the system calls every round trip makes: op and result as lasting ids
   * (`traceOp`, `traceResult`), the process named by its cached id. Recorded as `record` would.
   */
  recordIds(op: number, object: string, value: number | string | undefined, result: number): void {
    const t = this.trace;
    if (!t) return;
    const p = this.current;
    if (!p) return this.record(t.str(op), object, value, t.str(result));
    t.addIds((this.processLayerId ??= t.intern('guest-process')), p.traceActorId(t), op, t.idOf(object), value, result);
  }
  private processLayerId: number | undefined;

  /** A lasting trace id for a system call's name. */
  traceOp(name: string): number {
    return this.trace ? this.trace.intern(name) : -1;
  }

  private readonly resultIds: number[] = [];

  /** The trace id of a system call's result `String(r)`, for the event recorded next (small results are lasting and cached). */
  traceResult(r: number): number {
    const t = this.trace;
    if (!t) return -1;
    // Other results are unbounded: an id valid for the event being recorded now.
    if (!(Number.isInteger(r) && r >= -128 && r < 128)) return t.idOf(String(r));
    return (this.resultIds[r + 128] ??= t.intern(String(r)));
  }

  /** `<vm>:kernel`, the actor of the kernel's own trace events. */
  get kernelActor(): string {
    return (this.kernelActorName ??= `${this.machine.name}:kernel`);
  }
  private kernelActorName: string | undefined;

  /** Queues bytes for the console device; `flushConsole` writes them in order. */
  consoleWrite(bytes: Uint8Array): void {
    if (bytes.length) this.consoleOut.push(bytes);
  }

  /** Writes the queued console bytes; nothing queued completes at once (no generator). */
  flushConsole(): Blocking<void> {
    return this.consoleOut.length ? this.flushConsoleQueued() : FINISHED;
  }

  private *flushConsoleQueued(): Blocking<void> {
    while (this.consoleOut.length) {
      const chunk = this.consoleOut.shift()!;
      yield* this.machine.consoleWrite(chunk);
    }
  }

  // ---- timers (virtual time, absolute machine nanoseconds) ----

  addTimer(at: number, fn: () => void): Timer {
    const t: Timer = { at, seq: this.timerSeq++, fn, cancelled: false };
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1].at > at || (this.timers[i - 1].at === at && this.timers[i - 1].seq > t.seq))) i--;
    this.timers.splice(i, 0, t);
    return t;
  }

  cancelTimer(t: Timer | null | undefined): void {
    if (!t || t.cancelled) return;
    t.cancelled = true;
    const i = this.timers.indexOf(t);
    if (i >= 0) this.timers.splice(i, 1);
  }

  private runTimers(): void {
    const now = this.machine.now();
    while (this.timers.length && this.timers[0].at <= now) {
      const t = this.timers.shift()!;
      t.cancelled = true;
      t.fn();
    }
  }

  // ---- scheduling ----

  /** Makes a process runnable (used by spawn and by wake-ups). */
  enqueue(p: Process): void {
    p.state = 'runnable';
    this.runQueue.push(p);
  }

  wake(p: Process): void {
    if (p.state === 'sleeping') this.enqueue(p);
  }

  /** Blocks the current process until something wakes it. */
  *sleep(): GuestStep<void> {
    this.current!.state = 'sleeping';
    yield SWITCH;
  }

  /** Gives the CPU to the other runnable processes. */
  *yieldCpu(): GuestStep<void> {
    yield SWITCH;
  }

  /**
   * Sleeps on wait queues until woken or until `timeoutNs` passes (null: no timeout).
   * Returns false on timeout.
   */
  *sleepOn(queues: readonly WaitQueue[], timeoutNs: number | null): GuestStep<boolean> {
    if (timeoutNs === null) {
      this.sleepOnQueues(queues);
      yield SWITCH;
      this.leaveQueues(queues);
      return true;
    }
    const p = this.current!;
    for (let i = 0; i < queues.length; i++) queues[i].add(p);
    let timedOut = false;
    const timer = this.addTimer(this.machine.now() + timeoutNs, () => {
      timedOut = true;
      this.wake(p);
    });
    yield* this.sleep();
    for (const q of queues) q.remove(p);
    this.cancelTimer(timer);
    return !timedOut;
  }

  /**
   * `sleepOn` without a timeout, for a caller that suspends itself: the current process waits on
   * `queues`; the caller yields SWITCH next and, when it runs again, calls `leaveQueues`.
   */
  sleepOnQueues(queues: readonly WaitQueue[]): void {
    const p = this.current!;
    for (let i = 0; i < queues.length; i++) queues[i].add(p);
    p.state = 'sleeping';
  }

  leaveQueues(queues: readonly WaitQueue[]): void {
    const p = this.current!;
    for (let i = 0; i < queues.length; i++) queues[i].remove(p);
  }

  /** Sleeps for a virtual duration (nanosleep, and the model's boot work). */
  *delay(ns: number): GuestStep<void> {
    const p = this.current!;
    this.addTimer(this.machine.now() + ns, () => this.wake(p));
    yield* this.sleep();
  }

  // ---- interrupts ----

  /** The interrupt controller's driver (Arm: the GIC); null where lines need no unmasking (x86 PIC model). */
  irqchip: Irqchip | null = null;
  /** Lines requested but not yet unmasked: request_irq is synchronous here, MMIO is not. */
  private readonly toUnmask: number[] = [];

  /** request_irq: 0, or -EBUSY (16) when the line is taken and either side is not IRQF_SHARED. */
  requestIrq(line: number, handler: IrqHandler, flags: number, name: string, devId: unknown): number {
    const list = this.irqs.get(line) ?? [];
    if (list.length && (!(flags & IRQF_SHARED) || list.some((a) => !(a.flags & IRQF_SHARED)))) return -16;
    list.push({ handler, flags, name, devId });
    this.irqs.set(line, list);
    // irq_startup for the line's first action; done before the CPU next samples its interrupts.
    if (this.irqchip && list.length === 1) this.toUnmask.push(line);
    return 0;
  }

  freeIrq(line: number, devId: unknown): void {
    const list = this.irqs.get(line);
    if (!list) return;
    const i = list.findIndex((a) => a.devId === devId);
    if (i >= 0) list.splice(i, 1);
  }

  irqActions(line: number): readonly string[] {
    return (this.irqs.get(line) ?? []).map((a) => a.name);
  }

  /**
   * The CPU samples its interrupt input: acknowledge, run the line's handlers, end of interrupt.
   * When the machine says no acknowledge could deliver a line, nothing is called (no generator).
   */
  takeInterrupts(): Blocking<void> {
    if (this.noInterrupt()) return FINISHED;
    return this.toUnmask.length ? this.takeInterruptsNow() : this.takeInterruptsAtOnce();
  }

  /**
   * `takeInterruptsNow` for as long as every step completes at once (the usual case: one action
   * per line, a handler that makes no blocking exit): no generator. At the first step that would
   * block, the rest continues in a generator from exactly that point.
   */
  private takeInterruptsAtOnce(): Blocking<void> {
    for (;;) {
      const ack = this.machine.acknowledgeInterrupt();
      const line = doneValue(ack);
      if (line === NOT_DONE) return this.continueAfter(ack);
      if (line === null) return FINISHED;
      const list = this.irqs.get(line);
      if (!list || list.length !== 1) return this.continueAfter(done(line));
      const handling = list[0].handler(line);
      const r = doneValue(handling);
      if (r === NOT_DONE) return this.continueAfterHandler(line, handling);
      const eoi = this.handled(line, r === 'IRQ_HANDLED');
      if (eoi !== FINISHED && doneValue(eoi) === NOT_DONE) return this.continueAfterEoi(eoi);
    }
  }

  private *continueAfter(ack: Blocking<number | null>): Blocking<void> {
    const line = yield* ack;
    if (line === null) return;
    yield* this.takeInterrupt(line);
    yield* this.takeInterruptsNow();
  }

  private *continueAfterHandler(line: number, handling: Blocking<IrqReturn>): Blocking<void> {
    const r = yield* handling;
    yield* this.handled(line, r === 'IRQ_HANDLED');
    yield* this.takeInterruptsNow();
  }

  private *continueAfterEoi(eoi: Blocking<void>): Blocking<void> {
    yield* eoi;
    yield* this.takeInterruptsNow();
  }

  /** True when sampling the interrupt input would find nothing and change nothing. */
  private noInterrupt(): boolean {
    const m = this.machine;
    return this.toUnmask.length === 0 && m.interruptPossible !== undefined && !m.interruptPossible();
  }

  /** Trace ids of the interrupt event (layer, op, results, then `irq <n>` per line), interned on first use. */
  private irqIds: { readonly layer: number; readonly actor: number; readonly op: number; readonly handled: number; readonly none: number; readonly lines: number[] } | null = null;

  /** The `irq` event of every taken interrupt, recorded without a table lookup per field. */
  private traceIrq(t: Trace, line: number, handled: boolean): void {
    const ids = (this.irqIds ??= { layer: t.intern('guest-kernel'), actor: t.intern(this.kernelActor), op: t.intern('irq'), handled: t.intern('IRQ_HANDLED'), none: t.intern('IRQ_NONE'), lines: [] });
    const object = (ids.lines[line] ??= t.intern(irqName(line)));
    t.addIds(ids.layer, ids.actor, ids.op, object, line, handled ? ids.handled : ids.none);
  }

  private *takeInterruptsNow(): Blocking<void> {
    while (this.toUnmask.length) yield* this.irqchip!.unmask(this.toUnmask.shift()!);
    for (;;) {
      const line = yield* this.machine.acknowledgeInterrupt();
      if (line === null) return;
      yield* this.takeInterrupt(line);
    }
  }

  /** One acknowledged line: its handlers, then end of interrupt. */
  private *takeInterrupt(line: number): Blocking<void> {
    let handled = false;
    const list = this.irqs.get(line);
    if (list && list.length === 1) {
      // The usual case: one action, which a handler cannot remove from under this loop.
      if ((yield* list[0].handler(line)) === 'IRQ_HANDLED') handled = true;
    } else {
      for (const a of [...(list ?? [])]) {
        if ((yield* a.handler(line)) === 'IRQ_HANDLED') handled = true;
      }
    }
    yield* this.handled(line, handled);
  }

  /** After a line's handlers: count it if none claimed it, record it, end of interrupt. */
  private handled(line: number, handled: boolean): Blocking<void> {
    if (!handled) this.unhandledIrqs.set(line, (this.unhandledIrqs.get(line) ?? 0) + 1);
    if (this.trace) this.traceIrq(this.trace, line, handled);
    return this.machine.endOfInterrupt(line);
  }

  /** Return to user space: pending interrupts are taken and console output is written. */
  syscallExit(): Blocking<void> {
    return this.quietExit() ? FINISHED : this.syscallExitNow();
  }

  /** True when returning to user space has nothing to do (no interrupt, no console output). */
  quietExit(): boolean {
    return this.consoleOut.length === 0 && this.noInterrupt();
  }

  private *syscallExitNow(): Blocking<void> {
    yield* this.takeInterrupts();
    yield* this.flushConsole();
  }

  // ---- the CPU loop ----

  *run(): Blocking<void> {
    for (;;) {
      yield* this.takeInterrupts();
      this.runTimers();
      yield* this.flushConsole();
      const p = this.runQueue.shift();
      if (p) {
        // One process step, inline rather than a generator per step: the process runs until it
        // blocks at guest level (SWITCH) or exits; machine-level yields pass up unchanged.
        this.current = p;
        p.state = 'running';
        let input = p.resumeValue;
        p.resumeValue = undefined;
        let exited = false;
        for (;;) {
          const r = p.gen!.next(input);
          if (r.done) {
            this.current = null;
            p.finished(r.value);
            if (p.pid === 1) this.panic(`Attempted to kill init! exitcode=0x${(r.value << 8).toString(16).padStart(8, '0')}`);
            yield* this.flushConsole();
            exited = true;
            break;
          }
          if (r.value === SWITCH) break;
          input = yield r.value as void;
        }
        if (exited) continue;
        this.current = null;
        if (p.state === 'running') this.enqueue(p);
        continue;
      }
      if (this.panicked && !this.timers.length) {
        yield* this.machine.idle(null);
        continue;
      }
      yield* this.machine.idle(this.timers.length ? this.timers[0].at : null);
    }
  }

  panic(reason: string): void {
    this.printk(KERN_EMERG, `Kernel panic - not syncing: ${reason}\n`);
    this.panicked = true;
  }
}
