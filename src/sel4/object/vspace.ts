import type { SeL4ErrorName } from '../api/errors';
import { maskRights, type CapRights, type VMFaultKind } from '../api/types';
import type { ArchConfig } from '../machine/arch';
import type { Cap } from '../model/cspace';
import { KObject } from '../model/objects';
import type { Frame } from './frame';

/** seL4_ARM_VMAttributes / seL4_X86_VMAttributes, as far as the model distinguishes them. */
export interface VMAttributes {
  readonly cacheable: boolean;
  readonly executeNever: boolean;
}

export const DEFAULT_VM_ATTRIBUTES: VMAttributes = Object.freeze({ cacheable: true, executeNever: false });

export interface Mapping {
  readonly frame: Frame;
  readonly cap: Cap;
  readonly vaddr: number;
  readonly sizeBits: number;
  rights: CapRights;
  attrs: VMAttributes;
}

/** Why an access through a VSpace did not reach memory. */
export interface AccessFault {
  readonly addr: number;
  readonly kind: VMFaultKind;
  readonly reason: 'unmapped' | 'permission';
}

/**
 * A virtual address space: the page directory root of a thread (seL4 VSpace) or a guest's
 * stage-2 / EPT view, which the kernel handles by the same mechanism. Paging structures are
 * implicit: the model does not make callers map page tables first (see README).
 */
export class VSpace extends KObject {
  readonly type = 'VSpace';
  /** One map per frame size, keyed by virtual page number at that size. */
  private readonly maps: Map<number, Mapping>[];

  constructor(
    id: number,
    name: string,
    readonly cfg: ArchConfig,
  ) {
    super(id, name);
    this.maps = cfg.pageBits.map(() => new Map());
  }

  /** seL4_ARM_Page_Map / seL4_X86_Page_Map (and a remap when the cap is already mapped here). */
  map(cap: Cap, vaddr: number, rights: CapRights, attrs: VMAttributes): SeL4ErrorName {
    const frame = cap.object as Frame;
    const bits = frame.sizeBits;
    const size = 2 ** bits;
    const level = this.cfg.pageBits.indexOf(bits);
    if (cap.mapping) {
      if (cap.mapping.vspace !== this) return 'seL4_InvalidCapability';
      if (cap.mapping.vaddr !== vaddr) return 'seL4_InvalidArgument';
      const m = this.maps[level].get(vaddr / size)!;
      m.rights = maskRights(cap.rights, rights);
      m.attrs = attrs;
      return 'seL4_NoError';
    }
    if (!Number.isInteger(vaddr) || vaddr < 0 || vaddr % size !== 0) return 'seL4_AlignmentError';
    if (vaddr + size > this.cfg.userTop) return 'seL4_InvalidArgument';
    if (this.overlaps(vaddr, size)) return 'seL4_DeleteFirst';
    this.maps[level].set(vaddr / size, { frame, cap, vaddr, sizeBits: bits, rights: maskRights(cap.rights, rights), attrs });
    cap.mapping = { vspace: this, vaddr };
    return 'seL4_NoError';
  }

  /** seL4_*_Page_Unmap through the cap; also called when a mapped frame cap is deleted. */
  unmapCap(cap: Cap): void {
    if (!cap.mapping || cap.mapping.vspace !== this) return;
    const frame = cap.object as Frame;
    const size = 2 ** frame.sizeBits;
    this.maps[this.cfg.pageBits.indexOf(frame.sizeBits)].delete(cap.mapping.vaddr / size);
    cap.mapping = null;
    this.last = this.prev = undefined;
  }

  private overlaps(vaddr: number, size: number): boolean {
    for (let i = 0; i < this.maps.length; i++) {
      const s = 2 ** this.cfg.pageBits[i];
      const m = this.maps[i];
      if (m.size === 0) continue;
      if (s >= size) {
        if (m.has(Math.floor(vaddr / s))) return true;
      } else if (m.size < size / s) {
        for (const e of m.values()) if (e.vaddr >= vaddr && e.vaddr < vaddr + size) return true;
      } else {
        for (let a = vaddr; a < vaddr + size; a += s) if (m.has(a / s)) return true;
      }
    }
    return false;
  }

  /**
   * The two mappings found last and their ends: accesses come in runs on a page or alternate
   * between two (a guest's dataport and its event page). Only an unmap can make them stale (a
   * remap changes rights in the same record; a new mapping never overlaps).
   */
  private last: Mapping | undefined = undefined;
  private lastEnd = 0;
  private prev: Mapping | undefined = undefined;
  private prevEnd = 0;

