import { basename } from 'node:path';
import { errorAt } from '../diagnostics';
import { buildSystem, type BuildOptions, type BuiltSystem } from './build';
import { DEFAULT_TIMEOUT_NS, Operator, type RunOutcome } from './operator';

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

/**
 * Builds the app, boots, logs in, runs each command; the console and the outcome. An app with no
 * VM (native components only) runs until its components can do nothing more.
 */
export function runApp(dir: string, o: RunAppOptions): RunAppResult {
  const system = buildSystem(dir, o);
  const outcome = system.vms.length ? new Operator(system, { commands: o.commands, timeoutNs: o.timeoutNs }).run() : runComponents(system, o);
  system.sys.serial.flush();
  return { system, outcome, console: system.sys.serial.lines.map((l) => l.text) };
}

/**
 * A system of native components only: there is no guest to type commands into. The components
 * run until every thread has finished or waits for something no one will send (a server waiting
 * for calls: the normal end of such an app), or until the virtual-time patience runs out.
 */
function runComponents(system: BuiltSystem, o: RunAppOptions): RunOutcome {
  if (o.commands.length) throw errorAt(system.app.rootPos, `app '${system.app.name}' has no VM (${basename(system.app.root)} declares none), so there is no guest shell to run --exec commands in; expected an app with a VM, or no --exec`);
  system.start();
  const k = system.sys.kernel;
  const r = k.run({ until: k.now + (o.timeoutNs ?? DEFAULT_TIMEOUT_NS) });
  if (r.reason === 'maxSteps') return { kind: 'timeout', waitingFor: 'the components to settle (they kept running without blocking)', commands: [] };
  return { kind: 'completed', commands: [] };
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
