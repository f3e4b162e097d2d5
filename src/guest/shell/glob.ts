import type { Vfs } from '../kernel/vfs';
import type { Word } from './ast';

/** True when an unquoted part of the word holds a pattern character (ash globs only those). */
export function hasGlob(word: Word): boolean {
  for (const p of word.parts) if (p.kind === 'literal' && !p.quoted && GLOB_CHAR.test(p.value)) return true;
  return false;
}

const GLOB_CHAR = /[*?[]/;

function toRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** fnmatch for `case` patterns. */
export function globMatch(pattern: string, text: string): boolean {
  return toRegExp(pattern).test(text);
}

/** Pathname expansion: sorted matches, or none (the caller keeps the word). */
export function globPaths(vfs: Vfs, pattern: string, cwd: string): string[] {
  const absolute = pattern.startsWith('/');
  const comps = pattern.split('/').filter(Boolean);
  let paths: string[] = [absolute ? '/' : ''];
  for (const comp of comps) {
    const next: string[] = [];
    for (const base of paths) {
      const join = (n: string) => (base === '/' ? `/${n}` : base ? `${base}/${n}` : n);
      if (!/[*?[]/.test(comp)) {
        next.push(join(comp));
        continue;
      }
      const dir = vfs.lookup(base === '' ? cwd : base.startsWith('/') ? base : `${cwd}/${base}`);
      if (typeof dir === 'number' || dir.kind !== 'dir') continue;
      const re = toRegExp(comp);
      for (const name of [...dir.children.keys()].sort()) {
        if (name.startsWith('.') && !comp.startsWith('.')) continue;
        if (re.test(name)) next.push(join(name));
      }
    }
    paths = next;
  }
  return paths.filter((p) => typeof vfs.lookup(p.startsWith('/') ? p : `${cwd}/${p}`) !== 'number');
}
