/**
 * global-components SerialServer: one physical console shared by several clients.
 *
 * Output (`processed_putchar`, `raw_putchar`: PutChar; `processed_batch`: Batch): each client's
 * characters go to the system serial output unmodified, with the client instance as the line's
 * source. UNCONFIRMED: the reference says nothing about how upstream marks each client's output
 * (prefix or colour), so the text is kept as the client wrote it and the client is recorded in
 * the SerialOutput source (op `processed_putchar` / `raw_putchar` in the trace). The batch buffer
 * (seL4SerialServer's per-client shared memory) is not built by instantiation: `batch()` is
 * traced as unmodelled.
 *
 * Input (platforms.md 3.3): input goes to client 0 (vm0) by default; after a newline (or at the
 * very start) the escape character `@` followed by `0`..`9` switches input to that client, `:`
 * and `;` to clients 10 and 11; `@m` sends input to every client (multi-client input), `@d`
 * changes the debug mode, `@?` prints help. The escape is only recognised after a newline.
 * Clients are numbered by their `<client>.serial_getchar_attributes` setting (x86
 * VM_PER_VM_CONFIG_DEF sets it to the VM number, reference A.15.1), else by connection order.
 * Client input is queued for `getchar()` unless a sink is attached (the x86 VMM's COM1).
 */
import type { BehaviourFactory, ComponentRuntime, ThreadContext } from '../runtime';
import { serveBadged } from './time-server';

export const SERIAL_ESCAPE = '@';
/** Clients reachable with `@0`..`@9`, `@:` and `@;`. */
export const SERIAL_MAX_CLIENTS = 12;

/**
 * The server's own messages. UNCONFIRMED wording, all of it (the reference names the commands
 * only); kept here in one place.
 */
export const SERIAL_MESSAGES = {
  switched: (n: number) => `Switching input to ${n}`,
  multi: 'Multi-client input to all clients',
  debug: (mode: number) => `Debug mode ${mode}`,
  help: (clients: number) => [
    ' --- SerialServer help ---',
    ` Escape char: ${SERIAL_ESCAPE}`,
    ` 0 - ${Math.min(clients, SERIAL_MAX_CLIENTS) - 1} switches input to that client (: and ; for 10 and 11)`,
    ' ?      shows this help',
    ' m      simultaneous multi-client input',
    ' d      switch between debugging modes',
  ],
} as const;

/** Debug modes `@d` cycles through. UNCONFIRMED count. */
export const SERIAL_DEBUG_MODES = 3;

export interface SerialInputClient {
  readonly name: string;
  input(text: string): void;
}

/** Client number of an escape character: `0`..`9`, `:` (10), `;` (11); undefined otherwise. */
export function escapeClient(c: string): number | undefined {
  const n = c.charCodeAt(0) - 48;
  return c.length === 1 && n >= 0 && n < SERIAL_MAX_CLIENTS ? n : undefined;
}

/** The input side of the serial server: escape recognition and routing. */
export class SerialInputSwitch {
  private state: 'line-start' | 'mid-line' | 'escape' = 'line-start';
  /** Client number input goes to, or 'all' after `@m`. */
  active: number | 'all' = 0;
  debug = 0;
  private pending = '';

  constructor(
    /** Index = client number; gaps allowed. */
    private readonly clients: readonly (SerialInputClient | undefined)[],
    /** Prints one of the server's own lines on the console. */
    private readonly say: (line: string) => void,
  ) {}

  /** Characters typed at the physical console. */
  type(text: string): void {
    for (const c of text) this.char(c);
    this.flush();
  }

  private give(c: string): void {
    this.pending += c;
  }

  private flush(): void {
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    if (this.active === 'all') for (const cl of this.clients) cl?.input(text);
    else this.clients[this.active]?.input(text);
  }

  private char(c: string): void {
    const newline = c === '\n' || c === '\r';
    if (this.state === 'escape') {
      const n = escapeClient(c);
      if (n !== undefined && this.clients[n]) {
        this.flush();
        this.active = n;
        this.say(SERIAL_MESSAGES.switched(n));
        this.state = 'line-start';
      } else if (c === 'm') {
        this.flush();
        this.active = 'all';
        this.say(SERIAL_MESSAGES.multi);
        this.state = 'line-start';
      } else if (c === 'd') {
        this.debug = (this.debug + 1) % SERIAL_DEBUG_MODES;
        this.say(SERIAL_MESSAGES.debug(this.debug));
        this.state = 'line-start';
      } else if (c === '?') {
        for (const l of SERIAL_MESSAGES.help(this.clients.length)) this.say(l);
        this.state = 'line-start';
      } else {
        // UNCONFIRMED: `@@` gives one `@`; any other character (or a client number with no
        // client) is passed on after the escape character, as typed.
        this.give(c === SERIAL_ESCAPE ? c : SERIAL_ESCAPE + c);
        this.state = newline ? 'line-start' : 'mid-line';
      }
      return;
    }
    if (this.state === 'line-start' && c === SERIAL_ESCAPE) {
      this.state = 'escape';
      return;
    }
    this.give(c);
    this.state = newline ? 'line-start' : 'mid-line';
  }
}

