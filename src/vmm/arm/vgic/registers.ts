/**
 * GICv2 distributor register map and the values libsel4vm's emulated distributor presents
 * (libsel4vm src/arch/arm/vgic/vgic_v2.c, gicv2.h; reference platforms.md §1.3). One place for
 * every constant the vGIC model uses.
 */

/** Emulated GICD_TYPER: ITLinesNumber 7 (256 lines), CPUNumber 7. */
export const GICD_TYPER_VALUE = 0x0000fce7;
/** Emulated GICD_IIDR. */
export const GICD_IIDR_VALUE = 0x0200043b;

export const NUM_SGI = 16;
export const NUM_PPI = 16;
/** SGIs and PPIs: banked per vCPU. */
export const NUM_LOCAL = NUM_SGI + NUM_PPI;
/** Interrupt lines the emulated distributor advertises (32 × (ITLinesNumber + 1)). */
export const NUM_LINES = 32 * ((GICD_TYPER_VALUE & 0x1f) + 1);
/** libsel4vm NUM_SLOTS_SPI_VIRQ: the SPI bookkeeping table. */
export const NUM_SLOTS_SPI_VIRQ = 200;
/** libsel4vm MAX_IRQ_QUEUE_LEN: the per-vCPU queue of IRQs waiting for a list register. */
export const MAX_IRQ_QUEUE_LEN = 64;
/** The guest's virtual timer PPI (registered for VPPI events). */
export const VTIMER_PPI = 27;
/** Distributor frame size: one 4 KiB page. */
export const GICD_SIZE = 0x1000;

export const GICD = {
  CTLR: 0x000,
  TYPER: 0x004,
  IIDR: 0x008,
  IGROUPR: 0x080,
  ISENABLER: 0x100,
  ICENABLER: 0x180,
  ISPENDR: 0x200,
  ICPENDR: 0x280,
  ISACTIVER: 0x300,
  ICACTIVER: 0x380,
  IPRIORITYR: 0x400,
  ITARGETSR: 0x800,
  ICFGR: 0xc00,
  SGIR: 0xf00,
  CPENDSGIR: 0xf10,
  SPENDSGIR: 0xf20,
  PIDR: 0xfd0,
} as const;

/**
 * Reset values of ICFGR words 0..2 (SGIs edge and read-only; PPIs; the first SPIs) and of
 * the identification registers from 0xfd0, as libsel4vm's vgic_dist_reset writes them.
 * UNCONFIRMED: recalled from libsel4vm, not quoted by the reference.
 */
export const ICFGR_RESET = [0xaaaaaaaa, 0x55540000, 0x55555555] as const;
export const ID_REGISTERS: Readonly<Record<number, number>> = {
  0xfd0: 0x00000004,
  0xfe0: 0x00000090,
  0xfe4: 0x000000b4,
  0xfe8: 0x0000002b,
  0xff0: 0x0000000d,
  0xff4: 0x000000f0,
  0xff8: 0x00000005,
  0xffc: 0x000000b1,
};

/** GICD_SGIR TargetListFilter (bits 25:24). */
export const SGIR_FILTER = { LIST: 0, OTHERS: 1, SELF: 2 } as const;
