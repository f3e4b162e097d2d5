/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import { EEXIST, EISDIR, ENOENT, ENOTDIR } from './errno';
import type { GuestStep, WaitQueue } from './kernel';
import type { Process } from './process';

/**
 * The guest's file system: a tmpfs-like tree (the initramfs rootfs), devtmpfs mounted on /dev,
 * generated files (/proc, /sys) and character device nodes that open through the registered
 * driver of their major number.
 */
export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFREG = 0o100000;

export interface DirInode {
  readonly kind: 'dir';
  readonly children: Map<string, Inode>;
  /** A file system mounted here (devtmpfs on /dev). */
  mounted?: DirInode;
}
export interface FileInode {
  readonly kind: 'file';
  data: Uint8Array;
  executable: boolean;
  /** A compiled program this model implements, by registered name. */
  program?: string;
  /** A kernel module image (`.ko`), by module name. */
  module?: string;
  /** Contents made when opened (/proc, /sys). */
  generate?: () => string;
}
export interface DevInode {
  readonly kind: 'chr';
  readonly major: number;
  readonly minor: number;
}
export type Inode = DirInode | FileInode | DevInode;

/** What `ioctl` and `read`/`write` get from user space: a number, or a user buffer. */
export type IoctlArg = number | Uint8Array;

export interface Vma {
  /** User virtual address and length. */
  start: number;
  length: number;
  /** The mmap offset in pages. */
  readonly pgoff: number;
  readonly prot: number;
  /** Guest-physical address backing `start` (set by the driver's mmap: remap_pfn_range). */
  paddr: number;
  /** Length the driver mapped (remap_pfn_range's size); may differ from the requested one. */
  mappedLength: number;
}

export interface FileOps {
  open?(f: OpenFile, p: Process): GuestStep<number>;
  release?(f: OpenFile): void;
  read?(f: OpenFile, p: Process, count: number): GuestStep<Uint8Array | number>;
  write?(f: OpenFile, p: Process, data: Uint8Array): GuestStep<number>;
  ioctl?(f: OpenFile, p: Process, cmd: number, arg: IoctlArg): GuestStep<number>;
  mmap?(f: OpenFile, p: Process, vma: Vma): GuestStep<number>;
  /** Returns the ready mask; adds the queues to wait on to `table` (poll_wait) when given. */
  poll?(f: OpenFile, table: WaitQueue[] | null): number;
}

export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;

export class OpenFile {
  pos = 0;
  refs = 1;
  /** Driver state for this open file (file->private_data). */
  priv: unknown = undefined;
  constructor(
    readonly ops: FileOps,
    readonly path: string,
    readonly inode: Inode | null,
    public flags: number,
  ) {}
  get minor(): number {
    return this.inode?.kind === 'chr' ? this.inode.minor : 0;
  }
  get major(): number {
    return this.inode?.kind === 'chr' ? this.inode.major : 0;
  }
}

export function newDir(): DirInode {
  return { kind: 'dir', children: new Map() };
}

export function newFile(data: Uint8Array | string, executable = false): FileInode {
  return { kind: 'file', data: typeof data === 'string' ? new TextEncoder().encode(data) : data, executable };
}

export function normalise(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const c of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return '/' + parts.join('/');
}

export class Vfs {
  readonly root: DirInode = newDir();

  private through(d: DirInode): DirInode {
    let x = d;
    while (x.mounted) x = x.mounted;
    return x;
  }

  /** The inode at an absolute path, or -errno. */
  lookup(path: string): Inode | number {
    let cur: Inode = this.through(this.root);
    for (const c of normalise(path).split('/').filter(Boolean)) {
      if (cur.kind !== 'dir') return -ENOTDIR;
      const next: Inode | undefined = cur.children.get(c);
      if (!next) return -ENOENT;
      cur = next.kind === 'dir' ? this.through(next) : next;
    }
    return cur;
  }

  /** The directory that would hold `path`, and the last component. */
  parent(path: string): { dir: DirInode; name: string } | number {
    const n = normalise(path);
    const i = n.lastIndexOf('/');
    const d = this.lookup(n.slice(0, i) || '/');
    if (typeof d === 'number') return d;
    if (d.kind !== 'dir') return -ENOTDIR;
    return { dir: d, name: n.slice(i + 1) };
  }

  /** Creates a node; -EEXIST if the name is taken. */
  create(path: string, inode: Inode): number {
    const p = this.parent(path);
    if (typeof p === 'number') return p;
    if (!p.name) return -EEXIST;
    if (p.dir.children.has(p.name)) return -EEXIST;
    p.dir.children.set(p.name, inode);
    return 0;
  }

  /** mkdir -p. */
  mkdirs(path: string): DirInode {
    let cur = this.through(this.root);
    for (const c of normalise(path).split('/').filter(Boolean)) {
      let next = cur.children.get(c);
      if (!next) {
        next = newDir();
        cur.children.set(c, next);
      }
      if (next.kind !== 'dir') throw new Error(`guest rootfs: ${path}: ${c} is not a directory`);
      cur = this.through(next);
    }
    return cur;
  }

  /** Installs a file, making its directories (rootfs assembly). */
  install(path: string, inode: Inode): void {
    const n = normalise(path);
    const dir = this.mkdirs(n.slice(0, n.lastIndexOf('/')) || '/');
    dir.children.set(n.slice(n.lastIndexOf('/') + 1), inode);
  }

  unlink(path: string): number {
    const p = this.parent(path);
    if (typeof p === 'number') return p;
    const node = p.dir.children.get(p.name);
    if (!node) return -ENOENT;
    if (node.kind === 'dir') return -EISDIR;
    p.dir.children.delete(p.name);
    return 0;
  }
}

/** A regular file in the tmpfs-like rootfs (generated files are snapshotted at open). */
export const regularFileOps: FileOps = {
  *open(f) {
    const node = f.inode as FileInode;
    if (node.generate) f.priv = new TextEncoder().encode(node.generate());
    else if (f.flags & O_TRUNC) node.data = new Uint8Array(0);
    if (f.flags & O_APPEND) f.pos = node.data.length;
    return 0;
  },
  *read(f, _p, count) {
    const data = (f.priv as Uint8Array | undefined) ?? (f.inode as FileInode).data;
    const out = data.slice(f.pos, f.pos + count);
    f.pos += out.length;
    return out;
  },
  *write(f, _p, bytes) {
    const node = f.inode as FileInode;
    if (node.generate) return -22;
    if (f.flags & O_APPEND) f.pos = node.data.length;
    const end = f.pos + bytes.length;
    const next = new Uint8Array(Math.max(end, node.data.length));
    next.set(node.data);
    next.set(bytes, f.pos);
    node.data = next;
    f.pos = end;
    return bytes.length;
  },
};
