import type { Blocking } from '../../sel4';
import type { GuestMachine } from '../../vmm/guest-machine';
import type { GuestKernel, GuestStep } from './kernel';
import { KERN_CRIT, KERN_ERR, KERN_INFO } from './printk';

/**
 * Linux's SMP bring-up on an Arm guest (kernel/smp.c smp_init, arch/arm64/kernel/smp.c
 * __cpu_up / secondary_start_kernel, drivers/firmware/psci.c cpu_on): the boot CPU starts each
 * CPU of the device tree's /cpus with PSCI CPU_ON and waits for it to mark itself online; a
 * secondary prints its banner, marks itself online in `cpu_online_mask` and enters the idle loop.
 *
 * Simplification (documented in the guest README): the scheduler runs every process on CPU 0;
 * secondaries only take their own interrupts and wait for interrupts. Nothing migrates to them.
 */

/** PSCI function ids a guest kernel uses for CPU_ON (SMC64 on AArch64, SMC32 on AArch32). */
const PSCI_CPU_ON_64 = 0xc4000003;
const PSCI_CPU_ON_32 = 0x84000003;
/** psci_to_linux_errno: NOT_SUPPORTED -EOPNOTSUPP, DENIED -EPERM, anything else -EINVAL. */
const PSCI_TO_ERRNO: Readonly<Record<number, number>> = { [-1]: -95, [-3]: -1 };

/**
 * Where the secondaries enter: `secondary_entry`'s physical address, kernel text offset 0x80000
 * plus an offset into head.S. UNCONFIRMED: the symbol's address in the board images is not
 * known; only the guest itself uses the value (the VMM starts the vCPU there).
 */
export const SECONDARY_ENTRY_OFFSET = 0x80000 + 0x1000;
/** wait_for_completion_timeout(&cpu_running, msecs_to_jiffies(5000)) in __cpu_up. */
export const CPU_UP_TIMEOUT_NS = 5_000_000_000;
/** How often the model's boot CPU looks at the online mask while it waits (one jiffy at HZ=250). */
const POLL_NS = 4_000_000;

/**
 * MIDR_EL1 a guest reads when the board's CPU type is unknown to the builder: cortex-a53 r0p4,
 * the CPU the VM apps force on qemu-arm-virt. UNCONFIRMED value (ARM TRM), kept here.
 */
export const DEFAULT_MIDR = 0x410fd034;

/**
 * The kernel's messages, by guest kernel version. UNCONFIRMED wordings, from Linux's sources as
 * recalled: 4.10 moved smp_init's summary to `smp: Brought up %d node%s, %d CPU%s` (pr_fmt
 * "smp: ", with "Bringing up secondary CPUs ..." before it), 4.9 prints `Brought up %d CPUs`;
 * arm64's secondary banner gained the MPIDR in 4.12 (`0x%010lx [0x%08x]`), 4.9 prints `[%08x]`.
 */
export const SMP_MESSAGES = {
  bringingUp: (v: KernelVersion) => (atLeast(v, 4, 10) ? 'smp: Bringing up secondary CPUs ...\n' : null),
  broughtUp: (v: KernelVersion, cpus: number) =>
    atLeast(v, 4, 10) ? `smp: Brought up 1 node, ${cpus} CPU${cpus > 1 ? 's' : ''}\n` : `Brought up ${cpus} CPUs\n`,
  booted: (v: KernelVersion, cpu: number, mpidr: number, midr: number) =>
    atLeast(v, 4, 12)
      ? `CPU${cpu}: Booted secondary processor 0x${hexPad(mpidr, 10)} [0x${hexPad(midr, 8)}]\n`
      : `CPU${cpu}: Booted secondary processor [${hexPad(midr, 8)}]\n`,
  /** drivers/firmware/psci.c (pr_fmt "psci: ") then arch/arm64/kernel/smp.c __cpu_up. */
  psciFailed: (cpu: number, err: number) => `psci: failed to boot CPU${cpu} (${err})\n`,
  failedToBoot: (cpu: number, err: number) => `CPU${cpu}: failed to boot: ${err}\n`,
  failedToComeOnline: (cpu: number) => `CPU${cpu}: failed to come online\n`,
} as const;

export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

export function parseKernelVersion(v: string): KernelVersion {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : { major: 0, minor: 0 };
}

