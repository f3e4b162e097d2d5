import { GICD, GICD_IIDR_VALUE, GICD_TYPER_VALUE, ICFGR_RESET, ID_REGISTERS, NUM_LINES, NUM_LOCAL, NUM_SGI } from './registers';

export type IrqBit = 'enabled' | 'pending' | 'active' | 'group';

/**
 * The emulated distributor's state (libsel4vm `struct gic_dist_map`): one bit of enable,
 * pending, active and group per line, a priority byte, a target byte and two configuration
 * bits. Lines 0..31 (SGIs and PPIs) are banked per vCPU, so that an SMP guest later gets its
 * own copy per vCPU without changing this layout; lines 32.. are shared.
 */
export class DistributorState {
  enabled = false;
  private readonly bits: Record<IrqBit, Uint8Array[]>;
  private readonly priority: Uint8Array[];
  private readonly targets: Uint8Array[];
  private readonly config: Uint8Array[];

  constructor(readonly numVcpus: number) {
    const banks = () => Array.from({ length: numVcpus + 1 }, (_, i) => new Uint8Array(i < numVcpus ? NUM_LOCAL : NUM_LINES));
    this.bits = { enabled: banks(), pending: banks(), active: banks(), group: banks() };
    this.priority = banks();
    this.targets = banks();
    this.config = banks();
    for (let v = 0; v < numVcpus; v++) {
      // SGIs are always enabled and their enable bits read-only; each vCPU's banked targets
      // name that vCPU alone.
      for (let i = 0; i < NUM_SGI; i++) this.bits.enabled[v][i] = 1;
      this.targets[v].fill(1 << v);
    }
    // SPIs go to the first CPU interface until the guest retargets them.
    this.targets[numVcpus].fill(1, NUM_LOCAL);
    const cfg = (irq: number) => (ICFGR_RESET[Math.min(irq >> 4, ICFGR_RESET.length - 1)] >>> (2 * (irq & 15))) & 3;
    for (let v = 0; v <= numVcpus; v++) for (let irq = v < numVcpus ? 0 : NUM_LOCAL; irq < this.config[v].length; irq++) this.config[v][irq] = cfg(irq);
  }

  private bankOf(irq: number, vcpu: number, table = this.config): Uint8Array {
    return table[irq < NUM_LOCAL ? vcpu : this.numVcpus];
  }

  get(bit: IrqBit, irq: number, vcpu: number): boolean {
    return this.bankOf(irq, vcpu, this.bits[bit])[irq] === 1;
  }

  set(bit: IrqBit, irq: number, vcpu: number, on: boolean): void {
    // SGI enables are read-only (always set).
    if (bit === 'enabled' && irq < NUM_SGI) return;
    this.bankOf(irq, vcpu, this.bits[bit])[irq] = on ? 1 : 0;
  }

  /** ICFGR Int_config[1]: edge-triggered when set, level-sensitive when clear. */
  isEdge(irq: number, vcpu: number): boolean {
    return (this.bankOf(irq, vcpu)[irq] & 2) !== 0;
  }

  priorityOf(irq: number, vcpu: number): number {
    return this.bankOf(irq, vcpu, this.priority)[irq];
  }

  targetsOf(irq: number, vcpu: number): number {
    return this.bankOf(irq, vcpu, this.targets)[irq];
  }

  /** Reads of registers that hold plain state (everything but the ones with side effects). */
  read(offset: number, vcpu: number): number {
    if (offset === GICD.CTLR) return this.enabled ? 1 : 0;
    if (offset === GICD.TYPER) return GICD_TYPER_VALUE;
    if (offset === GICD.IIDR) return GICD_IIDR_VALUE;
    const bitReg = bitRegister(offset);
    if (bitReg) {
      let v = 0;
      for (let i = 0; i < 32; i++) if (this.inRange(bitReg.first + i) && this.get(bitReg.bit, bitReg.first + i, vcpu)) v |= 1 << i;
      return v >>> 0;
    }
    const byteReg = byteRegister(offset);
    if (byteReg) {
      let v = 0;
      const table = byteReg.kind === 'priority' ? this.priority : this.targets;
      for (let i = 3; i >= 0; i--) v = v * 256 + (this.inRange(byteReg.first + i) ? this.bankOf(byteReg.first + i, vcpu, table)[byteReg.first + i] : 0);
      return v;
    }
    if (offset >= GICD.ICFGR && offset < GICD.ICFGR + NUM_LINES / 4) {
      const first = ((offset - GICD.ICFGR) / 4) * 16;
      let v = 0;
      for (let i = 15; i >= 0; i--) v = v * 4 + this.bankOf(first + i, vcpu)[first + i];
      return v;
    }
    return ID_REGISTERS[offset] ?? 0;
  }

  writePriority(irq: number, vcpu: number, value: number): void {
    if (this.inRange(irq)) this.bankOf(irq, vcpu, this.priority)[irq] = value & 0xff;
  }

  /** ITARGETSR: read-only for SGIs and PPIs (they target their own vCPU). */
  writeTarget(irq: number, vcpu: number, value: number): void {
    if (irq >= NUM_LOCAL && this.inRange(irq)) this.bankOf(irq, vcpu, this.targets)[irq] = value & 0xff;
  }

  /** ICFGR: SGIs are read-only, and only Int_config[1] (edge/level) is writable. */
  writeConfig(irq: number, vcpu: number, value: number): void {
    if (irq >= NUM_SGI && this.inRange(irq)) {
      const b = this.bankOf(irq, vcpu);
      b[irq] = (b[irq] & 1) | (value & 2);
    }
  }

  private inRange(irq: number): boolean {
    return irq >= 0 && irq < NUM_LINES;
  }
}

/** A register holding one bit per line, and which bit, for `offset` (word aligned). */
export function bitRegister(offset: number): { bit: IrqBit; set: boolean; first: number } | undefined {
  const span = NUM_LINES / 8;
  const table: [number, IrqBit, boolean][] = [
    [GICD.IGROUPR, 'group', true],
    [GICD.ISENABLER, 'enabled', true],
    [GICD.ICENABLER, 'enabled', false],
    [GICD.ISPENDR, 'pending', true],
    [GICD.ICPENDR, 'pending', false],
    [GICD.ISACTIVER, 'active', true],
    [GICD.ICACTIVER, 'active', false],
  ];
  for (const [base, bit, set] of table) if (offset >= base && offset < base + span) return { bit, set, first: ((offset - base) / 4) * 32 };
  return undefined;
}

export function byteRegister(offset: number): { kind: 'priority' | 'target'; first: number } | undefined {
  if (offset >= GICD.IPRIORITYR && offset < GICD.IPRIORITYR + NUM_LINES) return { kind: 'priority', first: offset - GICD.IPRIORITYR };
  if (offset >= GICD.ITARGETSR && offset < GICD.ITARGETSR + NUM_LINES) return { kind: 'target', first: offset - GICD.ITARGETSR };
  return undefined;
}
