import { strerror } from '../kernel/errno';
import type { GuestStep } from '../kernel/kernel';
import { O_APPEND, O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, type OpenFile } from '../kernel/vfs';
import type { Redirect } from './ast';
import type { Shell } from './exec';

/** Descriptors a redirection replaced, to put back afterwards. */
export type SavedFds = Map<number, OpenFile | null>;

/** Applies redirections to the shell's own descriptors, runs `body`, then restores them. */
export function* withRedirects(sh: Shell, redirs: readonly Redirect[], body: () => GuestStep<number>): GuestStep<number> {
  if (!redirs.length) return yield* body();
  const saved = yield* applyRedirects(sh, redirs);
  if (saved === null) return 1;
  try {
    return yield* body();
  } finally {
    for (const [fd, f] of saved) {
      if (sh.p.fds[fd]) yield* sh.c.close(fd);
      sh.p.fds[fd] = f;
    }
  }
}

/**
 * Applies `<`, `>`, `>>`, `<>`, `<&`, `>&` and here-documents (fed through a pipe) in order.
 * Returns the replaced descriptors, or null after printing ash's error (`can't create X: ...`).
 */
export function* applyRedirects(sh: Shell, redirs: readonly Redirect[]): GuestStep<SavedFds | null> {
  const p = sh.p;
  const saved: SavedFds = new Map();
  const take = (fd: number): OpenFile | null => {
    const f = p.fds[fd] ?? null;
    p.fds[fd] = null;
    return f;
  };
  const failed = (): null => {
    for (const [fd, f] of saved) p.fds[fd] = f;
    return null;
  };
  for (const r of redirs) {
    const fd = r.fd ?? (r.op === '<' || r.op === '<&' || r.op === '<>' || r.op === '<<' || r.op === '<<-' ? 0 : 1);
    let source: number;
    if (r.op === '<<' || r.op === '<<-') {
      const body = r.heredoc ? (r.heredoc.expand ? yield* sh.expandString(r.heredoc.body) : r.heredoc.body.text) : '';
      const [rd, wr] = sh.c.pipe();
      yield* sh.c.write(wr, body);
      yield* sh.c.close(wr);
      source = rd;
    } else {
      const target = yield* sh.expandString(r.target);
      if (r.op === '<&' || r.op === '>&') {
        if (target === '-') {
          if (!saved.has(fd)) saved.set(fd, take(fd));
          continue;
        }
        if (!/^\d+$/.test(target) || !p.fds[Number(target)]) {
          yield* sh.error(`${target}: bad file descriptor`);
          return failed();
        }
        source = sh.c.dupMin(Number(target), 10);
      } else {
        const flags = r.op === '<' ? O_RDONLY : r.op === '<>' ? O_RDWR | O_CREAT : r.op === '>>' ? O_WRONLY | O_CREAT | O_APPEND : O_WRONLY | O_CREAT | O_TRUNC;
        source = yield* sh.c.open(target, flags);
        if (source < 0) {
          yield* sh.error(`can't ${r.op === '<' ? 'open' : 'create'} ${target}: ${strerror(sh.c.errno)}`);
          return failed();
        }
      }
    }
    if (!saved.has(fd)) saved.set(fd, take(fd));
    else if (p.fds[fd]) yield* sh.c.close(fd);
    p.fds[fd] = p.fds[source];
    p.fds[source] = null;
  }
  return saved;
}
