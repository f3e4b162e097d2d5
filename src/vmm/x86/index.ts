/** The x86 `Init` VMM. See ../README.md. */
export { X86Vmm, X86_GUEST_RAM_BASE, type X86VmmOptions, type VmmInit } from './vmm';
export { X86Machine, picBadge, VM_PIC_BADGE_IRQ_12, ASYNC_EVENT_BIT, type X86Devices } from './machine';
export { I8259Pair } from './pic';
export { Com1, COM1_BASE, COM1_IRQ } from './com1';
export { PciConfigPorts, PCI_CONF_ADDR, PCI_CONF_DATA, type PciConfigSpace } from './pci-ports';
export { VmcallRegistry, unknownTokenMessage, type VmcallHandler, type GuestRegisters } from './vmcall';
export { guestContextLines, VM_FATAL_ERROR_LINE, EXIT_REASON, UNMODELLED_CPU_STATE, type ExitInfo } from './context';
export { pokeHandler, POKE_TOKEN, registerGlueHandlers } from './poke';
export { attachX86Vmm, isX86VmInstance, serialSink, type AttachX86Options, type AttachedX86Vm } from './attach';
export { X86Gen2 } from './gen2';
export { vmCpuid, nativeCpuid, X86_FEATURE, CPUID_EXIT_REASON, type CpuidConfig } from './cpuid';
