/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { strerror } from '../kernel/errno';
import type { GuestStep } from '../kernel/kernel';
import { ProcessExit } from '../kernel/process';
import { normalise } from '../kernel/vfs';
import { busyboxEcho } from './echo';
import { execInProcess, LoopControl, ShellExit, type Shell } from './exec';
import { runTest } from './test-builtin';

export type Builtin = (sh: Shell, argv: string[]) => GuestStep<number>;

function* echo(sh: Shell, argv: string[]): GuestStep<number> {
  const n = yield* sh.c.write(1, busyboxEcho(argv.slice(1)));
  if (n < 0) {
    yield* sh.error(`write error: ${strerror(sh.c.errno)}`);
    return 1;
  }
  return 0;
}

function* test(sh: Shell, argv: string[]): GuestStep<number> {
  let args = argv.slice(1);
  if (argv[0] === '[') {
    if (args[args.length - 1] !== ']') {
      yield* sh.error('[: missing ]');
      return 2;
    }
    args = args.slice(0, -1);
  }
  const r = runTest(args, (p) => sh.c.stat(p));
  if (r.error) yield* sh.error(`${argv[0]}: ${r.error}`);
  return r.status;
}

function* cd(sh: Shell, argv: string[]): GuestStep<number> {
  const target = normalise(argv[1] ?? sh.vars.get('HOME') ?? '/', sh.p.cwd);
  const st = sh.c.stat(target);
  if (!st || st.kind !== 'dir') {
    yield* sh.error(`cd: can't cd to ${argv[1] ?? target}: ${st ? 'Not a directory' : 'No such file or directory'}`);
    return 2;
  }
  sh.p.cwd = target;
  sh.setVar('PWD', target);
  return 0;
}

function* pwd(sh: Shell): GuestStep<number> {
  yield* sh.c.write(1, `${sh.p.cwd}\n`);
  return 0;
}

function* exit(sh: Shell, argv: string[]): GuestStep<number> {
  throw new ProcessExit(argv[1] !== undefined ? Number(argv[1]) & 0xff : sh.lastStatus);
}

function* exportBuiltin(sh: Shell, argv: string[]): GuestStep<number> {
  for (const a of argv.slice(1)) {
    const eq = a.indexOf('=');
    if (eq >= 0) sh.setVar(a.slice(0, eq), a.slice(eq + 1), true);
    else sh.exported.add(a);
  }
  return 0;
}

function* unset(sh: Shell, argv: string[]): GuestStep<number> {
  for (const a of argv.slice(1)) {
    sh.vars.delete(a);
    sh.exported.delete(a);
  }
  return 0;
}

function* set(sh: Shell, argv: string[]): GuestStep<number> {
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (/^[-+][a-z]+$/.test(a)) {
      if (a.includes('e')) sh.errexit = a[0] === '-';
    } else break;
  }
  if (i < argv.length || argv.includes('--')) sh.cfg.positional = argv.slice(i);
  return 0;
}

function* shift(sh: Shell, argv: string[]): GuestStep<number> {
  const n = argv[1] ? Number(argv[1]) : 1;
  if (n > sh.cfg.positional.length) return 1;
  sh.cfg.positional = sh.cfg.positional.slice(n);
  return 0;
}

/** `wait` with no operand waits for every background job; the status is the last one's. */
function* wait(sh: Shell, argv: string[]): GuestStep<number> {
  const targets = argv.length > 1 ? argv.slice(1).map(Number) : [...sh.jobs];
  let status = 0;
  for (const pid of targets) {
    const r = yield* sh.c.waitpid(pid);
    sh.jobs = sh.jobs.filter((j) => j !== pid);
    status = r ? (r.status.signal ? 128 + r.status.signal : r.status.code) : 127;
  }
  return status;
}

function* exec(sh: Shell, argv: string[]): GuestStep<number> {
  const path = sh.findCommand(argv[1]);
  if (!path) {
    yield* sh.error(`exec: ${argv[1]}: not found`);
    throw new ShellExit(127);
  }
  const status = yield* execInProcess(sh.p, path, argv.slice(1), sh.env());
  throw new ProcessExit(status);
}

function* dot(sh: Shell, argv: string[]): GuestStep<number> {
  const file = argv[1];
  if (!file) return 0;
  const path = file.includes('/') ? file : sh.findCommand(file) ?? file;
  const fd = yield* sh.c.open(path, 0);
  if (fd < 0) {
    yield* sh.error(`.: can't open '${file}'`);
    throw new ShellExit(2);
  }
  const chunks: number[] = [];
  for (;;) {
    const b = yield* sh.c.read(fd, 65536);
    if (!b || !b.length) break;
    for (const x of b) chunks.push(x);
  }
  yield* sh.c.close(fd);
  return yield* sh.runScript(new TextDecoder().decode(Uint8Array.from(chunks)), path);
}

function* read(sh: Shell, argv: string[]): GuestStep<number> {
  const bytes: number[] = [];
  for (;;) {
    const b = yield* sh.c.read(0, 1);
    if (!b || !b.length) {
      if (!bytes.length) return 1;
      break;
    }
    if (b[0] === 10) break;
    bytes.push(b[0]);
  }
  const names = argv.slice(1).length ? argv.slice(1) : ['REPLY'];
  const words = new TextDecoder().decode(Uint8Array.from(bytes)).trim().split(/[ \t]+/);
  names.forEach((n, i) => sh.vars.set(n, i === names.length - 1 ? words.slice(i).join(' ') : words[i] ?? ''));
  return 0;
}

function* loopControl(_sh: Shell, argv: string[]): GuestStep<number> {
  throw new LoopControl(argv[0] === 'break' ? 'break' : 'continue', Math.max(1, Number(argv[1] ?? 1) || 1));
}

function* truthy(): GuestStep<number> {
  return 0;
}

function* falsy(): GuestStep<number> {
  return 1;
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [':', truthy], ['true', truthy], ['false', falsy], ['echo', echo], ['test', test], ['[', test],
  ['cd', cd], ['pwd', pwd], ['exit', exit], ['export', exportBuiltin], ['unset', unset], ['set', set],
  ['shift', shift], ['wait', wait], ['exec', exec], ['.', dot], ['source', dot], ['read', read],
  ['break', loopControl], ['continue', loopControl], ['trap', truthy],
]);
