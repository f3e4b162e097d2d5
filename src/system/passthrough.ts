/**
 * Device passthrough in a built system: every VM instance's passthrough settings in the resolved
 * `.camkes` (Arm: `dtb`, `untyped_mmios`, `mmios`, `irqs`, `dtb_irqs`; x86: `vm_ioports`,
 * `vm_irqs`, `pci_devices` or the pre-2019 `vmN_config.*`) are planned before the kernel boots
 * (their device untypeds are boot untypeds, as the capDL loader's spec lists them), then routed
 * into each VMM as camkes-vm does (src/vmm/passthrough route-arm.ts / route-x86.ts). A
 * misconfiguration is a DiagnosticError at the `.camkes` line that asked, all VMs' errors together.
 */
import { DiagnosticError, type Diagnostic } from '../diagnostics';
import type { InstantiatedSystem } from '../camkes/instantiate';
import type { ResolvedAssembly } from '../camkes/resolve';
import { loadDeviceTree, type Platform } from '../platform';
import { InitCaps, ObjectAllocator, type CPtr, type Kernel, type UntypedSpec } from '../sel4';
import type { ArmVmm } from '../vmm/arm';
import type { PciBus } from '../vmm/pci';
import type { X86Vmm } from '../vmm/x86';
import {
  armConfigFromAssembly, checkIrqClaims, deviceUntypeds, planArm, planX86, x86ConfigFromAssembly,
  type ArmPassthroughPlan, type PassthroughPlan, type X86GuestDevices, type X86PassthroughPlan,
} from '../vmm/passthrough';
import { routeArm, type ArmRouting } from '../vmm/passthrough/route-arm';
import { routeX86, type X86Routing } from '../vmm/passthrough/route-x86';
import { isArmVmType } from './arm';

/** src/sel4 Kernel's boot untypeds when none are given (8 x 512 MiB of RAM from 0x4000_0000). */
const KERNEL_DEFAULT_UNTYPED: readonly UntypedSpec[] = [{ sizeBits: 29, count: 8, paddr: 0x4000_0000 }];

/** Whether a resolved instance asks for any passthrough (an attribute set, not merely declared). */
const ARM_KEYS = ['dtb', 'untyped_mmios', 'mmios', 'irqs', 'dtb_irqs'];
const X86_KEYS = ['vm_ioports', 'vm_irqs', 'pci_devices', 'pci_devices_iospace', 'ioports', 'irqs'];

export interface PassthroughVm {
  readonly name: string;
  readonly family: 'arm' | 'x86';
}

/**
 * The system's passthrough: one plan per VM that configures any, made from the resolved
 * assembly before instantiation. Route each VM with `armModule` (before its ArmVmm is
 * constructed) or `routeX86` (after its Init VMM is attached).
 */
export class SystemPassthrough {
  readonly routings = new Map<string, ArmRouting | X86Routing>();
  private alloc: ObjectAllocator | null = null;
  /** `mmios` pages shared by several VMs (vm_multi's chip-ID and GICV pages): one frame, a cap for each VM. */
  private readonly frames = new Map<number, CPtr>();

  private constructor(
    readonly platform: Platform,
    readonly plans: ReadonlyMap<string, PassthroughPlan>,
  ) {}

  /**
   * The VM instances of a resolved assembly (Arm: VM_INIT_DEF's `vm_address_config`; x86:
   * `guest_ram_mb`) planned; `crossVm`: the app's glue wires cross-VM connections, so x86 line 12 is the VMM's.
   */
  static forAssembly(asm: ResolvedAssembly, platform: Platform, crossVm: boolean): SystemPassthrough {
    const vms = asm.instances.flatMap((i): PassthroughVm[] => {
      if (isArmVmType(i)) return [{ name: i.name, family: 'arm' }];
      return i.type.attributes.some((a) => a.name === 'guest_ram_mb') ? [{ name: i.name, family: 'x86' }] : [];
    });
    return SystemPassthrough.plan(asm, platform, vms, () => ({ crossVm }));
  }

