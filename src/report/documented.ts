import type { Platform } from '../platform';
import type { MatrixColumn } from './contract';

export interface DocumentedCell {
  readonly value: string;
  readonly source: string;
}

/** Where each column lives in the board description's `features` section (platform/types.ts). */
const FIELD: Record<MatrixColumn, string> = {
  'guest-mode': 'guestMode',
  smp: 'smp',
  'multi-vm': 'multipleVms',
  'virtio-pci': 'virtioPci',
  'virtio-console': 'virtioConsole',
  'virtio-net': 'virtioNet',
  'cross-vm': 'crossVm',
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/**
 * The documented feature-matrix cell for a column, when the board description has one. Read by
 * shape rather than by type because the board schema is still growing: a board file without a
 * `features` section (or a column without a documented value) gives undefined, shown as "—".
 */
export function documentedCell(p: Platform, column: MatrixColumn): DocumentedCell | undefined {
  const features = obj((p as unknown as Obj).features);
  if (!features) return undefined;
  const source = `${p.file}${typeof features.source === 'string' ? ` (${features.source})` : ''}`;
  const f = features[FIELD[column]];
  if (typeof f === 'string') return { value: f, source };
  const cell = obj(f);
  if (!cell || typeof cell.documented !== 'string') return undefined;
  const word = cell.documented === 'supported' ? 'Supported' : cell.documented === 'unsupported' ? 'Unsupported' : cell.documented;
  return { value: cell.untested === true ? `${word} (untested)` : word, source };
}
