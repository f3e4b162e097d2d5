import type { BoardReport, MatrixCell } from './board';
import { MATRIX_COLUMNS, MATRIX_HEADINGS, type MatrixColumn } from './contract';
import { documentedText, matrixNotes, matrixRowName } from './documented';
import { esc } from './escape';

/**
 * The feature matrix as upstream prints it (seed 004: Platform, Guest Mode, SMP Support, ...,
 * Notes), with what this run observed next to what the board description documents. A cell that
 * needs a reader's attention (observed differs from documented, the documented value is a CONFLICT
 * between sources, UNCONFIRMED, or untested upstream) carries a numbered note with both sources.
 */
export interface CellView {
  readonly observed: string;
  readonly documented: string;
  /** How observed and documented compare. */
  readonly relation: 'agree' | 'differ' | 'not-observed' | 'not-documented' | 'neither' | 'attention';
  readonly flags: readonly string[];
  /** The sentence a numbered note gives, when the cell has flags or differs. */
  readonly detail?: string;
}

/** Observed texts that are not a value to compare but a verdict needing attention (verdicts.ts observedCell). */
const UNDECIDED = new Set(['Unresolved', 'Failing', 'Known failure']);

export function assessCell(board: string, column: MatrixColumn, cell: MatrixCell): CellView {
  const d = cell.documented;
  const observed = cell.observed;
  const documented = documentedText(d);
  const seen = observed !== '—';
  const flags: string[] = [];
  if (d?.conflict) flags.push('CONFLICT');
  if (d?.unconfirmed) flags.push('UNCONFIRMED');
  if (d?.untested) flags.push(observed === 'Supported' ? 'untested upstream, passes here' : 'untested upstream');
  let relation: CellView['relation'];
  if (!seen) relation = d ? 'not-observed' : 'neither';
  else if (UNDECIDED.has(observed)) relation = 'attention';
  else if (!d) relation = 'not-documented';
  else {
    const values = d.conflict ? d.conflict.map((c) => c.value) : [d.value];
    relation = values.includes(observed) ? 'agree' : 'differ';
  }
  if (relation === 'differ') flags.push('differs');
  if (!flags.length && relation !== 'attention') return { observed, documented, relation, flags };
  const obs = seen ? `observed ${observed} (${cell.requirements.join(', ')})` : 'not observed by any @matrix scenario';
  const doc = d?.conflict
    ? `documented CONFLICT: ${d.conflict.map((c) => `${c.value} per ${c.source}`).join('; ')}${seen && relation === 'agree' ? `; the run agrees with ${d.conflict.filter((c) => c.value === observed).map((c) => c.source).join('; ')}` : ''}`
    : d
      ? `documented ${documented} per ${d.source}`
      : 'not documented';
  return { observed, documented, relation, flags, detail: `${board} · ${MATRIX_HEADINGS[column]}: ${obs}; ${doc}.` };
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A markdown cell: `Supported ✓`, `Supported ≠ Unsupported`, `*Supported*` (documented, not observed). */
function mdValue(v: CellView, note?: number): string {
  const ref = note !== undefined ? ` [${note}]` : '';
  switch (v.relation) {
    case 'agree':
      return `${v.observed} ✓${ref}`;
    case 'differ':
      return `**${v.observed}** ≠ ${v.documented}${ref}`;
    case 'not-observed':
      return `*${v.documented}*${ref}`;
    case 'not-documented':
      return `${v.observed} (not documented)${ref}`;
    case 'attention':
      return `**${v.observed}** · documented ${v.documented}${ref}`;
    default:
      return `—${ref}`;
  }
}

/** The Platform column: upstream's row name, with the board's name when they differ. */
export function platformName(b: BoardReport): string {
  const row = matrixRowName(b.platform);
  return row && row !== b.board ? `${row} (${b.board})` : b.board;
}

export function matrixSection(boards: readonly BoardReport[]): string[] {
  const notes: string[] = [];
  const rows = boards.map((b) => {
    const cells = MATRIX_COLUMNS.map((c) => {
      const v = assessCell(b.board, c, b.matrix[c]);
      if (!v.detail) return mdValue(v);
      notes.push(`${v.detail}${v.flags.length ? ` Flags: ${v.flags.join(', ')}.` : ''}`);
      return mdValue(v, notes.length);
    });
    const rowNotes = matrixNotes(b.platform) ?? (matrixRowName(b.platform) === undefined ? 'no row in the documented matrix' : '');
    return `| ${[platformName(b), ...cells, rowNotes].map(mdCell).join(' | ')} |`;
  });
  const run = boards[0]?.run;
  const sources = [...new Set(boards.flatMap((b) => MATRIX_COLUMNS.flatMap((c) => (b.matrix[c].documented ? [b.matrix[c].documented!.source] : []))))].sort();
  return [
    '## Feature matrix',
    '',
    `Observed by ${run ? `${run.suite} ${run.version} (simulator ${run.simulator}, seed ${run.seed ?? '—'})` : 'the conformance suite'}: the verdicts of the \`@matrix:<column>\` scenarios on each board, next to the documented matrix. ` +
      '`Supported ✓`: observed and documented agree; `**X** ≠ Y`: observed X, documented Y; `*Y*`: documented Y, not observed by any scenario; `—`: neither. Numbered notes give both sources.',
    '',
    `| Platform | ${MATRIX_COLUMNS.map((c) => MATRIX_HEADINGS[c]).join(' | ')} | Notes |`,
    `|${'---|'.repeat(MATRIX_COLUMNS.length + 2)}`,
    ...rows,
    '',
    ...notes.map((n, i) => `${i + 1}. ${mdCell(n)}`),
    ...(notes.length ? [''] : []),
    `Documented values: ${sources.length ? sources.map(mdCell).join('; ') : '—'}. Observed values: \`reports/<board>/summary.json\` (\`featureMatrix\`).`,
  ];
}

/** The matrix as an HTML table: each cell the observed value over the documented one, flags as badges. */
export function matrixHtml(boards: readonly BoardReport[], link = true): string {
  const head = `<tr><th>Platform</th>${MATRIX_COLUMNS.map((c) => `<th>${esc(MATRIX_HEADINGS[c])}</th>`).join('')}<th>Notes</th></tr>`;
  const rows = boards.map((b) => {
    const name = link ? `<a href="${esc(b.board)}/index.html">${esc(platformName(b))}</a>` : esc(platformName(b));
    const cells = MATRIX_COLUMNS.map((c) => {
      const v = assessCell(b.board, c, b.matrix[c]);
      const tip = v.detail ?? `${b.matrix[c].documented?.source ?? ''}`;
      const flags = v.flags.map((f) => `<span class="flag flag-${f === 'CONFLICT' || f === 'differs' ? 'warn' : 'info'}">${esc(f)}</span>`).join(' ');
      return `<td class="mx mx-${v.relation}" title="${esc(tip)}"><strong>${esc(v.observed)}</strong><br><small>documented: ${esc(v.documented)}</small>${flags ? `<br>${flags}` : ''}</td>`;
    });
    return `<tr><th>${name}</th>${cells.join('')}<td><small>${esc(matrixNotes(b.platform) ?? '')}</small></td></tr>`;
  });
  return `<table class="matrix">${head}${rows.join('')}</table>`;
}
