import type { LogSite } from '../crossvm/gen2/zf-log';

/** camkes-vm components/VM_Arm/src/main.c: handle_async_event's "Unknown badge (%"SEL4_PRId_word")". */
export const UNKNOWN_BADGE: LogSite = { func: 'handle_async_event', file: 'main.c', line: 1046 };
export const unknownBadge = (badge: number): string => `Unknown badge (${badge})`;

/**
 * What the Arm VMM prints when a stage-2 fault hits nothing it emulates and the vCPU stops.
 * UNCONFIRMED: the reference quotes no Arm wording; this line is the model's, kept in one place.
 */
export const armFatalLines = (reason: string): string[] => [`VM_FATAL_ERROR ::: unhandled stage-2 fault: ${reason}`];

/** libsel4vm's ZF_LOGF sites in the vGIC. UNCONFIRMED: the line numbers are not in the reference (0 here). */
export const VGIC_LOG_FILE = 'vgic_v2.c';
