import type { SeL4ErrorName } from '../api/errors';
import { AllRights } from '../api/types';
import type { KernelCore } from '../kernel/core';
import { Cap, insertCap, type Slot } from '../model/cspace';
import { KObject } from '../model/objects';

export class IOPortControl extends KObject {
  readonly type = 'IOPortControl';
  /** Ports already issued, so a range is handed out once until its cap is deleted. */
  readonly issued = new Set<number>();
}

/** An issued range of x86 I/O ports [first, last]. */
export class IOPortRange extends KObject {
  readonly type = 'IOPort';
  constructor(
    id: number,
    readonly first: number,
    readonly last: number,
    private readonly control: IOPortControl,
  ) {
    super(id, `ioports 0x${first.toString(16)}-0x${last.toString(16)}`);
  }
  override finalise(): void {
    for (let p = this.first; p <= this.last; p++) this.control.issued.delete(p);
  }
}

/** What a device model answers for the ports it decodes. */
export interface IOPortDevice {
  in(port: number, size: 1 | 2 | 4): number;
  out(port: number, size: 1 | 2 | 4, value: number): void;
}

/** seL4_X86_IOPortControl_Issue(first, last): InvalidArgument when last < first, RevokeFirst when any is issued. */
export function ioPortIssue(k: KernelCore, ctl: IOPortControl, first: number, last: number, dest: Slot): SeL4ErrorName {
  let r: SeL4ErrorName = 'seL4_NoError';
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last > 0xffff) r = 'seL4_RangeError';
  else if (last < first) r = 'seL4_InvalidArgument';
  else if (dest.cap) r = 'seL4_DeleteFirst';
  else for (let p = first; p <= last; p++) if (ctl.issued.has(p)) r = 'seL4_RevokeFirst';
  if (r === 'seL4_NoError') {
    for (let p = first; p <= last; p++) ctl.issued.add(p);
    insertCap(dest, new Cap(new IOPortRange(k.objects.newId(), first, last, ctl), AllRights), null);
  }
  k.record('seL4_X86_IOPortControl_Issue', `ioports 0x${first.toString(16)}-0x${last.toString(16)}`, first, r);
  return r;
}

/** The port check of seL4_X86_IOPort_In/Out: every byte accessed must lie in the cap's range. */
export function ioPortAllowed(r: IOPortRange, port: number, size: 1 | 2 | 4): boolean {
  return Number.isInteger(port) && port >= r.first && port + size - 1 <= r.last;
}
