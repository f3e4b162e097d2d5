import type { SerialOutput } from '../camkes/runtime/serial';
import { serialServerModel, type SerialServerModel } from '../camkes/components';
import { consoleIsHvc } from '../guest/virtio/hvc-console';
import type { BuiltSystem, SystemVm } from './build';

/**
 * What a person at the board's serial port sees, per source (a guest console is the source named
 * after its VM): every byte written so far, including the line still open (a prompt has no
 * newline). SerialOutput keeps only completed lines, so the watch taps its `write` once per
 * system; the text is what was written, not what a trace says the guest did.
 */
export class ConsoleWatch {
  private readonly texts = new Map<string, SourceText>();

  private constructor(serial: SerialOutput) {
    const write = serial.write.bind(serial);
    serial.write = (source, t, opts) => {
      let text = this.texts.get(source);
      if (!text) this.texts.set(source, (text = new SourceText()));
      text.append(t);
      write(source, t, opts);
    };
  }

  /** The one watch of `serial` (installed at build time, so it sees the first byte). */
  static of(serial: SerialOutput): ConsoleWatch {
    let w = watches.get(serial);
    if (!w) watches.set(serial, (w = new ConsoleWatch(serial)));
    return w;
  }

  /** Everything `source` has written. */
  of(source: string): string {
    return this.texts.get(source)?.from(0) ?? '';
  }

  /** Characters `source` has written so far (a position to look after). */
  written(source: string): number {
    return this.texts.get(source)?.length ?? 0;
  }

  /** End of the first `needle` that `source` wrote at or after position `from`, or -1. */
  find(source: string, needle: string, from: number): number {
    return this.texts.get(source)?.find(needle, from) ?? -1;
  }
}

/** Text kept in blocks of about this many characters, each flat once searched. */
const BLOCK = 16 * 1024;

/**
 * One source's text. The operator asks "has the prompt appeared after the cursor?" at every kernel
 * step until it has, while output keeps arriving in small writes: searching one string grown by
 * concatenation would flatten (copy) everything written since boot on each question.
 * Closed blocks never change, and a repeated question searches only what arrived since it was
 * last asked, so the cost follows the new text, not the length of the session.
 */
class SourceText {
  private readonly blocks: string[] = [];
  private readonly starts: number[] = [];
  private closed = 0;
  private open = '';
  private lastNeedle = '';
  private lastFrom = -1;
  /** Where the last unsuccessful search of (lastNeedle, lastFrom) can resume. */
  private searchedTo = 0;

  get length(): number {
    return this.closed + this.open.length;
  }

  append(t: string): void {
    this.open += t;
    if (this.open.length >= BLOCK) {
      this.blocks.push(this.open);
      this.starts.push(this.closed);
      this.closed += this.open.length;
      this.open = '';
    }
  }

  /** The text from position `from` on. */
  from(from: number): string {
    if (from >= this.closed) return this.open.slice(from - this.closed);
    let i = this.blocks.length - 1;
    while (this.starts[i] > from) i--;
    let s = this.blocks[i].slice(from - this.starts[i]);
    for (let j = i + 1; j < this.blocks.length; j++) s += this.blocks[j];
    return s + this.open;
  }

  find(needle: string, from: number): number {
    let start = from;
    if (needle === this.lastNeedle && from === this.lastFrom) start = Math.max(from, this.searchedTo - needle.length + 1);
    const i = start >= this.length ? -1 : this.from(start).indexOf(needle);
    this.lastNeedle = needle;
    this.lastFrom = from;
    if (i < 0) {
      this.searchedTo = this.length;
      return -1;
    }
    this.searchedTo = from;
    return start + i + needle.length;
  }
}

const watches = new WeakMap<SerialOutput, ConsoleWatch>();

/**
 * Where typing for `vm` goes when its console is a virtio console served by a SerialServer: the
 * server's input switch and the client number `@N` selects (platforms.md 3.3). Undefined when the
 * VM reads the board's UART (x86 COM1, an Arm vUART) directly.
 */
export function serialInputOf(s: BuiltSystem, vm: string): { readonly server: string; readonly model: SerialServerModel; readonly client: number } | undefined {
  const server = s.virtio.consoleServers.get(vm);
  if (server === undefined) return undefined;
  const model = serialServerModel(s.sys.instances.get(server)!.runtime);
  const client = model?.clients.findIndex((c) => c?.name === vm) ?? -1;
  return model && client >= 0 ? { server, model, client } : undefined;
}

/**
 * Why `vm`'s console output does not reach the serial output, from how the system is wired: the
 * guest's `console=` against the devices its VMM has, and the serial server it would go through.
 * UNCONFIRMED wording (the model's own; upstream has nothing to say: the text simply never appears).
 */
export function consoleLostCause(s: BuiltSystem, vm: SystemVm): string {
  const hvc = consoleIsHvc(vm.vmm.vm.o.cmdline);
  if (!hvc) return `the guest's console is the board's UART, but nothing of it reached the serial output`;
  const server = s.virtio.consoleServers.get(vm.name);
  if (server === undefined) {
    const why = s.virtio.options.has('VmVirtioConsole') ? `${vm.name} has no seL4SerialServer connection from its batch interface` : `the app's settings do not enable VmVirtioConsole`;
    return `the guest's console (hvc0) is not connected to any serial device (${why})`;
  }
  const serving = s.sys.kernel.threads.some((t) => t.started && t.name.startsWith(`${server}:`) && t.name.endsWith('__run'));
  if (serving) return `the guest's console (hvc0) goes to the serial server '${server}', but its output never reached the serial output`;
  const said = s.sys.serial.lines.filter((l) => /time_?server/i.test(l.source)).map((l) => `"${l.text}"`);
  return `the guest's console (hvc0) goes to the serial server '${server}', which never started serving: it waits for its TimeServer first${said.length ? `, which printed ${said.join(', ')}` : ''}`;
}