function atLeast(v: KernelVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

function hexPad(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** How many CPUs the command line lets the kernel bring up (`nosmp`, `maxcpus=N`); null: all. */
export function setupMaxCpus(cmdline: string): number | null {
  let max: number | null = null;
  for (const arg of cmdline.split(/\s+/)) {
    if (arg === 'nosmp') max = 0;
    else if (/^maxcpus=\d+$/.test(arg)) max = Number(arg.slice(8));
  }
  return max;
}

export interface SmpState {
  readonly version: KernelVersion;
  readonly midr: number;
  /** The device tree's /cpus MPIDRs; logical CPU i is `cpus[i]`, CPU 0 the boot CPU. */
  readonly cpus: readonly number[];
  /** Guest-physical address of `cpu_online_mask` (one word, bit i = CPU i online). */
  readonly onlineMask: number;
  readonly entry: number;
  /** Logical CPUs that ran secondary_start_kernel (for the kernel's own bookkeeping). */
  readonly booted: number[];
}

export interface SmpOptions {
  readonly kernelVersion: string;
  readonly midr?: number;
  /** Called before the first CPU_ON: the secondaries find the kernel's SMP state through it. */
  readonly publish: (st: SmpState) => void;
}

/**
 * smp_prepare_cpus + smp_init, run by kernel_init on the boot CPU. Returns the state the
 * secondaries use (also given to `publish` before any starts), or null when the machine describes no CPUs (a model without a device tree:
 * nothing is printed, as before SMP was modelled).
 */
export function* smpInit(k: GuestKernel, m: GuestMachine, onlineMask: number, o: SmpOptions): GuestStep<SmpState | null> {
  if (!m.cpus || m.arch !== 'arm') return null;
  const v = parseKernelVersion(o.kernelVersion);
  const st: SmpState = { version: v, midr: o.midr ?? DEFAULT_MIDR, cpus: [...m.cpus], onlineMask, entry: m.ram.base + SECONDARY_ENTRY_OFFSET, booted: [] };
  o.publish(st);
  yield* m.write32(onlineMask, 1);
  const head = SMP_MESSAGES.bringingUp(v);
  if (head) k.printk(KERN_INFO, head);
  const limit = setupMaxCpus(m.cmdline) ?? st.cpus.length;
  for (let cpu = 1; cpu < st.cpus.length && cpu < limit; cpu++) yield* cpuUp(k, m, st, cpu);
  let online = 0;
  const mask = yield* m.read32(onlineMask);
  for (let i = 0; i < 32; i++) if ((mask >>> i) & 1) online++;
  k.printk(KERN_INFO, SMP_MESSAGES.broughtUp(v, online));
  return st;
}

/** __cpu_up: boot_secondary (PSCI CPU_ON), then wait for the CPU to mark itself online. */
function* cpuUp(k: GuestKernel, m: GuestMachine, st: SmpState, cpu: number): GuestStep<void> {
  if (!m.smc) {
    k.printk(KERN_ERR, SMP_MESSAGES.failedToBoot(cpu, -95));
    return;
  }
  const fid = m.wordBits === 64 ? PSCI_CPU_ON_64 : PSCI_CPU_ON_32;
  // Linux passes context id 0: the secondary finds its per-CPU data by its MPIDR.
  const x = yield* m.smc(fid, [st.cpus[cpu], st.entry, 0]);
  const ret = x[0] | 0;
  if (ret !== 0) {
    const err = PSCI_TO_ERRNO[ret] ?? -22;
    k.printk(KERN_ERR, SMP_MESSAGES.psciFailed(cpu, err));
    k.printk(KERN_ERR, SMP_MESSAGES.failedToBoot(cpu, err));
    return;
  }
  const end = m.now() + CPU_UP_TIMEOUT_NS;
  for (;;) {
    if (((yield* m.read32(st.onlineMask)) >>> cpu) & 1) return;
    if (m.now() >= end) break;
    yield* k.delay(POLL_NS);
  }
  k.printk(KERN_CRIT, SMP_MESSAGES.failedToComeOnline(cpu));
}

/**
 * secondary_start_kernel on the secondary's own vCPU: the banner, `set_cpu_online`, then
 * cpu_startup_entry's idle loop — take this CPU's own interrupts (banked SGIs/PPIs the guest
 * enabled; none by default), else WFI. An entry other than the kernel's would run arbitrary
 * memory; the model stops that vCPU instead.
 */
export function* secondaryStart(k: GuestKernel, m: GuestMachine, st: SmpState, entry: number): Blocking<void> {
  if (entry !== st.entry || m.mpidr === undefined) return;
  const cpu = st.cpus.indexOf(m.mpidr);
  if (cpu <= 0) return;
  st.booted.push(cpu);
  k.printk(KERN_INFO, SMP_MESSAGES.booted(st.version, cpu, m.mpidr, st.midr));
  const mask = yield* m.read32(st.onlineMask);
  yield* m.write32(st.onlineMask, (mask | (1 << cpu)) >>> 0);
  for (;;) {
    const irq = yield* m.acknowledgeInterrupt();
    if (irq !== null) {
      // No handler is registered on secondaries: the interrupt is spurious for this model.
      yield* m.endOfInterrupt(irq);
      continue;
    }
    yield* m.idle(null);
  }
}
