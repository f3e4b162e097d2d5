/**
 * Guest-physical memory management: a buddy-like page allocator over the guest's RAM and
 * kmalloc on top of it. Addresses are guest-physical (the model's kernel uses an identity
 * virt_to_phys), so what a driver shares with the VMM is the address it hands out here; the
 * contents are read and written through `machine.read/write`, which is what makes a remapped page
 * show the component's frames.
 */
export const PAGE_SIZE = 4096;
/** The kernel image, initramfs and early allocations live below this offset into RAM. */
const KERNEL_RESERVED = 16 * 1024 * 1024;

export class PageAllocator {
  private readonly freeLists = new Map<number, number[]>();
  private next: number;
  private readonly end: number;

  constructor(base: number, size: number) {
    this.next = base + Math.min(KERNEL_RESERVED, Math.floor(size / 2));
    this.end = base + size;
  }

  /** 2^order contiguous pages aligned to their size, or null when RAM is exhausted. */
  alloc(order: number): number | null {
    const list = this.freeLists.get(order);
    if (list && list.length) return list.shift()!;
    const bytes = PAGE_SIZE * 2 ** order;
    const at = Math.ceil(this.next / bytes) * bytes;
    if (at + bytes > this.end) return null;
    // Pages skipped for alignment go to the smaller free lists, lowest first.
    let gap = this.next;
    while (gap < at) {
      let o = 0;
      while (gap % (PAGE_SIZE * 2 ** (o + 1)) === 0 && gap + PAGE_SIZE * 2 ** (o + 1) <= at) o++;
      this.free(gap, o);
      gap += PAGE_SIZE * 2 ** o;
    }
    this.next = at + bytes;
    return at;
  }

  free(addr: number, order: number): void {
    const list = this.freeLists.get(order) ?? [];
    list.push(addr);
    list.sort((a, b) => a - b);
    this.freeLists.set(order, list);
  }
}

export class Kmalloc {
  private readonly sizes = new Map<number, { order?: number; slab?: number }>();
  private readonly slabs = new Map<number, number[]>();

  constructor(private readonly pages: PageAllocator) {}

  /** kmalloc: page-aligned for sizes of a page and more, naturally aligned below. Null on failure. */
  kmalloc(size: number): number | null {
    if (size <= 0) return null;
    if (size >= PAGE_SIZE) {
      let order = 0;
      while (PAGE_SIZE * 2 ** order < size) order++;
      const a = this.pages.alloc(order);
      if (a !== null) this.sizes.set(a, { order });
      return a;
    }
    let obj = 8;
    while (obj < size) obj *= 2;
    let free = this.slabs.get(obj);
    if (!free || !free.length) {
      const page = this.pages.alloc(0);
      if (page === null) return null;
      free = [];
      for (let a = page; a < page + PAGE_SIZE; a += obj) free.push(a);
      this.slabs.set(obj, free);
    }
    const a = free.shift()!;
    this.sizes.set(a, { slab: obj });
    return a;
  }

  kfree(addr: number): void {
    const s = this.sizes.get(addr);
    if (!s) return;
    this.sizes.delete(addr);
    if (s.order !== undefined) this.pages.free(addr, s.order);
    else {
      const list = this.slabs.get(s.slab!)!;
      list.push(addr);
      list.sort((a, b) => a - b);
    }
  }
}
