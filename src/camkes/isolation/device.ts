/**
 * Device pages: frames retyped from device untypeds (the kernel's `device` flag, which a frame
 * inherits from the untyped it is carved from). They are not RAM, so never guest memory; a VM
 * maps them because its configuration asks (`mmios`, `untyped_mmios` over device memory, or a
 * `dtb` passthrough), and two VMs holding one such page is sharing only that both declared.
 */
import type { Frame, Untyped } from '../../sel4';
import type { ResolvedInstance } from '../resolve';
import { declaredRegions, overlaps, regionOf } from './reach';

export function isDevicePage(o: Frame | Untyped): boolean {
  return o.device;
}

/**
 * The setting of `i` that declares device page `f`: the `mmios` / `untyped_mmios` entry covering
 * its physical address, else the instance's `dtb` passthrough. The analysis does not resolve
 * `dtb` paths into regions (that needs the board's device tree, which the VMM layer reads), so a
 * page outside every explicit entry is attributed to `dtb` when the instance sets one at all.
 */
export function deviceDeclaration(i: ResolvedInstance, f: Frame): string | undefined {
  const r = regionOf(f);
  const d = declaredRegions(i).find((x) => overlaps(x, r));
  if (d) return d.via;
  const dtb = i.attributes.get('dtb');
  return dtb && dtb.source !== 'default' ? 'dtb' : undefined;
}
