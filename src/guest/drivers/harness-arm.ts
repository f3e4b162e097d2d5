/**
 * Test harness: one Arm board's VM with its passthrough plan realised and routed into a running
 * VM_Arm VMM (src/vmm/passthrough/route-arm.ts), the device model behind the chosen `dtb` entry's
 * frames and interrupt line, and the passthrough guest driving it. Used by the passthrough
 * scenarios and unit tests; the full system builder assembles real CAmkES apps instead.
 */
import { Kernel, type RunResult } from '../../sel4';
import { loadDeviceTree, type Platform } from '../../platform';
import { CadenceUart, DwmacEthernet, Pl011Uart, StatusIrqDevice, attachMmio, layoutFor, machineLine, type DriverLayout, type InterruptOutput, type MmioDevice } from '../../platform/devices';
import { ArmVmm } from '../../vmm/arm';
import { armConfigFromBoard, deviceUntypeds, planArm, type ArmPassthroughPlan, type PassthroughIrqSpec, type PassthroughRegion } from '../../vmm/passthrough';
import { routeArm, type ArmRouting } from '../../vmm/passthrough/route-arm';
import { CDNS_UART_RX_LAYOUT, DWMAC_RX_LAYOUT, MmioStatusDriver, PL011_RX_LAYOUT } from './passthrough-drivers';
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
  const model = deviceModel(compatible);
  if (!model) throw new Error(`${region.node}: no device model for compatible ${compatible.join(', ')}`);

  const kernel = new Kernel({
    arch: p.arch === 'aarch32' ? 'aarch32' : 'aarch64',
    seed: o.seed ?? 1,
    untyped: [{ sizeBits: 30, count: 1, paddr: 0x1_0000_0000 }, ...deviceUntypeds([{ ...plan, regions: plan.regions.filter((r) => r.role === 'device') }])],
  });
  const alloc = kernel.allocator();
  const cnode = alloc.must('CNode', `${o.vm} cnode`, 14);
  let device: { raise(): void } | null = null;
  const raise = () => {
    if (!device) throw new Error(`${region.node}: the VMM has not mapped the device yet`);
    device.raise();
  };
  const routing = routeArm({
    kernel,
    platform: p,
    plan,
    cnode,
    alloc,
    onDeviceFrames: (r, frames) => {
      if (r !== region) return;
      const made = model.make(region.node!, machineLine(kernel.machine, spec.irq, spec.trigger));
      attachMmio(made.device, frames);
      device = made;
    },
  });
  const driver = new MmioStatusDriver(region.node!, region.paddr, spec.irq, model.layout, o.clearAfter ?? 1);
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
  return { kernel, vmm, plan, routing, guest, driver, spec, region, raise, settle };
}

interface DeviceModel {
  /** The guest driver's view of the device's interrupt. */
  readonly layout: DriverLayout;
  make(name: string, irq: InterruptOutput): { readonly device: MmioDevice; raise(): void };
}

/**
 * The model behind a node, by its `compatible`, and what "the device raises its interrupt" is
 * for it: a received frame (DWMAC), a received character (the console UARTs), else the status
 * event of src/platform/devices status-irq.ts.
 */
function deviceModel(compatible: readonly string[]): DeviceModel | undefined {
  const has = (c: string) => compatible.includes(c);
  if (has('snps,dwmac')) {
    return { layout: DWMAC_RX_LAYOUT, make: (n, irq) => { const d = new DwmacEthernet(n, irq); return { device: d, raise: () => d.receive() }; } };
  }
  // A carriage return, as typed at the console.
  if (has('arm,pl011')) {
    return { layout: PL011_RX_LAYOUT, make: (n, irq) => { const d = new Pl011Uart(n, irq); return { device: d, raise: () => d.receive(0x0d) }; } };
  }
  if (has('xlnx,xuartps')) {
    return { layout: CDNS_UART_RX_LAYOUT, make: (n, irq) => { const d = new CadenceUart(n, irq); return { device: d, raise: () => d.receive(0x0d) }; } };
  }
  const l = layoutFor(compatible);
  if (!l) return undefined;
  return { layout: l, make: (n, irq) => { const d = new StatusIrqDevice(n, l, irq); return { device: d, raise: () => d.raise() }; } };
}
