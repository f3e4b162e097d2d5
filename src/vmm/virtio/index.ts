/** Virtio devices on the virtual PCI bus (VMM side). See README.md for the wiring. */
export * from './layout';
export { virtioMemoryOf, FlatMemory, getLe, putLe, le, type VirtioMemory } from './memory';
export { DeviceVirtqueue, type DescChain, type DescBuffer, type ChainError } from './virtqueue';
export { VirtioPciTransport, VirtioIoSpace, type VirtioBackend, type VirtioTransportOptions } from './transport';
export { VirtioNetBackend, WirePort, backToBack, parseMac, WIRE_DELIVERY_NS, type NetWire, type NetCounters } from './net';
export { VirtioConsoleBackend } from './console';
export { createVirtioNet, createVirtioConsole, type VirtioDeviceOptions } from './devices';
export { FrameRing } from './link';
export { VirtualSwitch, parseVswitchLayout, type SwitchPort, type SwitchCounters, type SwitchObserver, type SwitchOptions, type VswitchEntry } from './switch';
