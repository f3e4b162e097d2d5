import { VirtioConsoleBackend } from './console';
import { VIRTIO_PLACEMENT } from './layout';
import type { VirtioMemory } from './memory';
import { parseMac, VirtioNetBackend } from './net';
import { VirtioPciTransport } from './transport';

export interface VirtioDeviceOptions {
  /** Name for the PCI function and messages (`virtio-net`). */
  readonly name?: string;
  readonly memory: VirtioMemory;
  /** The board's virtio line (platform `virtio.irqs.net` / `.console`; x86 6 / 9). */
  readonly irqLine: number;
  readonly interrupt: () => void;
  readonly deassert?: () => void;
  readonly log?: (text: string) => void;
  /** BAR0 port; default VIRTIO_PLACEMENT.ioPort for the kind. */
  readonly ioPort?: number;
}

/** A virtio-net PCI function with MAC `mac` (`02:00:00:00:AA:01`); add `transport.def` to the PciBus. */
export function createVirtioNet(o: VirtioDeviceOptions & { readonly mac: string }): { transport: VirtioPciTransport; net: VirtioNetBackend } {
  const net = new VirtioNetBackend(parseMac(o.mac));
  const transport = new VirtioPciTransport({ ...o, name: o.name ?? 'virtio-net', backend: net, ioPort: o.ioPort ?? VIRTIO_PLACEMENT.ioPort.net });
  return { transport, net };
}

/** A virtio-console PCI function whose output goes to `output` (the serial server client). */
export function createVirtioConsole(o: VirtioDeviceOptions & { readonly output: (bytes: Uint8Array) => void }): { transport: VirtioPciTransport; console: VirtioConsoleBackend } {
  const console = new VirtioConsoleBackend(o.output);
  const transport = new VirtioPciTransport({ ...o, name: o.name ?? 'virtio-console', backend: console, ioPort: o.ioPort ?? VIRTIO_PLACEMENT.ioPort.console });
  return { transport, console };
}
