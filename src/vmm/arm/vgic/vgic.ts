import { errorCode, type SeL4ErrorName } from '../../../sel4';
import { DistributorState, bitRegister, byteRegister } from './distributor';
import { GICD, MAX_IRQ_QUEUE_LEN, NUM_LINES, NUM_LOCAL, NUM_SGI, NUM_SLOTS_SPI_VIRQ, SGIR_FILTER } from './registers';

/**
 * A virtual IRQ the VMM registered (libsel4vm `struct virq_handle`): its number and the ack
 * function run when the guest has finished with it (EOI maintenance) or enables it. A
 * passthrough IRQ's ack acknowledges the seL4 IRQ handler, so a level line still asserted
 * fires again through the kernel.
 */
export interface VirqHandle {
  readonly virq: number;
  readonly ack: (vcpu: number) => void;
}

/** How the vGIC reaches one vCPU's list registers: seL4_ARM_VCPU_InjectIRQ on its VCPU object. */
export interface ListRegisterPort {
  injectIRQ(virq: number, priority: number, group: number, index: number): SeL4ErrorName;
}

/** Where the vGIC reports: the VMM's trace lane and its fatal errors (ZF_LOGF). */
export interface VgicHost {
  record(op: string, object: string, value?: number | string, result?: string): void;
  /** libsel4vm ZF_LOGF: print the message and abort the VMM (never returns). */
  fatal(func: string, message: string): never;
}

interface VcpuState {
  port: ListRegisterPort | null;
  readonly local: (VirqHandle | null)[];
  /** libsel4vm lr_shadow: which virq each list register holds, as the VMM loaded it. */
  readonly lrShadow: (VirqHandle | null)[];
  /** IRQs pending with no list register free, in arrival order (MAX_IRQ_QUEUE_LEN). */
  readonly queue: VirqHandle[];
}

/**
 * The virtual GICv2 of libsel4vm (vgic_v2.c): the emulated distributor, per-vCPU SGIs/PPIs,
 * the 200-slot SPI table, list-register loading through the kernel's VCPU object and the
 * overflow queue refilled on the maintenance fault.
 *
 * Injection semantics (recalled from libsel4vm's vgic_dist_set_pending_irq; the reference
 * gives only the constants): an IRQ with no handle, or disabled at the distributor or on the
 * line, is refused (-1); one already pending is coalesced (0); otherwise it is marked pending
 * and loaded into a free list register, or queued. Pending stays set until the guest's EOI
 * raises the maintenance fault, so re-injections while in service coalesce.
 */
export class Vgic {
  readonly dist: DistributorState;
  private readonly vcpus: VcpuState[];
  private readonly spis: (VirqHandle | null)[] = new Array<VirqHandle | null>(NUM_SLOTS_SPI_VIRQ).fill(null);

  constructor(
    readonly numVcpus: number,
    readonly listRegisters: number,
    private readonly host: VgicHost,
    readonly name = 'vgic',
  ) {
    this.dist = new DistributorState(numVcpus);
    this.vcpus = Array.from({ length: numVcpus }, () => ({
      port: null,
      local: new Array<VirqHandle | null>(NUM_LOCAL).fill(null),
      lrShadow: new Array<VirqHandle | null>(listRegisters).fill(null),
      queue: [],
    }));
  }

  /** Connects vCPU `id` to its VCPU object; its SGIs get handles with an empty ack, as libsel4vm does. */
  attachVcpu(id: number, port: ListRegisterPort): void {
    const v = this.vcpu(id);
    v.port = port;
    for (let i = 0; i < NUM_SGI; i++) if (!v.local[i]) v.local[i] = { virq: i, ack: () => undefined };
  }

