import type { ChrdevTable } from './chrdev';
import type { GuestKernel, GuestStep } from './kernel';
import type { Kmalloc } from './mm';
import type { Libc } from './libc';
import type { PciDev } from './pci';
import type { UioCore } from './uio';
import type { DirInode, Vfs } from './vfs';

/** A program's entry point: `main(argc, argv)` with the C library; returns the exit code. */
export type ProgramMain = (c: Libc, argv: string[]) => GuestStep<number>;

/** A loadable module: `init` runs at insmod and returns 0 or a negative errno. */
export interface KernelModule {
  readonly name: string;
  init(sys: GuestSystem): GuestStep<number>;
}

/** Everything the guest kernel consists of, shared by drivers, syscalls and programs. */
export interface GuestSystem {
  readonly k: GuestKernel;
  readonly vfs: Vfs;
  /** The devtmpfs instance (mounted on /dev by the init script). */
  readonly devtmpfs: DirInode;
  readonly chrdev: ChrdevTable;
  readonly mem: Kmalloc;
  readonly programs: ReadonlyMap<string, ProgramMain>;
  readonly modules: ReadonlyMap<string, KernelModule>;
  /** Devices the PCI core found on bus 0 at boot. */
  readonly pciDevices: readonly PciDev[];
  /** The UIO core (built into the gen-2 guest kernels), or null. */
  readonly uio: UioCore | null;
  /** Modules loaded so far, by name. */
  readonly loaded: Set<string>;
  readonly hostname: string;
  readonly kernelVersion: string;
  readonly rootPassword: string;
  /** Creates /dev/<name> on devtmpfs (device_create). */
  devNode(name: string, major: number, minor: number): void;
  /** Observers of the guest's user-visible state (login prompt, shell prompt, exits). */
  notify(event: GuestEvent): void;
}

export type GuestEvent =
  | { kind: 'phase'; phase: 'booting' | 'login' | 'password' | 'shell' }
  | { kind: 'command'; line: string; status: number }
  | { kind: 'exit'; pid: number; comm: string; status: number };