  /** The mapping covering `vaddr`, if any. */
  lookup(vaddr: number): Mapping | undefined {
    const l = this.last;
    if (l && vaddr >= l.vaddr && vaddr < this.lastEnd) return l;
    const p = this.prev;
    if (p && vaddr >= p.vaddr && vaddr < this.prevEnd) {
      this.prev = l;
      this.prevEnd = this.lastEnd;
      this.last = p;
      this.lastEnd = p.vaddr + 2 ** p.sizeBits;
      return p;
    }
    for (let i = 0; i < this.maps.length; i++) {
      const m = this.maps[i];
      if (m.size === 0) continue;
      const e = m.get(Math.floor(vaddr / 2 ** this.cfg.pageBits[i]));
      if (e) {
        this.prev = l;
        this.prevEnd = this.lastEnd;
        this.last = e;
        this.lastEnd = e.vaddr + 2 ** e.sizeBits;
        return e;
      }
    }
    return undefined;
  }

  /** Mappings sorted by address, for listings and tests. */
  mappings(): Mapping[] {
    return this.maps.flatMap((m) => [...m.values()]).sort((a, b) => a.vaddr - b.vaddr);
  }

  private check(vaddr: number, kind: VMFaultKind): Mapping | AccessFault {
    const m = this.lookup(vaddr);
    if (!m) return { addr: vaddr, kind, reason: 'unmapped' };
    if (kind === 'read' ? !m.rights.read : !m.rights.write) return { addr: vaddr, kind, reason: 'permission' };
    return m;
  }

  /** A 1, 2 or 4 byte little-endian load, or the fault it raises. */
  load(vaddr: number, size: 1 | 2 | 4): number | AccessFault {
    const m = this.check(vaddr, 'read');
    if (!('frame' in m)) return m;
    if (vaddr + size <= m.vaddr + 2 ** m.sizeBits) return m.frame.readU(vaddr - m.vaddr, size);
    const bytes = this.readBytes(vaddr, size);
    if (!(bytes instanceof Uint8Array)) return bytes;
    return bytes.reduceRight((v, b) => v * 256 + b, 0);
  }

  store(vaddr: number, size: 1 | 2 | 4, value: number): AccessFault | null {
    const m = this.check(vaddr, 'write');
    if (!('frame' in m)) return m;
    if (vaddr + size <= m.vaddr + 2 ** m.sizeBits) {
      m.frame.writeU(vaddr - m.vaddr, size, value);
      return null;
    }
    const bytes = new Uint8Array(size);
    for (let i = 0, v = value >>> 0; i < size; i++, v >>>= 8) bytes[i] = v & 0xff;
    return this.writeBytes(vaddr, bytes);
  }

  readBytes(vaddr: number, len: number): Uint8Array | AccessFault {
    const out = new Uint8Array(len);
    return this.readInto(vaddr, out, len) ?? out;
  }

  /**
   * `readBytes` into the first `len` bytes of `out` (a caller's buffer, reused across reads).
   * On a fault `out` may hold part of the range; the fault is returned.
   */
  readInto(vaddr: number, out: Uint8Array, len = out.length): AccessFault | null {
    for (let done = 0; done < len; ) {
      const m = this.check(vaddr + done, 'read');
      if (!('frame' in m)) return m;
      const n = Math.min(len - done, m.vaddr + 2 ** m.sizeBits - (vaddr + done));
      m.frame.read(vaddr + done - m.vaddr, out, done, n);
      done += n;
    }
    return null;
  }

  writeBytes(vaddr: number, data: Uint8Array): AccessFault | null {
    if (data.length === 0) return null;
    // Check the whole range first so that a faulting write changes nothing.
    const first = this.check(vaddr, 'write');
    if (!('frame' in first)) return first;
    const firstN = Math.min(data.length, first.vaddr + 2 ** first.sizeBits - vaddr);
    if (firstN === data.length) {
      // One mapping holds it all (the usual case): no second walk, no view of `data`.
      first.frame.write(vaddr - first.vaddr, data);
      return null;
    }
    for (let done = firstN; done < data.length; ) {
      const m = this.check(vaddr + done, 'write');
      if (!('frame' in m)) return m;
      done += Math.min(data.length - done, m.vaddr + 2 ** m.sizeBits - (vaddr + done));
    }
    for (let done = 0; done < data.length; ) {
      const m = this.lookup(vaddr + done)!;
      const n = Math.min(data.length - done, m.vaddr + 2 ** m.sizeBits - (vaddr + done));
      m.frame.write(vaddr + done - m.vaddr, data.subarray(done, done + n));
      done += n;
    }
    return null;
  }

  override finalise(): void {
    for (const m of this.mappings()) this.unmapCap(m.cap);
  }
}
