import { ReadWrite, type CPtr, type Frame } from '../../../sel4';
import { PAGE_BITS, hex, type GuestMemory, type VmmTracer } from '../../core';
import { PCI_CLASS_MEMORY_RAM, PCI_COMMAND_MEMORY, type PciBus } from '../../pci';
import { CONNECTION_DEVICE_ID, CONNECTION_REVISION, CONNECTION_VENDOR_ID, DEFAULT_CONNECTION_NAME, EVENT_BAR, GEN2_LOG, MAX_NUM_CONNECTIONS } from './messages';
import { zfLogAt, type LogSite } from './zf-log';

/** One `struct camkes_crossvm_connection` as the VMM receives it (after the glue ran). */
export interface Gen2ConnectionSpec {
  /** The dataport's frames: caps in the VMM's CSpace, in order, and the dataport size in bytes. */
  readonly dataport: { readonly frames: readonly CPtr[]; readonly size: number };
  /** The CAmkES emit function (`ready_emit`), or null (NULL in the glue). */
  readonly emit: (() => void) | null;
  /** x86 `.id` or Arm notification badge; -1 for none. */
  readonly consumeId: number;
  /** Arm `connection_name`; absent on x86. */
  readonly name?: string;
}

/** What the connection driver needs from its VMM. */
export interface Gen2Env {
  readonly memory: GuestMemory;
  readonly pci: PciBus;
  readonly tracer: VmmTracer;
  /** get_crossvm_irq_num(): x86 12; Arm free_plat_interrupts[0], -1 when the board has none. */
  readonly irq: number;
  /** vm_register_irq on vCPU 0 with the given ack; 0 or an error. */
  registerIrq(irq: number, ack: () => void): number;
  /** vm_inject_irq(vcpu0, irq); 0 or an error. */
  injectIrq(irq: number): number;
  /** The VMM's stderr on the serial output (ZF_LOG lines). */
  printErr(text: string): void;
}

export interface Gen2Connection {
  readonly index: number;
  readonly spec: Gen2ConnectionSpec;
  readonly eventBar: number;
  readonly dataportBar: number;
  /** log2 of the dataport size: both BARs advertise it. */
  readonly sizeBits: number;
  readonly eventFrame: Frame;
  /** PCI device number on bus 0, once the devices are constructed. */
  dev: number;
}

/**
 * libsel4vmmplatsupport's cross_vm_connection.c: one virtual PCI device per connection, its
 * event BAR (one read-only frame: guest writes fault here) and its dataport BAR (the
 * component's frames), and the consume path that bumps the event register and injects the
 * shared IRQ.
 */
export class CrossVmConnections {
  private readonly list: Gen2Connection[] = [];

  private constructor(private readonly env: Gen2Env) {}

  get connections(): readonly Gen2Connection[] {
    return this.list;
  }

  /**
   * cross_vm_connections_init_common: lays the connections out from `baseAddress` (event BAR,
   * then dataport, each `dataport size` apart), registers the consume IRQ, then adds the PCI
   * devices. Returns null after logging upstream's message when any step fails (the glue ignores
   * the error and the VM boots without the devices).
   */
  static init(env: Gen2Env, baseAddress: number, specs: readonly Gen2ConnectionSpec[]): CrossVmConnections | null {
    const log = (at: LogSite, text: string) => env.printErr(zfLogAt(at, text));
    if (specs.length > MAX_NUM_CONNECTIONS) {
      log(GEN2_LOG.tooMany.at, GEN2_LOG.tooMany.text(MAX_NUM_CONNECTIONS));
      return null;
    }
    const self = new CrossVmConnections(env);
    if (!initialiseConnections(self, env, baseAddress, specs, log)) {
      log(GEN2_LOG.reserveFailed.at, GEN2_LOG.reserveFailed.text);
      return null;
    }
    for (const c of self.list) {
      c.dev = env.pci.add(self.deviceDef(c));
      if (c.dev < 0) {
        log(GEN2_LOG.pciFailed.at, GEN2_LOG.pciFailed.text);
        return null;
      }
      env.tracer.event('share', `${env.memory.name} connection ${c.index}`, `00:${c.dev.toString(16).padStart(2, '0')}.0`, `event ${hex(c.eventBar)} dataport ${hex(c.dataportBar)}`);
    }
    return self;
  }