  /** Plans every VM's passthrough; every error of every VM is thrown at once, positioned. */
  static plan(asm: ResolvedAssembly, platform: Platform, vms: readonly PassthroughVm[], devices: (vm: string) => X86GuestDevices = () => ({})): SystemPassthrough {
    const plans = new Map<string, PassthroughPlan>();
    const errors: Diagnostic[] = [];
    const tree = platform.family === 'arm' ? loadDeviceTree(platform) : undefined;
    for (const vm of vms) {
      try {
        if (vm.family === 'arm') {
          if (!asks(asm, [vm.name], ARM_KEYS)) continue;
          plans.set(vm.name, planArm(armConfigFromAssembly(asm, vm.name), { platform, tree }));
        } else {
          if (!asks(asm, [vm.name, `${vm.name}_config`], X86_KEYS)) continue;
          plans.set(vm.name, planX86(x86ConfigFromAssembly(asm, vm.name), { platform, devices: devices(vm.name) }));
        }
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
        errors.push(...e.diagnostics);
      }
    }
    // The console line is not a handler per VM: each VMM serves it itself (route-arm.ts skips it),
    // so VMs sharing the console node (vm_virtio_net on zcu102) do not claim it twice.
    const consoleIrq = platform.console.irq;
    const arm = [...plans.values()].filter((p): p is ArmPassthroughPlan => p.family === 'arm').map((p) => ({ ...p, irqs: p.irqs.filter((i) => i.irq !== consoleIrq) }));
    try {
      checkIrqClaims(arm);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      errors.push(...e.diagnostics);
    }
    if (errors.length) throw new DiagnosticError(errors);
    return new SystemPassthrough(platform, plans);
  }

  /** The device untypeds the kernel must boot with (KernelOptions.untyped, after the RAM ones). */
  get untyped(): UntypedSpec[] {
    return deviceUntypeds([...this.plans.values()]);
  }

  /** Kernel options with the device untypeds added to `base` (the kernel's default RAM untypeds when absent). */
  kernelOptions(base?: { readonly untyped?: readonly UntypedSpec[] }): { untyped: UntypedSpec[] } | undefined {
    const dev = this.untyped;
    if (!dev.length) return base?.untyped ? { untyped: [...base.untyped] } : undefined;
    return { untyped: [...(base?.untyped ?? KERNEL_DEFAULT_UNTYPED), ...dev] };
  }

  /**
   * Arm: realises `vm`'s plan and gives its caps to the VM instance's CNode (the capDL loader's
   * part); the returned DEFINE_MODULE maps the devices and starts the IRQ servers in the VMM
   * thread. Call before the ArmVmm is constructed (its own objects go after these slots).
   */
  armModule(sys: InstantiatedSystem, vm: string): ((v: ArmVmm) => void) | undefined {
    const plan = this.plans.get(vm);
    if (!plan || plan.family !== 'arm') return undefined;
    const is = sys.instances.get(vm);
    if (!is) throw new Error(`no instance '${vm}' in the assembly`);
    const routing = routeArm({ kernel: sys.kernel, platform: this.platform, plan, cnode: is.space.cnodeRoot, alloc: this.rootAllocator(sys.kernel), frames: this.frames });
    this.routings.set(vm, routing);
    return routing.module;
  }

  /** x86: realises `vm`'s plan into its attached Init VMM (I/O ports, IOAPIC routes, PCI devices on `bus`). */
  routeX86(sys: InstantiatedSystem, vm: string, vmm: X86Vmm, bus?: PciBus): X86Routing | undefined {
    const plan = this.plans.get(vm);
    if (!plan || plan.family !== 'x86') return undefined;
    const routing = routeX86({ kernel: sys.kernel, vmm, plan: plan as X86PassthroughPlan, alloc: this.rootAllocator(sys.kernel), bus });
    this.routings.set(vm, routing);
    return routing;
  }

  /**
   * The root task's allocator after instantiation: RAM untypeds, filling the root CNode from the
   * first slot above everything instantiation (and the VMMs attached so far) filled.
   */
  private rootAllocator(kernel: Kernel): ObjectAllocator {
    if (this.alloc) return this.alloc;
    const cn = kernel.rootCNode;
    let first = kernel.firstFreeSlot;
    for (let s = first; s < cn.size; s++) if (cn.capAt(s)) first = s + 1;
    const ram = kernel.untyped.filter((u) => !u.device).map((u) => u.cptr);
    return (this.alloc = new ObjectAllocator(kernel.root, ram, Math.max(first, InitCaps.firstFree)));
  }
}

function asks(asm: ResolvedAssembly, instances: readonly string[], keys: readonly string[]): boolean {
  return asm.settings.some((s) => instances.includes(s.target) && keys.includes(s.attribute));
}
