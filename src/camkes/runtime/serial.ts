/**
 * The system's serial output: where native components' `printf` goes and where the VMM writes its
 * own messages and the guest console. One sink per simulated system; every writer names itself
 * (`source`: an instance name such as "print_server", or "vm0" for a guest console).
 *
 * Text is line-buffered per source, as C stdio on a serial console effectively is: a line is
 * emitted when its newline is written, stamped with the virtual time of that write. Each line is
 * also appended to the shared trace (layer given by the writer, op "printf" or the writer's op),
 * so a report shows console output in sequence with the kernel events around it.
 */
import type { Trace, TraceLayer } from '../../sel4';

export interface SerialLine {
  /** Virtual time (ns) at which the line was completed. */
  readonly time: number;
  readonly source: string;
  /** The line without its newline. */
  readonly text: string;
}

export interface SerialWriteOptions {
  /** Trace layer of the writer (default 'component'). */
  readonly layer?: TraceLayer;
  /** Trace op (default 'printf'). */
  readonly op?: string;
  /** Trace actor (default the source). */
  readonly actor?: string;
}

const NO_OPTIONS: SerialWriteOptions = Object.freeze({});

export class SerialOutput {
  private readonly partial = new Map<string, string>();
  private readonly all: SerialLine[] = [];
  private readonly listeners: ((l: SerialLine) => void)[] = [];

  constructor(
    private readonly now: () => number,
    private readonly trace?: Trace,
  ) {}

  /** Appends text from `source`; complete lines are emitted, the rest waits for its newline. */
  write(source: string, text: string, opts: SerialWriteOptions = NO_OPTIONS): void {
    let nl = text.indexOf('\n');
    const before = this.partial.get(source);
    if (nl < 0) {
      // No line ends here (a guest echoes typed input one byte at a time): only append, so a
      // long line is not re-split on every byte.
      this.partial.set(source, before ? before + text : text);
      return;
    }
    this.emit(source, before ? before + text.slice(0, nl) : text.slice(0, nl), opts);
    for (let start = nl + 1; ; start = nl + 1) {
      nl = text.indexOf('\n', start);
      if (nl < 0) {
        // Keep the map's entry once a source has one: clearing it is a store, deleting a reshape.
        if (start < text.length || before) this.partial.set(source, text.slice(start));
        return;
      }
      this.emit(source, text.slice(start, nl), opts);
    }
  }

  /** Emits a source's unterminated text as a line (end of run). */
  flush(source?: string): void {
    for (const [s, text] of [...this.partial]) {
      if ((source !== undefined && s !== source) || text === '') continue;
      this.partial.set(s, '');
      this.emit(s, text, {});
    }
  }

  private emit(source: string, text: string, opts: SerialWriteOptions): void {
    const line: SerialLine = { time: this.now(), source, text };
    this.all.push(line);
    this.trace?.add(opts.layer ?? 'component', opts.actor ?? source, opts.op ?? 'printf', 'serial', text);
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i](line);
  }

  /** Every completed line, in order. */
  get lines(): readonly SerialLine[] {
    return this.all;
  }

  /** Lines of one source (or all), text only. */
  textOf(source?: string): string[] {
    return this.all.filter((l) => source === undefined || l.source === source).map((l) => l.text);
  }

  /** Called for each completed line (e.g. a step waiting for a console line). */
  onLine(fn: (l: SerialLine) => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** `[  12.345678] source: text` per line (seconds of virtual time, 6 decimals). */
  render(): string {
    return this.all.map((l) => `[${(l.time / 1e9).toFixed(6).padStart(11)}] ${l.source}: ${l.text}\n`).join('');
  }
}
