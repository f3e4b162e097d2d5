/**
 * The memory backing each VM instance's guest RAM.
 *
 * With a VMM attached (src/vmm/core `createVmResources`): the VMM's CNode holds the guest-physical
 * VSpace (EPT / stage 2) and the untyped pool guest RAM frames are retyped from. Guest memory is
 * then every RAM frame mapped in a VSpace the VM's CNode holds other than the component's own,
 * every frame carved from those pools (mapped or kept with VSPACE_PRESERVE) and the unbacked rest
 * of the pools. Device pages mapped there are listed apart (device.ts): they are not RAM. Found structurally, not by object name, so it holds for the x86 and Arm VMMs alike.
 *
 * Without a VMM (an assembly instantiated on its own): nothing is built for guest RAM, so only
 * the declared layout is known: the RAM region of `vm_address_config` (`ram_paddr_base`,
 * `ram_size`) or `linux_address_config` (`linux_ram_paddr_base`, `linux_ram_size`) on Arm, else
 * the `untyped_mmios` entries (on Arm upstream lists guest RAM there for 1:1 mapping). x86
 * guests take RAM from `simple_untyped<bits>_pool` untypeds the model does not create: no region.
 */
import type { Frame, KObject, Untyped } from '../../sel4';
import type { InstanceSystem } from '../instantiate';
import { dictGet, str, type ResolvedInstance } from '../resolve';
import { isDevicePage } from './device';
import { declaredRegions, overlaps, regionOf, type Region, type SpaceReach } from './reach';

export interface GuestMemory {
  readonly vm: string;
  /** Where the answer comes from. */
  readonly source: 'vmm' | 'declared' | 'none';
  /** Frames (model objects) that are guest RAM now. */
  readonly frames: ReadonlySet<Frame>;
  /** Device pages mapped in its guest-physical space (not RAM: see device.ts). */
  readonly devices: ReadonlySet<Frame>;
  /** Untyped pools guest RAM is retyped from (the not-yet-backed rest is guest RAM too). */
  readonly pools: readonly Untyped[];
  /** Declared guest RAM in the board's memory map (source 'declared'). */
  readonly declared: readonly (Region & { readonly via: string })[];
}

/** VM components: x86 `VM_INIT_DEF()` declares `guest_ram_mb`; Arm's declares the address structs. */
export function isVmInstance(i: ResolvedInstance): boolean {
  return i.type.attributes.some((a) => a.name === 'guest_ram_mb' || a.name === 'vm_address_config' || a.name === 'linux_address_config');
}

function addressConfig(i: ResolvedInstance): (Region & { via: string }) | undefined {
  for (const [attr, base, size] of [
    ['vm_address_config', 'ram_paddr_base', 'ram_size'],
    ['linux_address_config', 'linux_ram_paddr_base', 'linux_ram_size'],
  ] as const) {
    const v = i.attributes.get(attr)?.value;
    if (!v || v.kind !== 'dict') continue;
    const key = (k: string) => str(dictGet(v, { kind: 'string', value: k, pos: v.pos }));
    const b = key(base);
    const s = key(size);
    if (b === undefined || s === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(b) || !/^(0x[0-9a-f]+|\d+)$/i.test(s)) continue;
    return { paddr: Number(b), size: Number(s), via: `${attr} ${base} ${b} ${size} ${s}` };
  }
  return undefined;
}

export function guestMemoryOf(is: InstanceSystem, reach: SpaceReach): GuestMemory {
  const vm = is.instance.name;
  const pools = [...reach.untypeds.keys()].filter((u) => !u.device);
  const foreignSpaces = [...reach.vspaces.keys()];
  if (pools.length || foreignSpaces.length) {
    const frames = new Set<Frame>();
    const devices = new Set<Frame>();
    for (const vs of foreignSpaces) for (const m of vs.mappings()) (isDevicePage(m.frame) ? devices : frames).add(m.frame);
    const poolRegions = pools.map(regionOf);
    for (const f of reach.frames.keys()) if (!isDevicePage(f) && poolRegions.some((r) => overlaps(r, regionOf(f)))) frames.add(f);
    return { vm, source: 'vmm', frames, devices, pools, declared: [] };
  }
  const cfg = addressConfig(is.instance);
  if (cfg) return { vm, source: 'declared', frames: new Set(), devices: new Set(), pools: [], declared: [cfg] };
  const um = declaredRegions(is.instance).filter((r) => r.kind === 'untyped_mmios');
  if (um.length) return { vm, source: 'declared', frames: new Set(), devices: new Set(), pools: [], declared: um };
  return { vm, source: 'none', frames: new Set(), devices: new Set(), pools: [], declared: [] };
}

/** Whether `o` (a frame or untyped reached by someone) is, or covers, guest memory `g`. */
export function touchesGuest(o: KObject, g: GuestMemory): boolean {
  if (o.type === 'Frame' && g.frames.has(o as Frame)) return true;
  const r = regionOf(o as Frame | Untyped);
  if (g.pools.some((p) => overlaps(regionOf(p), r))) return true;
  if (o.type === 'Untyped') for (const f of g.frames) if (overlaps(r, regionOf(f))) return true;
  return false;
}
