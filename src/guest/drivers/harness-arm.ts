/**
 * Test harness: one Arm board's VM with its passthrough plan realised and routed into a running
 * VM_Arm VMM (src/vmm/passthrough/route-arm.ts), the device model behind the chosen `dtb` entry's
 * frames and interrupt line, and the passthrough guest driving it. Used by the passthrough
 * scenarios and unit tests; the full system builder assembles real CAmkES apps instead.
 */
import { Kernel, type RunResult } from '../../sel4';
import { loadDeviceTree, type Platform } from '../../platform';
import { DwmacEthernet, attachMmio, machineLine } from '../../platform/devices';
import { ArmVmm } from '../../vmm/arm';
import { armConfigFromBoard, deviceUntypeds, planArm, type ArmPassthroughPlan, type PassthroughIrqSpec, type PassthroughRegion } from '../../vmm/passthrough';
import { routeArm, type ArmRouting } from '../../vmm/passthrough/route-arm';
import { StatusIrqDevice, layoutFor } from './devices';
import { DWMAC_RX_LAYOUT, MmioStatusDriver } from './passthrough-drivers';
import { PassthroughGuest } from './passthrough-guest';

export interface ArmRigOptions {
  readonly platform: Platform;
  readonly app: string;
  readonly vm: string;
  /** The `dtb` path entry whose device raises the interrupt. */
  readonly path: string;
  /** Which of the node's IRQs the device drives (default: the last one it passes). */
  readonly irq?: number;
  readonly clearAfter?: number;
  readonly seed?: number;
}

export interface ArmRig {
  readonly kernel: Kernel;
  readonly vmm: ArmVmm;
  readonly plan: ArmPassthroughPlan;
  readonly routing: ArmRouting;
  readonly guest: PassthroughGuest;
  readonly driver: MmioStatusDriver;
  readonly spec: PassthroughIrqSpec;
  readonly region: PassthroughRegion;
  /** The hardware event that makes the device interrupt. */
  raise(): void;
  /** Runs until nothing is runnable (the guest idles in WFI) or `maxSteps`. */
  settle(): RunResult;
}

const fromEntry = (what: string, entry: string) => what.startsWith(`dtb path "${entry}" (`);

export function armPassthroughRig(o: ArmRigOptions): ArmRig {
  const p = o.platform;
  const vmDef = p.apps[o.app]?.vms.find((v) => v.name === o.vm);
  if (!vmDef || vmDef.kind !== 'arm') throw new Error(`${p.name} has no Arm VM ${o.vm} in app ${o.app}`);
  const tree = loadDeviceTree(p);
  const plan = planArm(armConfigFromBoard(vmDef), { platform: p, tree });
  const specs = plan.irqs.filter((i) => fromEntry(i.origin.what, o.path));
  const spec = o.irq === undefined ? specs.at(-1) : specs.find((s) => s.irq === o.irq);
  const region = plan.regions.find((r) => fromEntry(r.origin.what, o.path) && r.role === 'device');
  if (!spec || !region) throw new Error(`${p.name} ${o.app}/${o.vm}: dtb entry "${o.path}" passes no ${o.irq ?? ''} IRQ or no device region`);
  const compatible = tree?.compatible(tree.node(region.node ?? '')!) ?? [];
  const dwmac = compatible.includes('snps,dwmac');
  const layout = dwmac ? DWMAC_RX_LAYOUT : layoutFor(compatible);
  if (!layout) throw new Error(`${region.node}: no device model for compatible ${compatible.join(', ')}`);

  const kernel = new Kernel({
    arch: p.arch === 'aarch32' ? 'aarch32' : 'aarch64',
    seed: o.seed ?? 1,
    untyped: [{ sizeBits: 30, count: 1, paddr: 0x1_0000_0000 }, ...deviceUntypeds([{ ...plan, regions: plan.regions.filter((r) => r.role === 'device') }])],
  });
  const alloc = kernel.allocator();
  const cnode = alloc.must('CNode', `${o.vm} cnode`, 14);
  const output = (() => {
    let dev: { raise(): void } | null = null;
    return {
      attach: (frames: Parameters<typeof attachMmio>[1]) => {
        const line = machineLine(kernel.machine, spec.irq, spec.trigger);
        if (dwmac) {
          const d = new DwmacEthernet(region.node!, line);
          attachMmio(d, frames);
          dev = { raise: () => d.receive() };
        } else {
          const d = new StatusIrqDevice(region.node!, layoutFor(compatible)!, line);
          attachMmio(d, frames);
          dev = { raise: () => d.raise() };
        }
      },
      raise: () => {
        if (!dev) throw new Error(`${region.node}: the VMM has not mapped the device yet`);
        dev.raise();
      },
    };
  })();
  const routing = routeArm({
    kernel,
    platform: p,
    plan,
    cnode,
    alloc,
    onDeviceFrames: (r, frames) => {
      if (r === region) output.attach(frames);
    },
  });
  const driver = new MmioStatusDriver(region.node!, region.paddr, spec.irq, layout, o.clearAfter ?? 1);
  const guest = new PassthroughGuest({ drivers: [driver], trace: kernel.trace, gicDistributor: p.gic!.distributor });
  const base = vmDef.ram?.base ?? 0x40000000;
  const vmm = new ArmVmm({
    kernel,
    platform: p,
    name: o.vm,
    cnode,
    ram: { base, size: 0x100000 },
    cmdline: '',
    serial: { write: () => undefined },
    guest,
    modules: [routing.module],
  });
  vmm.start();
  const settle = () => kernel.run({ maxSteps: 200_000 });
  kernel.run({ until: () => guest.probed !== null, maxSteps: 2_000_000 });
  if (guest.probed?.get(driver.name) !== 0) throw new Error(`${region.node}: the guest driver did not probe (${guest.dmesg.trim()})`);
  settle();
  return { kernel, vmm, plan, routing, guest, driver, spec, region, raise: output.raise, settle };
}
