import { CanRead, type AccessFault, type CapRights, type CPtr, type Invoker, type ObjectAllocator, type VSpace } from '../../sel4';
import { VMM_OP, type VmmTracer } from './trace';

export const PAGE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_BITS;

/** A device the VMM emulates: every guest access to it exits to the VMM (no frame is mapped). */
export interface MmioRegion {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  read(offset: number, size: 1 | 2 | 4): number;
  write(offset: number, size: 1 | 2 | 4, value: number): void;
}

/**
 * Memory the guest reads directly but whose writes exit to the VMM: frames mapped read-only in
 * the EPT / stage-2 (e.g. the generation-2 event BAR). The write is emulated, then skipped.
 */
export interface ReadOnlyRegion {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  onWrite(offset: number, size: number, value: number): void;
}

/** What the VMM did about a guest access that missed the EPT / stage-2 tables. */
export type FaultResolution =
  /** Guest RAM touched for the first time: now backed, the access is restarted. */
  | { readonly kind: 'retry' }
  /** A device access emulated by the VMM; `value` completes a read. The instruction is skipped. */
  | { readonly kind: 'emulated'; readonly value: number }
  /** Nothing is there: the VMM cannot handle the exit and the VM dies. */
  | { readonly kind: 'fatal'; readonly reason: string };

export interface GuestMemoryOptions {
  /** VM name for object names (`vm0`). */
  readonly name: string;
  /** The guest-physical address space object (EPT on x86, stage 2 on Arm). */
  readonly vspace: VSpace;
  /** The cap to it in the VMM's CSpace. */
  readonly vspaceCap: CPtr;
  readonly tracer: VmmTracer;
}

interface Ram {
  readonly base: number;
  readonly size: number;
}

/**
 * The guest-physical memory map of one VM, over a VSpace object of the kernel model. RAM is
 * backed lazily: a page gets a frame (retyped from the VMM's untyped) and its mapping on the
 * first access, which is a real miss in the VSpace handled as a VM exit, so a 128 MiB guest
 * costs only what it touches. Device regions never get frames (MMIO) or get read-only ones.
 */
export class GuestMemory {
  readonly vspace: VSpace;
  private readonly rams: Ram[] = [];
  private readonly mmios: MmioRegion[] = [];
  private readonly readOnly: ReadOnlyRegion[] = [];
  /** Guest RAM frame caps by page number (kept after an unmap with VSPACE_PRESERVE). */
  private readonly ramFrames = new Map<number, CPtr>();
  /** Pages taken out of RAM by the VMM (a dataport now lives there): never backed again. */
  private readonly withdrawn = new Set<number>();

  private inv: Invoker | null = null;
  private alloc: ObjectAllocator | null = null;

  constructor(private readonly o: GuestMemoryOptions) {
    this.vspace = o.vspace;
  }

  /**
   * The VMM thread's invocations (its CSpace holds `vspaceCap`) and its allocator (retypes RAM
   * frames, hands out slots). Bound when the VMM thread starts, so kernel operations the VMM
   * performs for the guest are made, and traced, as that thread.
   */
  bind(invoker: Invoker, allocator: ObjectAllocator): void {
    this.inv = invoker;
    this.alloc = allocator;
  }

  get invoker(): Invoker {
    if (!this.inv) throw new Error(`${this.o.name}: guest memory used before the VMM thread bound it`);
    return this.inv;
  }

  get allocator(): ObjectAllocator {
    if (!this.alloc) throw new Error(`${this.o.name}: guest memory used before the VMM thread bound it`);
    return this.alloc;
  }

  get name(): string {
    return this.o.name;
  }

  addRam(base: number, size: number): void {
    this.rams.push({ base, size });
  }

  addMmio(region: MmioRegion): void {
    this.mmios.push(region);
  }

  /** Maps `frames` (caps in the VMM's CSpace) read-only at `region.base`; guest writes exit to `onWrite`. */
  addReadOnly(region: ReadOnlyRegion, frames: readonly CPtr[]): string {
    this.readOnly.push(region);
    return this.mapFrames(region.base, frames, CanRead);
  }

  /** The RAM regions, lowest first. */
  get ram(): readonly Ram[] {
    return this.rams;
  }

  isRam(paddr: number): boolean {
    return this.rams.some((r) => paddr >= r.base && paddr < r.base + r.size);
  }

  mmioAt(paddr: number): MmioRegion | undefined {
    return this.mmios.find((r) => paddr >= r.base && paddr < r.base + r.size);
  }

  // --- Guest accesses: a value, or the fault the VSpace raised -------------------------------

  read(paddr: number, len: number): Uint8Array | AccessFault {
    return this.vspace.readBytes(paddr, len);
  }

