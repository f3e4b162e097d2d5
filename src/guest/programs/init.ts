import { DiagnosticError } from '../../diagnostics';
import type { GuestStep } from '../kernel/kernel';
import type { Libc } from '../kernel/libc';
import { spawnProcess, type Process } from '../kernel/process';
import { ECHO, TCGETS, TCSETS } from '../kernel/tty';
import { parseShell } from '../shell/parser';
import { Shell } from '../shell/exec';
import { execProgram } from './exec';

/**
 * Boot-time user space: busybox `sh`, `init` (buildroot's inittab reduced to its effect: run
 * /etc/init.d/rcS, then respawn getty on the console), `getty` and `login`.
 */

/** Virtual time init spends before rcS (mounts, hostname) and login's delay after a bad password. */
export const INIT_TIMING = { beforeRcS: 150_000_000, loginFailDelay: 3_000_000_000 };

function* readLine(c: Libc): GuestStep<string | null> {
  const r = yield* c.read(0, 1024);
  if (!r || !r.length) return null;
  return new TextDecoder().decode(r);
}

export function* sh(c: Libc, argv: string[]): GuestStep<number> {
  const p = c.p;
  if (argv[1] === '-c' && argv[2] !== undefined) {
    const shell = new Shell(p, { arg0: argv[3] ?? argv[0], interactive: false, positional: argv.slice(4) });
    return yield* shell.runScript(argv[2], '-c');
  }
  if (argv.length > 1 && !argv[1].startsWith('-')) {
    const fd = yield* c.open(argv[1], 0);
    if (fd < 0) {
      yield* c.eprintf(`${argv[0]}: can't open '${argv[1]}'\n`);
      return 127;
    }
    const bytes: number[] = [];
    for (;;) {
      const b = yield* c.read(fd, 65536);
      if (!b || !b.length) break;
      for (const x of b) bytes.push(x);
    }
    yield* c.close(fd);
    const shell = new Shell(p, { arg0: argv[1], interactive: false, positional: argv.slice(2) });
    return yield* shell.runScript(new TextDecoder().decode(Uint8Array.from(bytes)), argv[1]);
  }
  return yield* interactive(p, argv[0]);
}

/** The interactive shell: prompt on stderr (as ash writes it), one input line at a time. */
function* interactive(p: Process, arg0: string): GuestStep<number> {
  const c = p.libc;
  const shell = new Shell(p, { arg0, interactive: true, positional: [] });
  // buildroot's /etc/profile gives root the `# ` prompt.
  if (!shell.vars.has('PS1')) shell.setVar('PS1', '# ');
  for (;;) {
    yield* c.write(2, shell.vars.get('PS1') ?? '# ');
    p.sys.k.record('shell-prompt', '/dev/console', shell.lastStatus);
    p.sys.notify({ kind: 'phase', phase: 'shell' });
    let text = '';
    for (;;) {
      const line = yield* readLine(c);
      if (line === null && text === '') return shell.lastStatus;
      // ash's parser reads its input as a stream: a line longer than one read is still one
      // command, complete only at its newline (or at end of input).
      const eof = line === null;
      if (!eof) text += line;
      if (!eof && !text.endsWith('\n')) continue;
      let prog;
      if (!eof && openHeredoc(text)) {
        yield* c.write(2, shell.vars.get('PS2') ?? '> ');
        continue;
      }
      try {
        prog = parseShell(text, arg0);
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
        const msg = e.diagnostics[0].message;
        if (!eof && /end of file|unterminated|EOF in/.test(msg)) {
          yield* c.write(2, shell.vars.get('PS2') ?? '> ');
          continue;
        }
        yield* shell.error(msg);
        shell.lastStatus = 2;
        break;
      }
      yield* shell.runProgram(prog);
      break;
    }
    const lineText = text.replace(/\n$/, '');
    p.sys.k.record('command-done', lineText, shell.lastStatus);
    p.sys.notify({ kind: 'command', line: lineText, status: shell.lastStatus });
  }
}

