/* eslint-disable require-yield -- driver, builtin and machine operations are generators by contract; many complete without blocking. */
import type { Blocking, Trace } from '../sel4';
import type { GuestMachine, GuestOS } from '../vmm/guest-machine';
import { ChrdevTable } from './kernel/chrdev';
import { GuestKernel, type GuestStep } from './kernel/kernel';
import { Kmalloc, PageAllocator } from './kernel/mm';
import { pciScan, type PciDev } from './kernel/pci';
import { KERN_INFO, KERN_NOTICE } from './kernel/printk';
import { resetPids, spawnProcess, type Process } from './kernel/process';
import type { GuestEvent, GuestSystem, ProgramMain } from './kernel/system';
import { ConsoleTty } from './kernel/tty';
import { UioCore } from './kernel/uio';
import { newDir, newFile, normalise, Vfs, type DirInode, type FileOps, type Inode } from './kernel/vfs';
import { MODULES } from './modules';
import { BUSYBOX_APPLETS } from './programs/busybox';
import { execProgram } from './programs/exec';
import { GEN1_PROGRAMS } from './programs/gen1';
import { GEN2_PROGRAMS } from './programs/gen2';
import { getty, init, login, sh } from './programs/init';
import { printClient } from './programs/print_client';
import { PROBE_PROGRAMS } from './programs/crossvm-probe';
import { gicIrqchip } from './kernel/gic';
import { cpuEntryCheck } from './kernel/cpu-check';
import { guestKernelImage, type GuestKernelImage } from '../vmm/guest-mode';
import { consoleIsHvc, HvcConsole, probeVirtio, VIRTIO_NET_PROGRAMS } from './virtio';
import { secondaryStart, smpInit, type SmpState } from './kernel/smp';

/** A file of the guest rootfs: text, bytes, a compiled program by name, or a kernel module by name. */
export type GuestFile = string | Uint8Array | { readonly program: string } | { readonly module: string };

export interface BuildrootGuestOptions {
  /** Which cross-VM generation the rootfs carries: 1 (char devices), 2 (connection.ko, UIO) or none. */
  readonly generation: 1 | 2 | 'none';
  /** `uname -r`; default 4.8.16 (the tutorial's guest kernel). */
  readonly kernelVersion?: string;
  /** The /lib/modules/<version> directory holding the cross-VM modules; default kernelVersion. */
  readonly moduleVersion?: string;
  readonly hostname?: string;
  readonly rootPassword?: string;
  /** Arm: the GIC distributor's address in the guest's device tree (request_irq unmasks lines there). */
  readonly gicDistributor?: number;
  /** Arm: the vPCI IO window (`vpci.io.base`) the device tree's PCI `ranges` give; I/O BARs appear there. */
  readonly pciIoBase?: number;
  /** The app's overlay: guest path -> content (e.g. /etc/init.d/S90camkes_init). */
  readonly files?: ReadonlyMap<string, GuestFile> | Readonly<Record<string, GuestFile>>;
  readonly trace?: Trace;
  /** Extra programs a `{ program }` file may name (tests, or app programs modelled elsewhere). */
  readonly programs?: ReadonlyMap<string, ProgramMain>;
  /** The kernel image booted (src/vmm/guest-mode.ts); default: x86 i386 non-PAE, Arm the vCPU's width. */
  readonly image?: GuestKernelImage;
  /** Arm: MIDR_EL1 the CPUs read (VPIDR, the host CPU's), shown in the secondary CPUs' banner. */
  readonly midr?: number;
}

export interface GuestStatus {
  phase: 'off' | 'booting' | 'login' | 'password' | 'shell';
  readonly commands: { line: string; status: number }[];
  readonly exits: { pid: number; comm: string; status: number }[];
  /** The kernel image the guest last started booting (its CPU check ran on it); null before. */
  image: GuestKernelImage | null;
}

/**
 * Virtual time of the kernel's own boot before /init runs (UNCONFIRMED model figures), chosen so
 * the login prompt appears near 12 s and a first command lands near the tutorial's 12.7 s.
 */
