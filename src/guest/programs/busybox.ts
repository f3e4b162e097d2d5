/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { ENOENT, strerror } from '../kernel/errno';
import type { GuestStep } from '../kernel/kernel';
import type { Libc } from '../kernel/libc';
import type { ProgramMain } from '../kernel/system';
import { normalise, O_RDONLY, S_IFCHR } from '../kernel/vfs';
import { busyboxEcho } from '../shell/echo';
import { runTest } from '../shell/test-builtin';

/**
 * The busybox applets the documents and scripts use, with busybox's message wording
 * (`applet: message`, via bb_error_msg) and exit statuses.
 */
/**
 * The first line of an applet's usage text. UNCONFIRMED: the busybox version (buildroot
 * 2016.08 ships 1.25.0) and its build-date suffix, which the model leaves out.
 */
export const BUSYBOX_BANNER = 'BusyBox v1.25.0 multi-call binary.';

function* err(c: Libc, applet: string, msg: string): GuestStep<void> {
  yield* c.eprintf(`${applet}: ${msg}\n`);
}

function* readAll(c: Libc, fd: number): GuestStep<Uint8Array> {
  const out: number[] = [];
  for (;;) {
    const b = yield* c.read(fd, 4096);
    if (!b || !b.length) break;
    for (const x of b) out.push(x);
  }
  return Uint8Array.from(out);
}

function* cat(c: Libc, argv: string[]): GuestStep<number> {
  const files = argv.length > 1 ? argv.slice(1) : ['-'];
  let status = 0;
  for (const f of files) {
    const fd = f === '-' ? 0 : yield* c.open(f, O_RDONLY);
    if (fd < 0) {
      yield* err(c, 'cat', `can't open '${f}': ${strerror(c.errno)}`);
      status = 1;
      continue;
    }
    for (;;) {
      const b = yield* c.read(fd, 4096);
      if (!b) {
        yield* err(c, 'cat', `read error: ${strerror(c.errno)}`);
        status = 1;
        break;
      }
      if (!b.length) break;
      yield* c.write(1, b);
    }
    if (fd !== 0) yield* c.close(fd);
  }
  return status;
}

function* echo(c: Libc, argv: string[]): GuestStep<number> {
  return (yield* c.write(1, busyboxEcho(argv.slice(1)))) < 0 ? 1 : 0;
}

/** busybox sleep (FANCY_SLEEP): seconds, fractions and s/m/h/d suffixes, summed. */
function* sleep(c: Libc, argv: string[]): GuestStep<number> {
  if (argv.length < 2) {
    yield* c.eprintf(`${BUSYBOX_BANNER}\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n`);
    return 1;
  }
  let ns = 0;
  for (const a of argv.slice(1)) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      yield* err(c, 'sleep', `invalid number '${a}'`);
      return 1;
    }
    const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
    ns += Math.round(Number(m[1]) * mult * 1e9);
  }
  yield* c.nanosleep(ns);
  return 0;
}

function* mknod(c: Libc, argv: string[]): GuestStep<number> {
  const [, name, type, major, minor] = argv;
  if (!name || !type || (type !== 'p' && (major === undefined || minor === undefined))) {
    yield* c.eprintf(`${BUSYBOX_BANNER}\n\nUsage: mknod [-m MODE] NAME TYPE MAJOR MINOR\n\nCreate a special file (block, character, or pipe)\n\n\t-m MODE\tCreation mode (default a=rw)\nTYPE:\n\tb\tBlock device\n\tc or u\tCharacter device\n\tp\tNamed pipe (MAJOR and MINOR are ignored)\n`);
    return 1;
  }
  if (type !== 'c' && type !== 'u') {
    yield* err(c, 'mknod', `${name}: ${strerror(22)}`);
    return 1;
  }
  if ((yield* c.mknod(name, S_IFCHR | 0o666, Number(major), Number(minor))) < 0) {
    yield* err(c, 'mknod', `${name}: ${strerror(c.errno)}`);
    return 1;
  }
  return 0;
}

/** insmod FILE: init_module with the image; errors as busybox's moderror() words them. */
function* insmod(c: Libc, argv: string[]): GuestStep<number> {
  const file = argv[1];
  if (!file) {
    yield* c.eprintf(`${BUSYBOX_BANNER}\n\nUsage: insmod FILE [SYMBOL=VALUE]...\n\nLoad kernel module\n`);
    return 1;
  }
  const sys = c.p.sys;
  const node = sys.vfs.lookup(normalise(file, c.p.cwd));
  if (typeof node === 'number' || node.kind !== 'file') {
    yield* err(c, 'insmod', `can't insert '${file}': ${strerror(typeof node === 'number' ? -node : ENOENT)}`);
    return 1;
  }
  const mod = node.module ? sys.modules.get(node.module) : undefined;
  let r: number;
  if (!mod) r = -8;
  else if (sys.loaded.has(mod.name)) r = -17;
  else {
    r = yield* mod.init(sys);
    if (r >= 0) sys.loaded.add(mod.name);
  }
  c.p.sys.k.record('init_module', file, mod?.name ?? '', String(r));
  yield* c.p.sys.k.syscallExit();
  if (r < 0) {
    const text = r === -8 ? 'invalid module format' : r === -17 ? 'File exists' : strerror(-r);
    yield* err(c, 'insmod', `can't insert '${file}': ${text}`);
    return 1;
  }
  return 0;
}

function* dmesg(c: Libc): GuestStep<number> {
  yield* c.write(1, c.p.sys.k.log.dmesg());
  return 0;
}

function* truthy(): GuestStep<number> {
  return 0;
}

function* falsy(): GuestStep<number> {
  return 1;
}

