import { errorAt, type SourcePos } from '../diagnostics';
import type { BehaviourRegistry } from '../camkes/runtime';
import type { InstantiatedSystem } from '../camkes/instantiate';
import { dictGet, str, type ResolvedInstance, type Value } from '../camkes/resolve';
import type { ArmVm, Platform } from '../platform';
import { ArmVmm } from '../vmm/arm';
import { CrossVmConnections, gen2Bindings, gen2SpecsFromGlue, type Gen2Glue } from '../vmm/crossvm/gen2';
import { readVmmGlue, type GlueSource } from '../vmm/glue';
import type { GuestOS } from '../vmm/guest-machine';
import { serialSink } from '../vmm/x86';
import { boardDefines } from './gen2';

/**
 * Arm VM components are the ones the Arm `VM_INIT_DEF()` declares (VM_Arm's VM.camkes, or an
 * app's own `component VM { VM_INIT_DEF() ... }`): they carry `vm_address_config` and the
 * deprecated `linux_address_config`.
 */
export function isArmVmType(i: ResolvedInstance): boolean {
  return i.type.attributes.some((a) => a.name === 'vm_address_config' || a.name === 'linux_address_config');
}

export function isArmVmInstance(sys: InstantiatedSystem, name: string): boolean {
  const i = sys.instances.get(name)?.instance;
  return !!i && isArmVmType(i);
}

/**
 * Registers the `VM_Arm` behaviour. VM_Arm's control thread is its VMM; the model runs the VMM as
 * `vm0:vmm` (an `ArmVmm` the system builder attaches, bound to the instance's global endpoint),
 * so the behaviour supplies no `run()` and the instance's own control thread stays unstarted, as
 * for x86 (src/system/README.md, Decisions).
 */
export function registerVmArm(registry: BehaviourRegistry): BehaviourRegistry {
  return registry.register(isArmVmType, () => ({}), 'VM_Arm');
}

export interface AttachArmOptions {
  readonly platform: Platform;
  /** The app's name: its VM layout on the board is `platform.apps[appName]`. */
  readonly appName: string;
  readonly guest: GuestOS;
  /** The app's VMM C; generation-2 glue becomes a DEFINE_MODULE init run before the vCPU starts. */
  readonly glue?: readonly GlueSource[];
  readonly generation: 1 | 2 | 'none';
  /** More DEFINE_MODULE inits (the system's virtio devices), run after the glue's. */
  readonly modules?: readonly ((v: ArmVmm) => void)[];
  /** CONFIG_MAX_NUM_NODES of the build (src/system/smp.ts); the VMM caps `num_vcpus` by it. Default 1. */
  readonly maxNumNodes?: number;
}

export interface ArmGen2 {
  readonly glue: Gen2Glue;
  /** Null until the module ran, or after cross_vm_connections_init failed (its message is printed). */
  readonly connections: CrossVmConnections | null;
}

export interface AttachedArmVm {
  readonly vmm: ArmVmm;
  readonly gen2?: ArmGen2;
}

/**
 * Gives the CAmkES Arm VM instance `name` its `ArmVmm`: guest RAM and command line from the
 * instance's settings (`vm_address_config`, else the deprecated `linux_address_config` /
 * `linux_image_config`), else the board's layout for the app; the board's vGIC, console and
 * vPCI; the VMM thread bound to the instance's global endpoint notification (seL4GlobalAsynch
 * badges); generation-2 glue read with the board's defines. Call after `instantiate`.
 */