export const BOOT_TIMING = { pciScanAt: 350_000_000, kernelInit: 12_400_000_000 };

/** Every program the model implements, by the name a `{ program }` file gives. */
export const PROGRAMS: ReadonlyMap<string, ProgramMain> = new Map<string, ProgramMain>([
  ['sh', sh], ['init', init], ['getty', getty], ['login', login], ['print_client', printClient],
  ...[...BUSYBOX_APPLETS].map(([n, [, main]]) => [n, main] as [string, ProgramMain]),
  ...[...GEN1_PROGRAMS].map(([n, main]) => [`gen1/${n}`, main] as [string, ProgramMain]),
  ...[...GEN2_PROGRAMS].map(([n, main]) => [`gen2/${n}`, main] as [string, ProgramMain]),
  ...PROBE_PROGRAMS,
  ...VIRTIO_NET_PROGRAMS,
]);

/** Where busybox installs the virtio network applets. */
const NET_APPLET_DIRS: Readonly<Record<string, string>> = { ping: '/bin', ifconfig: '/sbin', arping: '/usr/sbin' };

export function guestPrograms(): string[] {
  return [...PROGRAMS.keys()];
}

/** buildroot's /etc/init.d/rcS (package/initscripts), verbatim. */
const RCS = `#!/bin/sh


# Start all init scripts in /etc/init.d
# executing them in numerical order.
#
for i in /etc/init.d/S??* ;do

     # Ignore dangling symlinks (if any).
     [ ! -f "$i" ] && continue

     case "$i" in
	*.sh)
	    # Source shell script for speed.
	    (
		trap - INT QUIT TSTP
		set start
		. $i
	    )
	    ;;
	*)
	    # No sh extension, so fork subprocess.
	    $i start
	    ;;
    esac
done
`;

/** camkes-vm-linux buildroot_init/init_template (reference 1.1), for this rootfs's generation. */
function initTemplate(generation: 1 | 2 | 'none', moduleVersion: string): string {
  const dir = `/lib/modules/${moduleVersion}/kernel/drivers/vmm`;
  const mods = generation === 1 ? ['dataport', 'consumes_event', 'emits_event'].map((m) => `insmod ${dir}/${m}.ko\n`).join('') : '';
  return `#!/bin/sh\nmount -t devtmpfs none /dev\n${mods}exec 0</dev/console\nexec 1>/dev/console\nexec 2>/dev/console\nexec /sbin/init "$@"\n`;
}

function toInode(content: GuestFile, path: string, programs: ReadonlyMap<string, ProgramMain>): Inode {
  if (typeof content === 'string' || content instanceof Uint8Array) {
    const f = newFile(content);
    const text = typeof content === 'string' ? content : '';
    f.executable = text.startsWith('#!') || /^\/(etc\/init\.d|usr\/sbin|sbin|bin|usr\/bin)\//.test(path);
    return f;
  }
  if ('program' in content) {
    if (!programs.has(content.program)) throw new Error(`guest rootfs: ${path}: unknown program '${content.program}' (known: ${[...programs.keys()].join(', ')})`);
    return { ...newFile(''), executable: true, program: content.program };
  }
  if (!MODULES.has(content.module)) throw new Error(`guest rootfs: ${path}: unknown kernel module '${content.module}'`);
  return { ...newFile(''), module: content.module };
}

/** /dev/null and /dev/zero (major 1). */
const memOps: FileOps = {
  *read(f, _p, count) {
    return f.minor === 5 ? new Uint8Array(count) : new Uint8Array(0);
  },
  *write(_f, _p, bytes) {
    return bytes.length;
  },
};

export class BuildrootGuest implements GuestOS {
  private readonly state: GuestStatus = { phase: 'off', commands: [], exits: [], image: null };
  private readonly programs: ReadonlyMap<string, ProgramMain>;
  /** SMP: the running kernel and its CPU bring-up state, for the secondaries (kernel/smp.ts). */
  private kernel: GuestKernel | null = null;
  private smp: SmpState | null = null;

