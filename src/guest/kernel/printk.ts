/**
 * The kernel log: records with a level and a timestamp from virtual time since boot, the console
 * loglevel filter and Linux 4.x's console behaviour for records without a trailing newline.
 */

export const KERN_EMERG = 0;
export const KERN_ALERT = 1;
export const KERN_CRIT = 2;
export const KERN_ERR = 3;
export const KERN_WARNING = 4;
export const KERN_NOTICE = 5;
export const KERN_INFO = 6;
export const KERN_DEBUG = 7;
/** MESSAGE_LOGLEVEL_DEFAULT: the level of a printk that names none (`connection.ko`). */
export const DEFAULT_MESSAGE_LEVEL = KERN_WARNING;
/** CONSOLE_LOGLEVEL_DEFAULT; `debug` gives 10 and `quiet` 4 (init/main.c). */
export const DEFAULT_CONSOLE_LOGLEVEL = 7;
/**
 * CONFIG_PRINTK_TIME. The x86 transcripts show timestamps; for the Arm guest kernels it is
 * UNCONFIRMED, and this model shows them there too.
 */
export const PRINTK_TIME_DEFAULT = true;

export interface LogRecord {
  /** Nanoseconds since the guest kernel started. */
  readonly time: number;
  readonly level: number;
  readonly text: string;
  /** False for a format without a trailing newline. */
  readonly newline: boolean;
}

/** `[%5lu.%06lu] ` as print_time() writes it. */
export function formatTimestamp(ns: number): string {
  const us = Math.floor(ns / 1000);
  const sec = Math.floor(us / 1_000_000);
  const frac = us % 1_000_000;
  return `[${String(sec).padStart(5, ' ')}.${String(frac).padStart(6, '0')}] `;
}

export interface ConsoleSettings {
  loglevel: number;
  time: boolean;
}

/** The console settings a kernel command line gives (`debug`, `quiet`, `loglevel=N`, `printk.time=`). */
export function consoleSettingsFor(cmdline: string): ConsoleSettings {
  const s: ConsoleSettings = { loglevel: DEFAULT_CONSOLE_LOGLEVEL, time: PRINTK_TIME_DEFAULT };
  for (const arg of cmdline.split(/\s+/)) {
    if (arg === 'debug') s.loglevel = 10;
    else if (arg === 'quiet') s.loglevel = 4;
    else if (arg.startsWith('loglevel=') && /^\d+$/.test(arg.slice(9))) s.loglevel = Number(arg.slice(9));
    else if (arg.startsWith('printk.time=')) s.time = /^(1|y|Y)/.test(arg.slice(12));
  }
  return s;
}

export class KernelLog {
  readonly records: LogRecord[] = [];
  /** The last record on the console lacked its newline; the next record writes it first. */
  private openLine = false;

  constructor(
    readonly settings: ConsoleSettings,
    private readonly console: (text: string) => void,
  ) {}

  printk(time: number, level: number, text: string): void {
    const newline = text.endsWith('\n');
    const body = newline ? text.slice(0, -1) : text;
    this.records.push({ time, level, text: body, newline });
    if (level >= this.settings.loglevel) return;
    let out = this.openLine ? '\n' : '';
    out += (this.settings.time ? formatTimestamp(time) : '') + body + (newline ? '\n' : '');
    this.openLine = !newline;
    this.console(out);
  }

  /** What `dmesg` prints: every record with its timestamp, one per line. */
  dmesg(): string {
    return this.records.map((r) => (this.settings.time ? formatTimestamp(r.time) : '') + r.text + '\n').join('');
  }
}
