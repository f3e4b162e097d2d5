import type { BoardReport } from './board';
import { MATRIX_COLUMNS, MATRIX_HEADINGS, type Verdict } from './contract';
import { esc } from './escape';
import { countsBar, generatedLine, page, verdictBadge } from './page';

function requirementIds(boards: readonly BoardReport[]): string[] {
  return [...new Set(boards.flatMap((b) => b.catalogue.flatMap((s) => s.requirements)))].sort();
}

function verdictTable(boards: readonly BoardReport[]): Map<string, Map<string, Verdict>> {
  return new Map(boards.map((b) => [b.board, new Map(b.requirements.map((r) => [r.id, r.verdict]))]));
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * `matrix.md`: the boards' observed feature-matrix rows next to the documented ones, in the shape
 * of the upstream README's table (seed 004) so it can be pasted into a README, then boards ×
 * requirements.
 */
export function matrixMarkdown(boards: readonly BoardReport[]): string {
  const out = [
    '## Feature matrix (observed by the conformance suite)',
    '',
    'Each cell: the verdict observed by the `@matrix:` scenarios, then the documented value ("—": none).',
    '',
    `| Platform | ${MATRIX_COLUMNS.map((c) => MATRIX_HEADINGS[c]).join(' | ')} | Sources |`,
    `|${'---|'.repeat(MATRIX_COLUMNS.length + 2)}`,
  ];
  for (const b of boards) {
    const cells = MATRIX_COLUMNS.map((c) => `observed: ${b.matrix[c].observed}; documented: ${b.matrix[c].documented?.value ?? '—'}`);
    const docSources = [...new Set(MATRIX_COLUMNS.flatMap((c) => (b.matrix[c].documented ? [b.matrix[c].documented!.source] : [])))];
    const sources = `observed: reports/${b.board} (seed ${b.run.seed ?? '—'}); documented: ${docSources.length ? docSources.join(', ') : '—'}`;
    out.push(`| ${[b.board, ...cells, sources].map(mdCell).join(' | ')} |`);
  }
  const ids = requirementIds(boards);
  const table = verdictTable(boards);
  out.push('', '## Requirements by board', '', 'Verdicts: pass, not-supported, known-fail, unexpected-pass, fail, unresolved; "—": did not run on the board.', '');
  out.push(`| Requirement | ${boards.map((b) => b.board).join(' | ')} |`, `|${'---|'.repeat(boards.length + 1)}`);
  for (const id of ids) out.push(`| ${id} | ${boards.map((b) => table.get(b.board)!.get(id) ?? '—').join(' | ')} |`);
  out.push('');
  return out.join('\n');
}

export function indexHtml(boards: readonly BoardReport[], now?: Date): string {
  const ids = requirementIds(boards);
  const table = verdictTable(boards);
  const body = [
    '<h1>Conformance reports</h1>',
    generatedLine(now),
    '<p><a href="requirements.html">Requirement catalogue</a> · <a href="matrix.md">matrix.md</a></p>',
    '<h2 id="summary">Boards</h2>',
    '<table><tr><th>board</th><th>status</th><th>verdicts</th><th>seed</th><th>changes since previous run</th></tr>',
    ...boards.map(
      (b) =>
        `<tr><td><a href="${esc(b.board)}/index.html">${esc(b.board)}</a></td><td class="status-${b.ok ? 'ok' : 'attention'}">${b.ok ? 'ok' : 'needs attention'}</td><td>${countsBar(b.counts, 300)}</td><td>${esc(String(b.run.seed ?? '—'))}</td><td>${
          b.changes === undefined ? '—' : b.changes.length === 0 ? 'none' : esc(b.changes.map((c) => `${c.requirement}: ${c.from} → ${c.to}`).join('; '))
        }</td></tr>`,
    ),
    '</table>',
    '<h2>Feature matrix</h2>',
    '<p>Observed by the <code>@matrix:</code> scenarios, with the documented value below it ("—": none).</p>',
    `<table><tr><th>Platform</th>${MATRIX_COLUMNS.map((c) => `<th>${esc(MATRIX_HEADINGS[c])}</th>`).join('')}</tr>`,
    ...boards.map(
      (b) =>
        `<tr><th>${esc(b.board)}</th>${MATRIX_COLUMNS.map((c) => {
          const d = b.matrix[c].documented;
          return `<td>${esc(b.matrix[c].observed)}<br><small title="${esc(d?.source ?? '')}">documented: ${esc(d?.value ?? '—')}</small></td>`;
        }).join('')}</tr>`,
    ),
    '</table>',
    '<h2>Requirements by board</h2>',
    `<table><tr><th>requirement</th>${boards.map((b) => `<th>${esc(b.board)}</th>`).join('')}</tr>`,
    ...ids.map(
      (id) =>
        `<tr><td><a href="requirements.html#${esc(id)}">${esc(id)}</a></td>${boards
          .map((b) => {
            const v = table.get(b.board)!.get(id);
            return `<td>${v ? `<a href="${esc(b.board)}/index.html#${esc(id)}">${verdictBadge(v)}</a>` : verdictBadge('none', '—')}</td>`;
          })
          .join('')}</tr>`,
    ),
    '</table>',
  ];
  return page('Conformance reports', body);
}

const STRENGTH = /\b(MUST NOT|MUST|SHALL NOT|SHALL|SHOULD NOT|SHOULD|MAY)\b/;

/** `requirements.html`: each requirement with its wording, strength and source, from every board's catalogue. */
export function requirementsHtml(boards: readonly BoardReport[], now?: Date): string {
  const entries = new Map<string, { names: Set<string>; rules: Set<string>; sources: Set<string>; where: Set<string>; boards: Set<string> }>();
  for (const b of boards)
    for (const s of b.catalogue)
      for (const id of s.requirements) {
        const e = entries.get(id) ?? { names: new Set(), rules: new Set(), sources: new Set(), where: new Set(), boards: new Set() };
        e.names.add(s.pickle.name);
        if (s.pickle.rule) e.rules.add(s.pickle.rule);
        if (s.source) e.sources.add(s.source);
        e.where.add(`${s.pickle.uri}:${s.pickle.line}`);
        if (s.pickle.attempt) e.boards.add(b.board);
        entries.set(id, e);
      }
  const sorted = (s: Set<string>) => [...s].sort();
  const rows = [...entries.keys()].sort().map((id) => {
    const e = entries.get(id)!;
    const strength = sorted(e.rules).concat(sorted(e.names)).map((t) => STRENGTH.exec(t)?.[1]).find((x) => x) ?? '—';
    return `<tr id="${esc(id)}"><td>${esc(id)}</td><td>${esc(strength)}</td><td>${sorted(e.rules).map(esc).join('<br>')}${e.rules.size ? '<br>' : ''}${sorted(e.names)
      .map((n) => `<em>${esc(n)}</em>`)
      .join('<br>')}</td><td>${sorted(e.sources).map(esc).join('<br>') || '—'}</td><td>${sorted(e.where).map((w) => `<code>${esc(w)}</code>`).join('<br>')}</td><td>${esc(sorted(e.boards).join(', ') || '—')}</td></tr>`;
  });
  return page('Requirement catalogue', [
    '<h1>Requirement catalogue</h1>',
    generatedLine(now),
    '<p>Each requirement with the rule and scenarios that state it and the document section it comes from.</p>',
    '<table><tr><th>requirement</th><th>strength</th><th>wording (rule, scenarios)</th><th>source</th><th>scenarios</th><th>ran on</th></tr>',
    ...rows,
    '</table>',
  ]);
}