  constructor(readonly options: BuildrootGuestOptions) {
    this.programs = new Map([...PROGRAMS, ...(options.programs ?? [])]);
    // Bad overlay content is rejected at construction, not when the guest boots.
    this.buildRootfs(new Vfs());
  }

  status(): GuestStatus {
    return { phase: this.state.phase, commands: [...this.state.commands], exits: [...this.state.exits], image: this.state.image };
  }

  private buildRootfs(vfs: Vfs): void {
    const o = this.options;
    const kver = o.kernelVersion ?? '4.8.16';
    const mver = o.moduleVersion ?? kver;
    const put = (path: string, c: GuestFile) => vfs.install(path, toInode(c, path, this.programs));
    for (const d of ['/dev', '/proc', '/sys/class', '/root', '/tmp', '/etc/init.d', '/usr/sbin', '/lib/modules']) vfs.mkdirs(d);
    put('/init', initTemplate(o.generation, mver));
    put('/bin/sh', { program: 'sh' });
    put('/bin/login', { program: 'login' });
    put('/sbin/init', { program: 'init' });
    put('/sbin/getty', { program: 'getty' });
    for (const [name, [dir]] of BUSYBOX_APPLETS) put(`${dir}/${name}`, { program: name });
    for (const name of VIRTIO_NET_PROGRAMS.keys()) put(`${NET_APPLET_DIRS[name] ?? '/bin'}/${name}`, { program: name });
    put('/etc/init.d/rcS', RCS);
    put('/etc/issue', 'Welcome to Buildroot\n');
    put('/etc/hostname', `${o.hostname ?? 'buildroot'}\n`);
    vfs.install('/dev/console', { kind: 'chr', major: 5, minor: 1 });
    const modDir = `/lib/modules/${mver}/kernel/drivers/vmm`;
    if (o.generation === 1) {
      for (const m of ['dataport', 'consumes_event', 'emits_event']) put(`${modDir}/${m}.ko`, { module: m });
      for (const n of GEN1_PROGRAMS.keys()) put(`/usr/sbin/${n}`, { program: `gen1/${n}` });
    } else if (o.generation === 2) {
      put(`${modDir}/connection.ko`, { module: 'connection' });
      for (const n of GEN2_PROGRAMS.keys()) put(`/usr/sbin/${n}`, { program: `gen2/${n}` });
    }
    const files = o.files instanceof Map ? [...o.files] : Object.entries(o.files ?? {});
    for (const [path, content] of files) put(normalise(path), content as GuestFile);
  }

