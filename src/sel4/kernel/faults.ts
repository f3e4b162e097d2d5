import type { Fault } from '../api/types';
import { faultMessage, sendIPC, type Endpoint } from '../object/endpoint';
import type { TCB } from '../object/tcb';
import type { KernelCore } from './core';

/** One line describing a fault the way seL4's debug kernel prints it (print_fault). */
export function describeFault(f: Fault): string {
  switch (f.type) {
    case 'seL4_Fault_VMFault':
      return `vm fault on data at address 0x${f.addr.toString(16)} with status 0x${(f.kind === 'write' ? 1 : 0).toString(16)}`;
    case 'seL4_Fault_CapFault':
      return `cap fault in ${f.inReceivePhase ? 'receive' : 'send'} phase at address 0x${f.cptr.toString(16)}`;
    case 'seL4_Fault_VGICMaintenance':
      return `VGIC maintenance fault for list register ${f.idx}`;
    case 'seL4_Fault_Timeout':
      return `timeout fault for sched context with badge 0x${f.badge.toString(16)}`;
  }
}

/**
 * What the kernel prints when a thread faults and its fault handler cannot be reached: seL4's
 * handleDoubleFault, where the second fault is the failed lookup of the handler. UNCONFIRMED:
 * the wording is recalled from seL4 src/api/faults.c; the model prints no kernel addresses.
 */
export function noFaultHandlerMessage(t: TCB, f: Fault): string[] {
  return ['Caught cap fault in send phase at address 0x0', 'while trying to handle:', describeFault(f), `in thread "${t.name}"`];
}

/**
 * Delivers a fault: as a Call on the thread's fault handler endpoint (the thread then waits for
 * the reply, which resumes it), or, when there is no usable handler, prints the double-fault
 * message and leaves the thread Inactive, as seL4 does.
 */
export function raiseFault(k: KernelCore, t: TCB, f: Fault): void {
  t.fault = f;
  const cptr = t.faultHandler;
  const cap = cptr === null ? null : k.lookup(t.cspace, cptr);
  if (cap && cap.object.type === 'Endpoint' && cap.rights.write && (cap.rights.grant || cap.rights.grantReply)) {
    const ep = cap.object as Endpoint;
    k.record('fault', t.name, describeFault(f), 'to ' + ep.name);
    sendIPC(k, t, ep, { badge: cap.badge, msg: faultMessage(f), isCall: true, canGrant: cap.rights.grant, canGrantReply: cap.rights.grantReply, fault: f }, true, f.type);
    return;
  }
  for (const line of noFaultHandlerMessage(t, f)) k.printf(line);
  k.cancelBlocking(t);
  k.block(t, 'Inactive', null, `fault: ${describeFault(f)}`);
  k.record('fault', t.name, describeFault(f), 'no fault handler: thread suspended');
}