export function attachArmVm(sys: InstantiatedSystem, name: string, o: AttachArmOptions): AttachedArmVm {
  const is = sys.instances.get(name);
  if (!is) throw new Error(`no instance '${name}' in the assembly`);
  const rt = is.runtime;
  const pos = is.instance.pos;
  const layout = o.platform.apps[o.appName]?.vms.find((v): v is ArmVm => v.kind === 'arm' && v.name === name);
  const ram = ramOf(rt.attribute('vm_address_config'), rt.attribute('linux_address_config'), layout, pos, name, o);
  const cmdline = text(rt.attribute('vm_image_config'), 'kernel_bootcmdline') || text(rt.attribute('linux_image_config'), 'linux_bootcmdline') || layout?.cmdline || '';
  const global = [...rt.interfaces.values()].find((h) => h.kind === 'consumes-global');
  let gen2: { glue: Gen2Glue; connections: CrossVmConnections | null } | undefined;
  let vmm: ArmVmm | null = null;
  if (o.generation === 2 && o.glue?.length) {
    const glue = readVmmGlue(o.glue, { defines: boardDefines(o.platform) });
    gen2 = { glue: gen2SpecsFromGlue(glue, gen2Bindings(rt, () => vmm!.sys), pos), connections: null };
  }
  const g = gen2;
  vmm = new ArmVmm({
    kernel: sys.kernel,
    platform: o.platform,
    name,
    cnode: is.space.cnodeRoot,
    ram,
    cmdline,
    serial: serialSink(sys.serial, name),
    guest: o.guest,
    priority: rt.int('base_prio') ?? 100,
    boundNotification: global?.kind === 'consumes-global' ? global.ntfn : undefined,
    // SMP: the instance's num_vcpus attribute (VM_INIT_DEF default 1), capped by the VMM.
    numVcpus: rt.int('num_vcpus') ?? 1,
    maxNumNodes: o.maxNumNodes ?? 1,
    modules: [...(g ? [(v: ArmVmm) => void (g.connections = initConnections(v, g.glue))] : []), ...(o.modules ?? [])],
  });
  return { vmm, gen2 };
}

/**
 * The glue's DEFINE_MODULE init: its register_async_event_handler calls (each callback is
 * `consume_connection_event(vm, badge, true)`), then cross_vm_connections_init.
 */
function initConnections(v: ArmVmm, glue: Gen2Glue): CrossVmConnections | null {
  let conns: CrossVmConnections | null = null;
  for (const h of glue.asyncHandlers) v.registerAsyncEventHandler(h.badge, (b) => conns?.consume(b, true));
  conns = CrossVmConnections.init(
    {
      memory: v.vm.memory,
      pci: v.pci,
      tracer: v.tracer,
      irq: v.crossVmIrq,
      registerIrq: (irq, ack) => v.vgic.registerIrq(0, irq, ack),
      injectIrq: (irq) => v.vgic.injectIrq(0, irq),
      printErr: (t) => v.o.serial.write(v.vm.vmmSource, t),
    },
    glue.baseAddress,
    glue.specs,
  );
  return conns;
}

function text(cfg: Value | undefined, key: string): string | undefined {
  if (!cfg || cfg.kind !== 'dict') return undefined;
  return str(dictGet(cfg, { kind: 'string', value: key, pos: cfg.pos }));
}

/** A numeric string setting (`"0x40000000"`, as VAR_STRINGIZE writes it), positioned when malformed. */
function address(cfg: Value | undefined, key: string, what: string): number | undefined {
  if (!cfg || cfg.kind !== 'dict') return undefined;
  const v = dictGet(cfg, { kind: 'string', value: key, pos: cfg.pos });
  const s = str(v);
  if (s === undefined || s === '') return undefined;
  const n = /^(0x[0-9a-f]+|\d+)$/i.test(s.trim()) ? Number(s.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw errorAt(v!.pos, `expected ${what}.${key} to be a number such as "0x40000000", found "${s}"`);
  return n;
}

function ramOf(vmCfg: Value | undefined, linuxCfg: Value | undefined, layout: ArmVm | undefined, pos: SourcePos, name: string, o: AttachArmOptions): { base: number; size: number } {
  const base = address(vmCfg, 'ram_base', `${name}.vm_address_config`) ?? address(linuxCfg, 'linux_ram_base', `${name}.linux_address_config`);
  const size = address(vmCfg, 'ram_size', `${name}.vm_address_config`) ?? address(linuxCfg, 'linux_ram_size', `${name}.linux_address_config`);
  if (base !== undefined && size !== undefined) return { base, size };
  if (layout) return { base: layout.ram.base, size: layout.ram.size };
  throw errorAt(pos, `${name} has no guest RAM: expected ${name}.vm_address_config (ram_base, ram_size) or ${name}.linux_address_config, or a '${o.appName}' layout for ${name} in ${o.platform.file}`);
}
