/**
 * Device passthrough: configuration → plan (regions, IRQs, I/O ports, PCI devices, each with the
 * position that asked for it) → kernel objects. See README.md in this folder.
 */
export * from './types';
export { armConfigFromAssembly, armConfigFromBoard, type ArmPassthroughConfig } from './arm-config';
export { planArm, checkIrqClaims, type ArmPlanContext } from './arm';
export { x86ConfigFromAssembly, x86ConfigFromBoard, type X86PassthroughConfig } from './x86-config';
export { planX86, type X86PlanContext } from './x86';
export { EMULATED_IOPORTS, GUEST_LINES, IOPORT_END_EXCLUSIVE, fixedLines, ioportOverlaps, x86GuestRam, type EmulatedPorts, type X86GuestDevices } from './x86-guest';
export {
  realise, realiseArm, deviceUntypeds, x86HostLine, X86_USER_IRQ_BASE,
  type RealiseOptions, type Realisation, type RealisedIrq, type RealisedRegion,
} from './realise';
