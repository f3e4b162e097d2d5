import { buildSystem, type BuildOptions, type BuiltSystem } from './build';
import { Operator, type RunOutcome } from './operator';

/** `vmconf run` exit statuses beyond the shared ones (0 ok, 1 input error, 2 usage). */
export const EXIT_STATUS = {
  ok: 0,
  inputError: 1,
  usage: 2,
  /** A guest command exited non-zero. */
  commandFailed: 3,
  /** The VM died (the VMM's fatal message is on the console). */
  vmDied: 4,
  /** Nothing can run any more (a deadlock report was printed). */
  deadlock: 5,
  /** The operator's virtual-time patience ran out. */
  timeout: 6,
  /** The guest reached a prompt that never appeared on the serial output (its console goes nowhere). */
  consoleLost: 7,
} as const;

export interface RunAppOptions extends BuildOptions {
  readonly commands: readonly string[];
  readonly timeoutNs?: number;
}

export interface RunAppResult {
  readonly system: BuiltSystem;
  readonly outcome: RunOutcome;
  /** The serial console, line by line (guest, VMM and components interleaved as produced). */
  readonly console: readonly string[];
}

/** Builds the app, boots, logs in, runs each command; the console and the outcome. */
export function runApp(dir: string, o: RunAppOptions): RunAppResult {
  const system = buildSystem(dir, o);
  const outcome = new Operator(system, { commands: o.commands, timeoutNs: o.timeoutNs }).run();
  system.sys.serial.flush();
  return { system, outcome, console: system.sys.serial.lines.map((l) => l.text) };
}

export function exitStatus(o: RunOutcome): number {
  switch (o.kind) {
    case 'completed':
      return o.commands.every((c) => c.status === 0) ? EXIT_STATUS.ok : EXIT_STATUS.commandFailed;
    case 'vm-died':
      return EXIT_STATUS.vmDied;
    case 'deadlock':
      return EXIT_STATUS.deadlock;
    case 'timeout':
      return EXIT_STATUS.timeout;
    case 'console-lost':
      return EXIT_STATUS.consoleLost;
  }
}