function* test(c: Libc, argv: string[]): GuestStep<number> {
  let args = argv.slice(1);
  if (argv[0].endsWith('[')) {
    if (args[args.length - 1] !== ']') {
      yield* err(c, '[', 'missing ]');
      return 2;
    }
    args = args.slice(0, -1);
  }
  const r = runTest(args, (p) => c.stat(p));
  if (r.error) yield* err(c, argv[0], r.error);
  return r.status;
}

function* ls(c: Libc, argv: string[]): GuestStep<number> {
  const targets = argv.slice(1).filter((a) => !a.startsWith('-'));
  let status = 0;
  const out: string[] = [];
  for (const t of targets.length ? targets : ['.']) {
    const node = c.p.sys.vfs.lookup(normalise(t, c.p.cwd));
    if (typeof node === 'number') {
      yield* err(c, 'ls', `${t}: ${strerror(-node)}`);
      status = 1;
    } else if (node.kind === 'dir') out.push(...[...node.children.keys()].sort());
    else out.push(t);
  }
  if (out.length) yield* c.write(1, out.join(c.isatty(1) ? '  ' : '\n') + '\n');
  return status;
}

function* mount(c: Libc, argv: string[]): GuestStep<number> {
  const pos: string[] = [];
  let type: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '-t') type = argv[++i];
    else if (argv[i] === '-o') i++;
    else pos.push(argv[i]);
  }
  const target = pos[pos.length - 1];
  if (!type || !target) return 0;
  const sys = c.p.sys;
  const dir = sys.vfs.lookup(normalise(target, c.p.cwd));
  if (typeof dir === 'number' || dir.kind !== 'dir') {
    yield* err(c, 'mount', `mounting ${pos[0] ?? type} on ${target} failed: ${strerror(typeof dir === 'number' ? -dir : 20)}`);
    return 255;
  }
  if (type === 'devtmpfs') dir.mounted = sys.devtmpfs;
  return 0;
}

function* uname(c: Libc, argv: string[]): GuestStep<number> {
  const sys = c.p.sys;
  const machine = sys.k.machine.arch === 'x86' ? (sys.k.machine.wordBits === 64 ? 'x86_64' : 'i686') : sys.k.machine.wordBits === 64 ? 'aarch64' : 'armv7l';
  const flags = argv.slice(1).join('');
  let parts: string[];
  if (flags.includes('a')) parts = ['Linux', sys.hostname, sys.kernelVersion, '#1 SMP', machine, 'GNU/Linux'];
  else if (flags.includes('r')) parts = [sys.kernelVersion];
  else if (flags.includes('n')) parts = [sys.hostname];
  else if (flags.includes('m')) parts = [machine];
  else parts = ['Linux'];
  yield* c.write(1, parts.join(' ') + '\n');
  return 0;
}

function* grep(c: Libc, argv: string[]): GuestStep<number> {
  const args = argv.slice(1);
  const pattern = args.shift();
  if (pattern === undefined) {
    yield* c.eprintf(`${BUSYBOX_BANNER}\n\nUsage: grep [-HhnlLoqvsriwFE] [-m N] [-A/B/C N] PATTERN/-e PATTERN.../-f FILE [FILE]...\n`);
    return 2;
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern.replace(/\\([(){}|+?])/g, '$1'));
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
  let found = false;
  const files = args.length ? args : ['-'];
  for (const f of files) {
    const fd = f === '-' ? 0 : yield* c.open(f, O_RDONLY);
    if (fd < 0) {
      yield* err(c, 'grep', `${f}: ${strerror(c.errno)}`);
      continue;
    }
    const text = new TextDecoder().decode(yield* readAll(c, fd));
    if (fd !== 0) yield* c.close(fd);
    for (const line of text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined)) {
      if (re.test(line)) {
        found = true;
        yield* c.write(1, `${files.length > 1 ? `${f}:` : ''}${line}\n`);
      }
    }
  }
  return found ? 0 : 1;
}

function* mkdir(c: Libc, argv: string[]): GuestStep<number> {
  const parents = argv.includes('-p');
  for (const d of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const path = normalise(d, c.p.cwd);
    if (parents) c.p.sys.vfs.mkdirs(path);
    else {
      const r = c.p.sys.vfs.create(path, { kind: 'dir', children: new Map() });
      if (r < 0) {
        yield* err(c, 'mkdir', `can't create directory '${d}': ${strerror(-r)}`);
        return 1;
      }
    }
  }
  return 0;
}

function* lsmod(c: Libc): GuestStep<number> {
  const lines = [...c.p.sys.loaded].reverse().map((m) => `${m} 16384 0 - Live 0x00000000\n`);
  yield* c.write(1, lines.join(''));
  return 0;
}

/** Applet name -> [install directory, main], as buildroot's busybox installs them. */
export const BUSYBOX_APPLETS: ReadonlyMap<string, [string, ProgramMain]> = new Map<string, [string, ProgramMain]>([
  ['cat', ['/bin', cat]],
  ['echo', ['/bin', echo]],
  ['sleep', ['/bin', sleep]],
  ['mknod', ['/bin', mknod]],
  ['dmesg', ['/bin', dmesg]],
  ['true', ['/bin', truthy]],
  ['false', ['/bin', falsy]],
  ['ls', ['/bin', ls]],
  ['mount', ['/bin', mount]],
  ['uname', ['/bin', uname]],
  ['grep', ['/bin', grep]],
  ['mkdir', ['/bin', mkdir]],
  ['insmod', ['/sbin', insmod]],
  ['lsmod', ['/sbin', lsmod]],
  ['test', ['/usr/bin', test]],
  ['[', ['/usr/bin', test]],
]);
