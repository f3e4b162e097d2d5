import { existsSync, statSync, writeFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { Command } from '../command';
import { EXIT } from '../command';
import { errorAt } from '../../diagnostics';
import { listBoards } from '../../platform';
import { EXIT_STATUS, exitStatus, runApp } from '../../system';

const USAGE = `usage: vmconf run <app-dir> --platform <board> [--exec "<guest command>"]... [--seed N] [--trace <file.json>] [--timeout <seconds>] [--num-nodes N]

Builds the app (app.yaml, its root .camkes, VMM glue and native components), boots its guest on
the simulated board, runs the init scripts, logs in at the serial console (root / root) and types
each --exec command at the # prompt, waiting for it to finish. Prints the serial console: guest
output, VMM messages and native components' printf share it, as on hardware. An app with no VM
runs its native components until they can do nothing more (--exec is then an error).

options:
  --platform <board>   board from platforms/ (required)
  --exec "<command>"   a guest shell command; repeat for several, run in order
  --seed N             seed for the choices the simulation leaves open (default 1)
  --trace <file.json>  write the whole trace as a JSON array (never one of the app's files)
  --timeout <seconds>  virtual seconds to wait for each prompt (default 600)
  --num-nodes N        the build's NUM_NODES (-DNUM_NODES=N; default: the app's settings.cmake):
                       KernelMaxNumNodes and so how many vCPUs an SMP guest can bring up

exit status:
  ${EXIT_STATUS.ok}  every command exited 0
  ${EXIT_STATUS.inputError}  input rejected (diagnostics printed as path:line:col: error: ...)
  ${EXIT_STATUS.usage}  usage error
  ${EXIT_STATUS.commandFailed}  a guest command exited non-zero
  ${EXIT_STATUS.vmDied}  the VM died (the VMM's fatal message is on the console)
  ${EXIT_STATUS.deadlock}  nothing can run any more (a deadlock report is printed on stderr)
  ${EXIT_STATUS.timeout}  a prompt did not come within the virtual timeout
  ${EXIT_STATUS.consoleLost}  the guest reached a prompt that never appeared on the serial output (the cause is printed)
`;

interface Args {
  dir: string;
  board: string;
  exec: string[];
  seed: number;
  trace?: string;
  timeout: number;
  numNodes?: string;
}

function parse(argv: string[]): Args | string {
  const a: Partial<Args> & { exec: string[] } = { exec: [], seed: 1, timeout: 600 };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const val = () => (i + 1 < argv.length ? argv[++i] : undefined);
    if (x === '--platform') a.board = val();
    else if (x === '--exec') {
      const v = val();
      if (v === undefined) return '--exec needs a command';
      a.exec.push(v);
    } else if (x === '--seed') {
      const v = Number(val());
      if (!Number.isInteger(v)) return '--seed needs an integer';
      a.seed = v;
    } else if (x === '--trace') a.trace = val();
    else if (x === '--timeout') {
      const v = Number(val());
      if (!(v > 0)) return '--timeout needs a positive number of seconds';
      a.timeout = v;
    } else if (x === '--num-nodes') {
      const v = val();
      if (v === undefined) return '--num-nodes needs a value';
      // Passed through as text: the build's own rule decides what a non-number means (upstream
      // takes NUM_NODES only when it is a plain decimal number, else 1).
      a.numNodes = v;
    } else if (x.startsWith('-')) return `unknown option '${x}'`;
    else if (a.dir === undefined) a.dir = x;
    else return `unexpected argument '${x}'`;
  }
  if (a.dir === undefined) return 'expected an app directory';
  if (a.board === undefined) return 'expected --platform <board>';
  if (a.trace === '') return '--trace needs a file name';
  return a as Args;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'build an app, boot its guest, log in and run guest commands at the serial console',
  usage: USAGE,
  async run(argv, io) {
    const a = parse(argv);
    if (typeof a === 'string') {
      io.err(`vmconf run: error: ${a}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const cl = { file: '<command line>', line: 1, col: 1 };
    if (!listBoards().includes(a.board)) throw errorAt(cl, `unknown board '${a.board}'; known boards: ${listBoards().join(', ')}`);
    const dir = resolve(a.dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw errorAt(cl, `app directory '${a.dir}' not found`);
    if (a.trace !== undefined) {
      const t = resolve(a.trace);
      const rel = relative(dir, t);
      const inside = rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
      if (inside && existsSync(t)) throw errorAt(cl, `refusing to write the trace to '${a.trace}': it is one of the app's files`);
    }
    const r = runApp(dir, { board: a.board, seed: a.seed, commands: a.exec, timeoutNs: a.timeout * 1e9, numNodes: a.numNodes });
    io.out(r.console.map((l) => l + '\n').join(''));
    const o = r.outcome;
    if (o.kind === 'deadlock') io.err(`vmconf run: nothing can run any more ${o.report}`);
    else if (o.kind === 'timeout') io.err(`vmconf run: timed out after ${a.timeout} s of virtual time waiting for ${o.waitingFor}\n`);
    else if (o.kind === 'vm-died') io.err(`vmconf run: ${o.vm} died: ${o.reason}\n`);
    else if (o.kind === 'console-lost') io.err(`vmconf run: ${o.vm} is waiting at ${o.waitingFor}, but it never appeared on the serial output: ${o.cause}\n`);
    else for (const c of o.commands) if (c.status !== 0) io.err(`vmconf run: \`${c.line}\` exited with status ${c.status}\n`);
    if (a.trace !== undefined) writeFileSync(resolve(a.trace), JSON.stringify(r.system.sys.kernel.trace.all()) + '\n');
    return exitStatus(o);
  },
};