  private deviceDef(c: Gen2Connection) {
    const size = 2 ** c.sizeBits;
    const bar = (address: number) => ({ address, size, space: 'memory' as const, prefetchable: true });
    return {
      name: `cross vm connection ${c.index}`,
      vendorId: CONNECTION_VENDOR_ID,
      deviceId: CONNECTION_DEVICE_ID,
      command: PCI_COMMAND_MEMORY,
      status: 0,
      revisionId: CONNECTION_REVISION,
      classCode: PCI_CLASS_MEMORY_RAM,
      progIf: 0,
      headerType: 0,
      subsystemVendorId: 0,
      subsystemId: 0,
      // The register is 8 bits wide: a board without a line (-1) shows 0xff.
      interruptLine: this.env.irq & 0xff,
      interruptPin: 1,
      bars: [bar(c.eventBar), bar(c.dataportBar)],
    };
  }

  /** The consume-event register (`event_registers[1]`) of connection `index`. */
  eventRegister(index: number): number {
    return this.connections[index].eventFrame.readU(EVENT_BAR.CONSUME, 4);
  }

  /**
   * consume_connection_event(vm, event_id, inject_irq): the first connection whose consume id
   * matches gets its register incremented (none matching: silently nothing), then, if asked,
   * the shared IRQ is injected into vCPU 0.
   */
  consume(eventId: number, injectIrq: boolean): void {
    const c = this.connections.find((x) => x.spec.consumeId === eventId);
    if (!c) {
      this.env.tracer.event('async_event', 'consume_connection_event', eventId, 'no connection with this consume id');
      return;
    }
    const count = (c.eventFrame.readU(EVENT_BAR.CONSUME, 4) + 1) >>> 0;
    c.eventFrame.writeU(EVENT_BAR.CONSUME, 4, count);
    this.env.tracer.event('async_event', `connection ${c.index} event register`, count, injectIrq ? `inject ${this.env.irq}` : 'no inject');
    if (injectIrq && this.env.injectIrq(this.env.irq) !== 0) this.env.printErr(zfLogAt(GEN2_LOG.injectFailed.at, GEN2_LOG.injectFailed.text));
  }

  /**
   * handle_event_bar_fault: the register is `offset & 0xff`; 0 emits (the value is ignored),
   * 4 stores the value masked to the access width; anything else is unsupported. The faulting
   * instruction is skipped in every case; no error reaches the guest.
   */
  eventBarFault(c: Gen2Connection, offset: number, kind: 'read' | 'write', size: number, value: number): void {
    const log = (at: LogSite, text: string) => this.env.printErr(zfLogAt(at, text));
    if (kind === 'read') return log(GEN2_LOG.misconfigured.at, GEN2_LOG.misconfigured.text);
    const reg = offset & 0xff;
    if (reg === EVENT_BAR.EMIT) {
      this.env.tracer.event('mmio_write', `connection ${c.index} event bar`, 'emit', c.spec.emit ? 'emit' : 'no emit function');
      if (c.spec.emit) c.spec.emit();
      else log(GEN2_LOG.noEmit.at, GEN2_LOG.noEmit.text);
    } else if (reg === EVENT_BAR.CONSUME) {
      const masked = size >= 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1);
      c.eventFrame.writeU(EVENT_BAR.CONSUME, 4, masked);
    } else log(GEN2_LOG.unsupportedRegister.at, GEN2_LOG.unsupportedRegister.text);
  }
}