  /**
   * vm_register_irq: lines below 32 are per vCPU; SPIs take a slot of the 200-slot table
   * (no duplicate check, as upstream: the first registration is the one found). Returns 0, or
   * -1 for a line out of range or a full table.
   */
  registerIrq(vcpu: number, irq: number, ack: (vcpu: number) => void): number {
    const h: VirqHandle = { virq: irq, ack };
    let r = 0;
    if (!Number.isInteger(irq) || irq < 0 || irq >= NUM_LINES) r = -1;
    else if (irq < NUM_LOCAL) this.vcpu(vcpu).local[irq] = h;
    else {
      const slot = this.spis.indexOf(null);
      if (slot < 0) r = -1;
      else this.spis[slot] = h;
    }
    this.host.record('vm_register_irq', this.name, irq, r === 0 ? 'ok' : 'failed');
    return r;
  }

  private vcpu(id: number): VcpuState {
    const v = this.vcpus[id];
    if (!v) throw new RangeError(`vCPU ${id} does not exist (${this.numVcpus} vCPUs)`);
    return v;
  }

  private handle(vcpu: number, irq: number): VirqHandle | undefined {
    if (irq < NUM_LOCAL) return this.vcpu(vcpu).local[irq] ?? undefined;
    return this.spis.find((h) => h !== null && h.virq === irq) ?? undefined;
  }

  /** vm_inject_irq: 0 when pending (in a list register, queued, or already pending), -1 when refused. */
  injectIrq(vcpu: number, irq: number): number {
    const h = this.handle(vcpu, irq);
    if (!h || !this.dist.enabled || !this.dist.get('enabled', irq, vcpu)) {
      this.host.record('vm_inject_irq', this.name, irq, h ? 'not enabled' : 'no virq handle');
      return -1;
    }
    if (this.dist.get('pending', irq, vcpu)) {
      this.host.record('vm_inject_irq', this.name, irq, 'coalesced (already pending)');
      return 0;
    }
    this.dist.set('pending', irq, vcpu, true);
    const v = this.vcpu(vcpu);
    if (v.queue.length >= MAX_IRQ_QUEUE_LEN) this.host.fatal('vgic_dist_set_pending_irq', 'Failure enqueueing IRQ, increase MAX_IRQ_QUEUE_LEN');
    v.queue.push(h);
    const idx = v.lrShadow.indexOf(null);
    if (idx < 0) {
      this.host.record('vm_inject_irq', this.name, irq, `queued (${v.queue.length} waiting)`);
      return 0;
    }
    return this.loadListRegister(vcpu, idx, v.queue.shift()!);
  }

  private loadListRegister(vcpu: number, idx: number, h: VirqHandle): number {
    const v = this.vcpu(vcpu);
    const err = v.port ? v.port.injectIRQ(h.virq, 0, 0, idx) : 'seL4_InvalidCapability';
    if (err !== 'seL4_NoError') this.host.fatal('vgic_vcpu_load_list_reg', `Failure loading vGIC list register (error ${errorCode(err)})`);
    v.lrShadow[idx] = h;
    return 0;
  }

  /** The VGICMaintenance fault for list register `idx`: clear pending, ack, refill from the queue. */
  handleMaintenance(vcpu: number, idx: number): void {
    const v = this.vcpu(vcpu);
    const h = v.lrShadow[idx];
    if (!h) {
      this.host.record('vgic_maintenance', this.name, idx, 'empty list register');
      return;
    }
    this.dist.set('pending', h.virq, vcpu, false);
    v.lrShadow[idx] = null;
    this.host.record('vgic_maintenance', this.name, h.virq, `lr ${idx}`);
    h.ack(vcpu);
    // The ack may have re-injected (a level line still high); only refill a register still free.
    const next = v.lrShadow[idx] === null ? v.queue.shift() : undefined;
    if (next) this.loadListRegister(vcpu, idx, next);
  }

  /** IRQs waiting for a list register on `vcpu`, oldest first. */
  queued(vcpu: number): readonly number[] {
    return this.vcpu(vcpu).queue.map((h) => h.virq);
  }

  /** What the VMM last loaded into each list register of `vcpu` (null: free). */
  listRegisterShadow(vcpu: number): readonly (number | null)[] {
    return this.vcpu(vcpu).lrShadow.map((h) => (h ? h.virq : null));
  }

