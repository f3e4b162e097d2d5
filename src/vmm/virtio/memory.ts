import type { GuestMemory } from '../core';

/**
 * What a virtio device needs of its guest: bytes of guest-physical memory, as the VMM reaches
 * them through its own mapping of guest RAM. Synchronous: a device runs inside the VMM thread's
 * handling of an exit or an event. `null` / `false` means the address is not guest RAM (a
 * descriptor pointing at a device or outside RAM), which the device treats as a broken chain.
 */
export interface VirtioMemory {
  read(paddr: number, length: number): Uint8Array | null;
  write(paddr: number, bytes: Uint8Array): boolean;
}

/**
 * The VMM core's `GuestMemory` as a `VirtioMemory`: a RAM page the guest never touched is backed
 * first (as `vm_guest_mem_touch` does), device regions are refused. Call only from the VMM
 * thread that bound the memory.
 */
export function virtioMemoryOf(memory: GuestMemory): VirtioMemory {
  const back = (paddr: number, length: number): boolean => {
    for (let a = paddr; a < paddr + length; a = (Math.floor(a / 4096) + 1) * 4096) {
      if (!memory.isRam(a)) return false;
    }
    return true;
  };
  return {
    read(paddr, length) {
      if (!back(paddr, length)) return null;
      for (let tries = 0; tries <= length / 4096 + 2; tries++) {
        const r = memory.read(paddr, length);
        if (r instanceof Uint8Array) return r;
        if (memory.resolve(r, 1).kind !== 'retry') return null;
      }
      return null;
    },
    write(paddr, bytes) {
      if (!back(paddr, bytes.length)) return false;
      for (let tries = 0; tries <= bytes.length / 4096 + 2; tries++) {
        const f = memory.write(paddr, bytes);
        if (!f) return true;
        if (memory.resolve(f, 1).kind !== 'retry') return false;
      }
      return false;
    },
  };
}

/** Plain guest RAM for tests and for the back-to-back fixtures: `size` bytes at `base`. */
export class FlatMemory implements VirtioMemory {
  readonly bytes: Uint8Array;
  constructor(readonly base: number, size: number) {
    this.bytes = new Uint8Array(size);
  }
  private inside(paddr: number, length: number): boolean {
    return paddr >= this.base && paddr + length <= this.base + this.bytes.length && length >= 0;
  }
  read(paddr: number, length: number): Uint8Array | null {
    return this.inside(paddr, length) ? this.bytes.slice(paddr - this.base, paddr - this.base + length) : null;
  }
  write(paddr: number, bytes: Uint8Array): boolean {
    if (!this.inside(paddr, bytes.length)) return false;
    this.bytes.set(bytes, paddr - this.base);
    return true;
  }
}

export function getLe(b: Uint8Array, off: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + b[off + i];
  return v;
}

export function putLe(b: Uint8Array, off: number, size: number, v: number): void {
  let x = v;
  for (let i = 0; i < size; i++) {
    b[off + i] = x % 256;
    x = Math.floor(x / 256);
  }
}

export function le(size: number, v: number): Uint8Array {
  const b = new Uint8Array(size);
  putLe(b, 0, size, v);
  return b;
}