/** True while a here-document's delimiter line has not been typed yet (ash keeps reading). */
function openHeredoc(text: string): boolean {
  const lines = text.split('\n');
  const re = /<<(-?)\s*(['"]?)([A-Za-z_0-9]+)\2/g;
  for (let i = 0; i < lines.length; i++) {
    for (const m of lines[i].matchAll(re)) {
      const strip = m[1] === '-';
      if (!lines.slice(i + 1).some((l) => (strip ? l.replace(/^\t+/, '') : l) === m[3])) return true;
    }
  }
  return false;
}

/** busybox init with buildroot's inittab: sysinit rcS, then `ttyS0::respawn:/sbin/getty ...`. */
export function* init(c: Libc): GuestStep<number> {
  const p = c.p;
  yield* c.nanosleep(INIT_TIMING.beforeRcS);
  const rcs = spawnProcess(p.sys, p, 'rcS', p.fds, (cp) => execPath(cp, '/etc/init.d/rcS', ['/etc/init.d/rcS']), p.env);
  yield* c.waitpid(rcs.pid);
  for (;;) {
    const getty = spawnProcess(p.sys, p, 'getty', p.fds, (cp) => execPath(cp, '/sbin/getty', ['/sbin/getty', '-L', 'ttyS0', '115200', 'vt100']), p.env);
    yield* c.waitpid(getty.pid);
  }
}

function execPath(p: Process, path: string, argv: string[]): GuestStep<number> {
  return execProgram(p, path, argv, p.env);
}

export function* getty(c: Libc): GuestStep<number> {
  const sys = c.p.sys;
  const issue = sys.vfs.lookup('/etc/issue');
  const text = typeof issue !== 'number' && issue.kind === 'file' ? new TextDecoder().decode(issue.data) : '';
  // print_login_issue starts a new line ("\r\n"; the model's tty has no CR) before /etc/issue.
  yield* c.write(1, `\n${text}`);
  for (;;) {
    yield* c.write(1, `${sys.hostname} login: `);
    sys.k.record('login-prompt', '/dev/console');
    sys.notify({ kind: 'phase', phase: 'login' });
    const line = yield* readLine(c);
    if (line === null) return 0;
    const name = line.replace(/\n$/, '').trim();
    if (!name) continue;
    return yield* execPath(c.p, '/bin/login', ['/bin/login', '--', name]);
  }
}

export function* login(c: Libc, argv: string[]): GuestStep<number> {
  const sys = c.p.sys;
  let user: string | null = argv[argv.length - 1] === '--' || argv.length < 2 ? null : argv[argv.length - 1];
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!user) {
      yield* c.write(1, `${sys.hostname} login: `);
      sys.k.record('login-prompt', '/dev/console');
      sys.notify({ kind: 'phase', phase: 'login' });
      const l = yield* readLine(c);
      if (l === null) return 1;
      user = l.replace(/\n$/, '').trim();
      if (!user) continue;
    }
    yield* c.write(1, 'Password: ');
    sys.k.record('password-prompt', '/dev/console');
    sys.notify({ kind: 'phase', phase: 'password' });
    const flags = yield* c.ioctl(0, TCGETS);
    yield* c.ioctl(0, TCSETS, flags & ~ECHO);
    const pw = yield* readLine(c);
    yield* c.ioctl(0, TCSETS, flags);
    yield* c.write(1, '\n');
    if (pw !== null && user === 'root' && pw.replace(/\n$/, '') === sys.rootPassword) {
      const env = new Map([['HOME', '/root'], ['USER', 'root'], ['LOGNAME', 'root'], ['SHELL', '/bin/sh'], ['PATH', '/bin:/sbin:/usr/bin:/usr/sbin'], ['TERM', 'vt100']]);
      c.p.env = env;
      c.p.cwd = '/root';
      sys.vfs.mkdirs('/root');
      return yield* execProgram(c.p, '/bin/sh', ['-sh'], env);
    }
    yield* c.nanosleep(INIT_TIMING.loginFailDelay);
    yield* c.write(1, 'Login incorrect\n');
    user = null;
  }
  return 1;
}

