import { Kernel, type Arch, type KernelOptions } from '../../../src/sel4';

/** A kernel and an allocator over its boot untypeds, for tests. */
export function boot(arch: Arch = 'aarch64', opts: Partial<KernelOptions> = {}) {
  const kernel = new Kernel({ arch, seed: 7, ...opts });
  const alloc = kernel.allocator();
  return { kernel, alloc, root: kernel.root, cnode: 2 };
}

export function ops(kernel: Kernel, object?: string) {
  return kernel.trace.all().filter((e) => e.layer === 'kernel' && (object === undefined || e.object === object)).map((e) => `${e.actor}:${e.op}:${e.value ?? ''}:${e.result ?? ''}`);
}