/** A running SerialServer: its input switch and the per-client input queues. */
export class SerialServerModel {
  readonly clients: { name: string; queue: string; sink?: (text: string) => void }[] = [];
  readonly input: SerialInputSwitch;
  constructor(
    readonly rt: ComponentRuntime,
    names: readonly (string | undefined)[],
  ) {
    names.forEach((n, i) => {
      if (n !== undefined) this.clients[i] = { name: n, queue: '' };
    });
    const views = this.clients.map((c) => (c ? { name: c.name, input: (t: string) => (c.sink ? c.sink(t) : (c.queue += t)) } : undefined));
    this.input = new SerialInputSwitch(views, (line) => rt.serial.write(rt.name, `${line}\n`, { op: 'serial_server' }));
  }

  /** Routes a client's input to `sink` (e.g. an x86 VMM's COM1) instead of its getchar queue. */
  attach(client: string, sink: (text: string) => void): void {
    const c = this.clients.find((x) => x?.name === client);
    if (!c) throw new Error(`${this.rt.name}: '${client}' is not a client of its getchar interface`);
    c.sink = sink;
  }

  /** Typing at the physical console. */
  type(text: string): void {
    this.input.type(text);
  }
}

const models = new WeakMap<ComponentRuntime, SerialServerModel>();

export function serialServerModel(rt: ComponentRuntime): SerialServerModel | undefined {
  return models.get(rt);
}

/** Client numbers: `serial_getchar_attributes` when it is a number, else the end's position. */
function inputClients(rt: ComponentRuntime): (string | undefined)[] {
  const h = rt.interfaces.get('getchar');
  if (!h || h.kind !== 'provides') return [];
  const out: (string | undefined)[] = [];
  h.connection.from.forEach((e, i) => {
    const a = e.instance.attributes.get(`${e.interface.name}_attributes`)?.value;
    const n = a?.kind === 'string' && /^\d+$/.test(a.value) ? Number(a.value) : i;
    if (n < SERIAL_MAX_CLIENTS && out[n] === undefined) out[n] = e.instance.name;
  });
  return out;
}


export const SerialServer: BehaviourFactory = (rt) => {
  const model = new SerialServerModel(rt, inputClients(rt));
  models.set(rt, model);
  const clientOf = (iface: string, badge: number) => rt.handle(iface, 'provides').connection.from[badge - 1]?.instance.name ?? `badge ${badge}`;
  const putchar = (iface: string) => (badge: number, _m: string, args: unknown[]) => {
    rt.serial.write(clientOf(iface, badge), String.fromCharCode(Number(args[0]) & 0xff), { op: iface, actor: `${rt.name}:${iface}__run` });
  };
  const handlers: Record<string, Parameters<typeof serveBadged>[3]> = {
    processed_putchar: putchar('processed_putchar'),
    raw_putchar: putchar('raw_putchar'),
    processed_batch: (badge) => {
      rt.kernel.trace.add('component', `${rt.name}:processed_batch__run`, 'batch', clientOf('processed_batch', badge), undefined, 'unmodelled: no shared batch buffer');
    },
    getchar: (badge) => {
      const c = model.clients.find((x) => x?.name === clientOf('getchar', badge));
      if (!c || !c.queue) return -1;
      const ch = c.queue.charCodeAt(0);
      c.queue = c.queue.slice(1);
      return ch;
    },
  };
  const served = Object.keys(handlers).filter((i) => rt.interfaces.get(i)?.kind === 'provides');
  const priority = rt.int('priority') ?? 254;
  return {
    threads: [
      {
        // post_init: the server needs its TimeServer (`timeout`, seL4TimeServer) before it serves.
        // UNCONFIRMED what upstream does with it at start (the reference shows only the
        // connection); modelled as reading the time, a call that needs a running TimeServer
        // and arms nothing (a periodic timer would keep a stuck system from ever deadlocking).
        // Without a working TimeServer the call never returns and no client is ever served.
        name: 'post_init',
        priority,
        *body(ctx: ThreadContext) {
          if (rt.interfaces.get('timeout')?.kind === 'uses') yield* ctx.call('timeout', 'time');
          for (const iface of served)
            rt.kernel.spawn({ name: `${rt.name}:${iface}__run`, priority, cspace: rt.cnode, vspace: rt.vspace }, (sys) => serveBadged(rt, sys, iface, handlers[iface]));
        },
      },
    ],
  };
};
