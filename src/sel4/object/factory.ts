import type { ObjectType } from '../machine/arch';
import type { KernelCore } from '../kernel/core';
import { CNode } from '../model/cspace';
import { KObject } from '../model/objects';
import { Endpoint } from './endpoint';
import { Frame } from './frame';
import { Notification } from './notification';
import { SchedContext } from './schedcontext';
import { TCB } from './tcb';
import { Untyped } from './untyped-object';
import { VCPU } from './vcpu';
import { VSpace } from './vspace';

/**
 * Creates the object a retype produces. `sizeBits` is the caller's size argument (CNode radix,
 * frame/untyped/sched-context size); `paddr` is where it sits in its parent untyped.
 */
export function createObject(k: KernelCore, type: ObjectType, name: string, sizeBits: number, paddr: number, device: boolean, objBits: number): KObject {
  const id = k.objects.newId();
  let o: KObject;
  switch (type) {
    case 'Untyped':
      o = new Untyped(id, name, sizeBits, paddr, device);
      break;
    case 'CNode':
      o = new CNode(id, name, sizeBits);
      break;
    case 'Frame':
      o = new Frame(id, name, sizeBits, paddr, device);
      break;
    case 'Notification':
      o = new Notification(id, name, k);
      break;
    case 'Endpoint':
      o = new Endpoint(id, name, k);
      break;
    case 'TCB': {
      const t = new TCB(id, name, k, k.nullCNode);
      k.threads.push(t);
      o = t;
      break;
    }
    case 'VSpace':
      o = new VSpace(id, name, k.cfg);
      break;
    case 'VCPU':
      o = new VCPU(id, name, k);
      break;
    case 'SchedContext':
      o = new SchedContext(id, name);
      break;
    default:
      o = new Placeholder(id, name, type);
  }
  o.paddr = paddr;
  o.sizeBits = objBits;
  return k.objects.add(o);
}

/** Objects the model accounts for in untyped memory but gives no behaviour (PageTable, Reply). */
class Placeholder extends KObject {
  constructor(
    id: number,
    name: string,
    readonly type: ObjectType,
  ) {
    super(id, name);
  }
}