/** initialise_connections: false after logging when a connection cannot be set up. */
function initialiseConnections(self: CrossVmConnections, env: Gen2Env, base: number, specs: readonly Gen2ConnectionSpec[], log: (at: LogSite, text: string) => void): boolean {
  const out = self.connections as Gen2Connection[];
  let cur = base;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const size = spec.dataport.size;
    // UNCONFIRMED: BYTES_TO_SIZE_BITS rounds down for a size that is not a power of two.
    const sizeBits = Math.floor(Math.log2(size));
    const eventBar = cur;
    const frame = createEventBar(env, eventBar, i, spec, (offset, kind, sz, value) => self.eventBarFault(out[i], offset, kind, sz, value));
    if (!frame) {
      log(GEN2_LOG.eventBarFailed.at, GEN2_LOG.eventBarFailed.text(i));
      return false;
    }
    cur += size;
    const dataportBar = cur;
    if (!reserveDataport(env, dataportBar, spec, log)) {
      log(GEN2_LOG.dataportBarFailed.at, GEN2_LOG.dataportBarFailed.text(i));
      return false;
    }
    cur += size;
    out.push({ index: i, spec, eventBar, dataportBar, sizeBits, eventFrame: frame, dev: -1 });
    if (spec.consumeId !== -1 && env.irq > 0 && env.registerIrq(env.irq, () => undefined) !== 0) {
      log(GEN2_LOG.registerIrqFailed.at, GEN2_LOG.registerIrqFailed.text);
      log(GEN2_LOG.consumeFailed.at, GEN2_LOG.consumeFailed.text);
      return false;
    }
  }
  return true;
}

/** One zeroed 4 KiB frame, name at offset 8, mapped read-only at the BAR address. */
function createEventBar(env: Gen2Env, addr: number, index: number, spec: Gen2ConnectionSpec, onWrite: (offset: number, kind: 'write', size: number, value: number) => void): Frame | null {
  const m = env.memory;
  // Like the dataport, the event BAR page is a reservation, refused where something already is.
  if (overlapsReserved(m, addr, EVENT_BAR.FRAME_SIZE)) return null;
  const r = m.allocator.alloc('Frame', `${m.name} connection ${index} event bar`, PAGE_BITS);
  if (r.error !== 'seL4_NoError') return null;
  const frame = m.invoker.object<Frame>(r.value)!;
  frame.clear();
  const name = new TextEncoder().encode(spec.name ?? DEFAULT_CONNECTION_NAME).subarray(0, EVENT_BAR.NAME_MAX);
  frame.write(EVENT_BAR.NAME, name);
  const err = m.addReadOnly({ name: `${m.name} connection ${index} event bar`, base: addr, size: EVENT_BAR.FRAME_SIZE, onWrite: (o, s, v) => onWrite(o, 'write', s, v) }, [r.value]);
  return err === 'seL4_NoError' ? frame : null;
}

/** vm_reserve_memory_at + vm_map_reservation_frames for the dataport's frames. */
function reserveDataport(env: Gen2Env, addr: number, spec: Gen2ConnectionSpec, log: (at: LogSite, text: string) => void): boolean {
  const m = env.memory;
  const size = spec.dataport.size;
  if (overlapsReserved(m, addr, size)) {
    log(GEN2_LOG.cannotReserve.at, GEN2_LOG.cannotReserve.text(size, addr));
    return false;
  }
  if (m.mapFrames(addr, spec.dataport.frames, ReadWrite) !== 'seL4_NoError') {
    log(GEN2_LOG.mapFailed.at, GEN2_LOG.mapFailed.text);
    return false;
  }
  return true;
}

/** A reservation fails where the guest-physical map already has RAM, a device or a mapping. */
function overlapsReserved(m: GuestMemory, addr: number, size: number): boolean {
  for (let a = addr; a < addr + size; a += 1 << PAGE_BITS) if (m.isRam(a) || m.mmioAt(a) || m.vspace.lookup(a)) return true;
  return false;
}