  // --- Distributor MMIO ------------------------------------------------------------------------

  /** A guest load from the distributor frame (offset within the 4 KiB page). */
  read(vcpu: number, offset: number, size: 1 | 2 | 4): number {
    const word = this.dist.read(offset & ~3, vcpu);
    const shift = (offset & 3) * 8;
    return size === 4 ? word >>> 0 : (word >>> shift) & (size === 1 ? 0xff : 0xffff);
  }

  /** A guest store to the distributor frame: the register's side effects happen here. */
  write(vcpu: number, offset: number, size: 1 | 2 | 4, value: number): void {
    const base = offset & ~3;
    const shift = (offset & 3) * 8;
    const bits = size * 8;
    const v = bits === 32 ? value >>> 0 : (value & ((1 << bits) - 1)) >>> 0;
    if (base === GICD.CTLR) {
      this.dist.enabled = (v & 1) === 1;
      this.host.record('gicd_ctlr', this.name, v, this.dist.enabled ? 'enabled' : 'disabled');
      return;
    }
    const br = bitRegister(base);
    if (br) {
      for (let i = 0; i < bits; i++) if ((v >>> i) & 1) this.bitWrite(vcpu, br.bit, br.set, br.first + shift + i);
      if (br.bit === 'group') for (let i = 0; i < bits; i++) if (!((v >>> i) & 1)) this.dist.set('group', br.first + shift + i, vcpu, false);
      return;
    }
    const byr = byteRegister(offset);
    if (byr) {
      for (let i = 0; i < size; i++) {
        const b = (v >>> (8 * i)) & 0xff;
        if (byr.kind === 'priority') this.dist.writePriority(byr.first + i, vcpu, b);
        else this.dist.writeTarget(byr.first + i, vcpu, b);
      }
      return;
    }
    if (base >= GICD.ICFGR && base < GICD.ICFGR + NUM_LINES / 4) {
      const first = ((base - GICD.ICFGR) / 4) * 16 + shift / 2;
      for (let i = 0; i < bits / 2; i++) this.dist.writeConfig(first + i, vcpu, (v >>> (2 * i)) & 3);
      return;
    }
    if (base === GICD.SGIR) this.softwareInterrupt(vcpu, v);
    // Everything else is read-only or reserved: writes are ignored, as on a GIC.
  }

  private bitWrite(vcpu: number, bit: 'enabled' | 'pending' | 'active' | 'group', set: boolean, irq: number): void {
    if (irq >= NUM_LINES) return;
    if (bit === 'enabled') return set ? this.enableIrq(vcpu, irq) : this.dist.set('enabled', irq, vcpu, false);
    if (bit === 'pending' && set) {
      this.injectIrq(vcpu, irq);
      return;
    }
    this.dist.set(bit, irq, vcpu, set);
  }

  /** vgic_dist_enable_irq: enabling a registered line that is not pending runs its ack (re-arms a passthrough IRQ). */
  private enableIrq(vcpu: number, irq: number): void {
    this.dist.set('enabled', irq, vcpu, true);
    this.host.record('gicd_isenabler', this.name, irq, 'enabled');
    const h = this.handle(vcpu, irq);
    if (h && !this.dist.get('pending', irq, vcpu)) h.ack(vcpu);
  }

  /** GICD_SGIR: SGI id in bits 3:0, CPU target list in 23:16, filter in 25:24. */
  private softwareInterrupt(self: number, value: number): void {
    const sgi = value & 0xf;
    const filter = (value >>> 24) & 3;
    const list = (value >>> 16) & 0xff;
    for (let t = 0; t < this.numVcpus; t++) {
      const hit = filter === SGIR_FILTER.LIST ? ((list >>> t) & 1) === 1 : filter === SGIR_FILTER.OTHERS ? t !== self : filter === SGIR_FILTER.SELF && t === self;
      if (hit) this.injectIrq(t, sgi);
    }
  }
}