  *boot(uart: GuestMachine): Blocking<void> {
    resetPids();
    // The image's CPU check (kernel/cpu-check.ts): a CPU it cannot run on halts here.
    const image = (this.state.image = this.options.image ?? guestKernelImage(uart.arch, uart.arch === 'x86' ? 32 : uart.wordBits));
    if (!(yield* cpuEntryCheck(uart, image))) return;
    const hvc = consoleIsHvc(uart.cmdline) ? new HvcConsole(uart) : null;
    const machine = hvc ? hvc.machine : uart;
    this.state.phase = 'booting';
    const k = new GuestKernel(machine, this.options.trace);
    this.kernel = k;
    this.smp = null;
    const vfs = new Vfs();
    this.buildRootfs(vfs);
    const devtmpfs: DirInode = newDir();
    const chrdev = new ChrdevTable();
    const pciDevices: PciDev[] = [];
    const state = this.state;
    const sys: GuestSystem & { uio: UioCore | null } = {
      k, vfs, devtmpfs, chrdev,
      mem: new Kmalloc(new PageAllocator(machine.ram.base, machine.ram.size)),
      programs: this.programs,
      modules: MODULES,
      pciDevices,
      uio: null,
      loaded: new Set(),
      hostname: this.options.hostname ?? 'buildroot',
      kernelVersion: this.options.kernelVersion ?? '4.8.16',
      rootPassword: this.options.rootPassword ?? 'root',
      devNode: (name, major, minor) => devtmpfs.children.set(name, { kind: 'chr', major, minor }),
      notify: (e: GuestEvent) => {
        if (e.kind === 'phase') state.phase = e.phase;
        else if (e.kind === 'command') state.commands.push({ line: e.line, status: e.status });
        else state.exits.push({ pid: e.pid, comm: e.comm, status: e.status });
      },
    };
    k.printk(KERN_NOTICE, `Linux version ${sys.kernelVersion} (buildroot@buildroot) #1 SMP\n`);
    k.printk(KERN_NOTICE, `Kernel command line: ${machine.cmdline}\n`);
    const tty = new ConsoleTty(k);
    chrdev.attach(1, memOps);
    chrdev.attach(4, tty.ops);
    chrdev.attach(5, tty.ops);
    for (const [name, major, minor] of [['console', 5, 1], ['tty', 5, 0], ['ttyS0', 4, 64], ['null', 1, 3], ['zero', 1, 5]] as const) sys.devNode(name, major, minor);
    if (machine.arch === 'arm' && this.options.gicDistributor !== undefined) k.irqchip = gicIrqchip(machine, this.options.gicDistributor);
    k.requestIrq(machine.consoleIrq, () => tty.interrupt(), 0, 'serial', tty);
    if (this.options.generation === 2) sys.uio = new UioCore(sys);
    vfs.install('/proc/devices', { ...newFile(''), generate: () => chrdev.procDevices() });
    vfs.install('/proc/cmdline', { ...newFile(''), generate: () => `${machine.cmdline}\n` });

    // pid 1 is kernel_init: the kernel's remaining boot work, then it execs /init.
    spawnProcess(sys, null, 'kernel_init', [], (p) => this.kernelInit(sys, p, pciDevices, hvc, uart));
    yield* k.run();
  }

  /**
   * GuestOS.secondary: a CPU the kernel started with PSCI CPU_ON runs secondary_start_kernel, then
   * idles taking only its own interrupts (processes stay on CPU 0, kernel/smp.ts).
   */
  *secondary(machine: GuestMachine, entry: number): Blocking<void> {
    if (this.kernel && this.smp) yield* secondaryStart(this.kernel, machine, this.smp, entry);
  }

  private *kernelInit(sys: GuestSystem, p: Process, pciDevices: PciDev[], hvc: HvcConsole | null, cpu0: GuestMachine): GuestStep<number> {
    const k = sys.k;
    // smp_init (kernel/smp.ts) on the vCPU's own machine; the boot timing below stays absolute.
    const mask = sys.mem.kmalloc(4);
    if (mask !== null) yield* smpInit(k, cpu0, mask, { kernelVersion: sys.kernelVersion, midr: this.options.midr, publish: (st) => (this.smp = st) });
    yield* k.delay(Math.max(0, BOOT_TIMING.pciScanAt - k.uptime()));
    pciDevices.push(...(yield* pciScan(k)));
    const virtio = yield* probeVirtio(sys, { pciIoBase: this.options.pciIoBase ?? null });
    if (hvc && virtio.consoles.length) {
      // console=hvc0: /dev/console is hvc0's tty and the kernel's records go there.
      sys.chrdev.attach(5, virtio.consoles[0].ops);
      yield* hvc.register(virtio.consoles[0]);
    }
    yield* k.delay(BOOT_TIMING.kernelInit - BOOT_TIMING.pciScanAt);
    k.printk(KERN_INFO, 'Freeing unused kernel memory: 1024K\n');
    const fd = yield* p.libc.open('/dev/console', 2);
    if (fd >= 0) {
      p.libc.dup2(fd, 1);
      p.libc.dup2(fd, 2);
    }
    return yield* execProgram(p, '/init', ['/init'], new Map([['HOME', '/'], ['TERM', 'linux']]));
  }
}

/** The construction API for the system builder (see README.md). */
export function createBuildrootGuest(options: BuildrootGuestOptions): BuildrootGuest {
  return new BuildrootGuest(options);
}
