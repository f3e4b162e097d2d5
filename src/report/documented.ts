import type { Feature, Platform } from '../platform';
import type { MatrixColumn } from './contract';

/** What the board description documents for one feature-matrix cell, with how sure it is. */
export interface DocumentedCell {
  /** "Supported", "Unsupported", "64-bit"; for a CONFLICT, the first source's value. */
  readonly value: string;
  /** Where the value comes from: the board file and the section's own source. */
  readonly source: string;
  /** The matrix marks the cell untested ("... are untested" in the upstream notes). */
  readonly untested: boolean;
  /** The reference marks the value UNCONFIRMED. */
  readonly unconfirmed: boolean;
  /** Sources that disagree (platforms.md CONFLICT), each value with its source. */
  readonly conflict?: readonly { readonly value: string; readonly source: string }[];
}

/** The board file's key of each column (YAML spelling, as `unconfirmed` and `conflicts` name it) and its field. */
const KEYS: Record<MatrixColumn, { yaml: string; field: 'guestMode' | 'smp' | 'multipleVms' | 'virtioPci' | 'virtioConsole' | 'virtioNet' | 'crossVm' }> = {
  'guest-mode': { yaml: 'guest_mode', field: 'guestMode' },
  smp: { yaml: 'smp', field: 'smp' },
  'multi-vm': { yaml: 'multiple_vms', field: 'multipleVms' },
  'virtio-pci': { yaml: 'virtio_pci', field: 'virtioPci' },
  'virtio-console': { yaml: 'virtio_console', field: 'virtioConsole' },
  'virtio-net': { yaml: 'virtio_net', field: 'virtioNet' },
  'cross-vm': { yaml: 'cross_vm', field: 'crossVm' },
};

/** Upstream's words for a documented value. */
export function word(v: unknown): string {
  return v === 'supported' ? 'Supported' : v === 'unsupported' ? 'Unsupported' : String(v);
}

/** The matrix row's name upstream ("QEMU Virt", "TX2"), when the board has a row. */
export function matrixRowName(p: Platform): string | undefined {
  return p.features?.row ?? undefined;
}

/** The documented notes of the board's matrix row. */
export function matrixNotes(p: Platform): string | undefined {
  return p.features?.notes ?? undefined;
}

/**
 * The documented feature-matrix cell for a column, or undefined when the board has no matrix row
 * (or the row no value for the column). Reads the board description's `features` section.
 */
export function documentedCell(p: Platform, column: MatrixColumn): DocumentedCell | undefined {
  const f = p.features;
  if (!f || typeof f !== 'object') return undefined;
  const { yaml, field } = KEYS[column];
  const source = `${p.file}${f.source ? ` (${f.source})` : ''}`;
  const raw = (f as unknown as Record<string, unknown>)[field];
  let value: string | undefined;
  let untested = false;
  if (typeof raw === 'string') value = raw;
  else if (raw && typeof raw === 'object') {
    const cell = raw as Partial<Feature>;
    if (typeof cell.documented === 'string') value = word(cell.documented);
    untested = cell.untested === true;
  }
  if (value === undefined) return undefined;
  const unconfirmed = (f.unconfirmed ?? []).some((k) => k === '*' || k === yaml || k === field);
  const c = (f.conflicts ?? []).find((x) => x.key === yaml || x.key === field);
  const conflict = c ? c.values.map((v) => ({ value: word(v.value), source: v.source })) : undefined;
  return { value, source, untested, unconfirmed, ...(conflict ? { conflict } : {}) };
}

/** The documented cell in words: "Unsupported (untested)", "Unsupported / Supported (CONFLICT)". */
export function documentedText(d: DocumentedCell | undefined): string {
  if (!d) return '—';
  const v = d.conflict ? [...new Set(d.conflict.map((c) => c.value))].join(' / ') : d.value;
  const marks = [d.untested ? 'untested' : '', d.conflict ? 'CONFLICT' : '', d.unconfirmed ? 'UNCONFIRMED' : ''].filter((x) => x);
  return marks.length ? `${v} (${marks.join(', ')})` : v;
}