  write(paddr: number, bytes: Uint8Array): AccessFault | null {
    return this.vspace.writeBytes(paddr, bytes);
  }

  load(paddr: number, size: 1 | 2 | 4): number | AccessFault {
    return this.vspace.load(paddr, size);
  }

  store(paddr: number, size: 1 | 2 | 4, value: number): AccessFault | null {
    return this.vspace.store(paddr, size, value);
  }

  /**
   * The VMM's handling of an EPT violation / stage-2 abort at `f.addr`: back RAM, emulate a
   * device, or report that nothing is there.
   */
  resolve(f: AccessFault, size: 1 | 2 | 4, value = 0): FaultResolution {
    const page = Math.floor(f.addr / PAGE_SIZE);
    if (f.reason === 'unmapped' && this.isRam(f.addr) && !this.withdrawn.has(page)) {
      const r = this.backPage(page);
      return r === 'seL4_NoError' ? { kind: 'retry' } : { kind: 'fatal', reason: `cannot back guest RAM at ${hex(f.addr)}: ${r}` };
    }
    const m = this.mmioAt(f.addr);
    if (m) {
      if (f.kind === 'read') {
        const v = m.read(f.addr - m.base, size);
        this.o.tracer.event(VMM_OP.mmioRead, m.name, hex(f.addr), hex(v));
        return { kind: 'emulated', value: v };
      }
      m.write(f.addr - m.base, size, value);
      this.o.tracer.event(VMM_OP.mmioWrite, m.name, hex(f.addr), hex(value));
      return { kind: 'emulated', value: 0 };
    }
    const ro = this.readOnly.find((r) => f.addr >= r.base && f.addr < r.base + r.size);
    if (ro && f.kind === 'write' && f.reason === 'permission') {
      ro.onWrite(f.addr - ro.base, size, value);
      this.o.tracer.event(VMM_OP.mmioWrite, ro.name, hex(f.addr), hex(value));
      return { kind: 'emulated', value: 0 };
    }
    return { kind: 'fatal', reason: `${f.kind} of unmapped guest-physical address ${hex(f.addr)}` };
  }

  private backPage(page: number): string {
    const inv = this.invoker;
    let cptr = this.ramFrames.get(page);
    if (cptr === undefined) {
      const r = this.allocator.alloc('Frame', `${this.o.name} ram ${hex(page * PAGE_SIZE)}`, PAGE_BITS);
      if (r.error !== 'seL4_NoError') return r.error;
      cptr = r.value;
      this.ramFrames.set(page, cptr);
    }
    const m = inv.pageMap(cptr, this.o.vspaceCap, page * PAGE_SIZE, { read: true, write: true, grant: false, grantReply: false });
    if (m === 'seL4_NoError') this.o.tracer.event(VMM_OP.ramBacked, this.vspace.name, hex(page * PAGE_SIZE));
    return m;
  }

  /** The RAM frame cap backing `paddr`, backing the page first if the guest never touched it. */
  ramFrame(paddr: number): CPtr | null {
    const page = Math.floor(paddr / PAGE_SIZE);
    if (!this.ramFrames.has(page)) {
      if (!this.isRam(paddr) || this.withdrawn.has(page) || this.backPage(page) !== 'seL4_NoError') return null;
    }
    return this.ramFrames.get(page) ?? null;
  }

  /**
   * Unmaps the guest pages covering [paddr, paddr+size) keeping their frames (libsel4vmm's
   * VSPACE_PRESERVE: the guest's RAM frames are not freed and never mapped back).
   */
  unmapPreserve(paddr: number, size: number): void {
    for (let a = Math.floor(paddr / PAGE_SIZE) * PAGE_SIZE; a < paddr + size; a += PAGE_SIZE) {
      const page = a / PAGE_SIZE;
      this.withdrawn.add(page);
      const cptr = this.ramFrames.get(page);
      if (cptr !== undefined && this.vspace.lookup(a)) this.invoker.pageUnmap(cptr);
    }
  }

  /** Maps frame caps (in the VMM's CSpace) contiguously at `paddr`; the first error, if any. */
  mapFrames(paddr: number, frames: readonly CPtr[], rights: CapRights): string {
    let at = paddr;
    for (const f of frames) {
      const frame = this.invoker.object<{ size: number }>(f);
      const r = this.invoker.pageMap(f, this.o.vspaceCap, at, rights);
      if (r !== 'seL4_NoError') return r;
      at += frame?.size ?? PAGE_SIZE;
    }
    return 'seL4_NoError';
  }
}

export function hex(n: number): string {
  return '0x' + n.toString(16);
}
