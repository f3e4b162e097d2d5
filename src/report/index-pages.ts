import type { BoardReport } from './board';
import type { Verdict } from './contract';
import { esc } from './escape';
import { matrixHtml, matrixSection } from './matrix';
import { countsBar, generatedLine, page, verdictBadge } from './page';

function requirementIds(boards: readonly BoardReport[]): string[] {
  return [...new Set(boards.flatMap((b) => b.catalogue.flatMap((s) => s.requirements)))].sort();
}

function verdictTable(boards: readonly BoardReport[]): Map<string, Map<string, Verdict>> {
  return new Map(boards.map((b) => [b.board, new Map(b.requirements.map((r) => [r.id, r.verdict]))]));
}

/**
 * `matrix.md`: the feature matrix in the upstream README's shape (seed 004) with observed next to
 * documented, pasteable into a README, then boards × requirements and the changes since the
 * previous run.
 */
export function matrixMarkdown(boards: readonly BoardReport[]): string {
  const out = [...matrixSection(boards)];
  const ids = requirementIds(boards);
  const table = verdictTable(boards);
  out.push('', '## Requirements by board', '', 'Verdicts: pass, not-supported, known-fail, unexpected-pass, fail, unresolved; "—": did not run on the board.', '');
  out.push(`| Requirement | ${boards.map((b) => b.board).join(' | ')} |`, `|${'---|'.repeat(boards.length + 1)}`);
  for (const id of ids) out.push(`| ${id} | ${boards.map((b) => table.get(b.board)!.get(id) ?? '—').join(' | ')} |`);
  out.push('', '## Changes since the previous run', '');
  const changes = boards.flatMap((b) => (b.changes ?? []).map((c) => `| ${b.board} | ${c.requirement} | ${c.from} | ${c.to} |`));
  const none = boards.filter((b) => b.changes === undefined).map((b) => b.board);
  if (changes.length) out.push('| Board | Requirement | Was | Now |', '|---|---|---|---|', ...changes);
  else if (none.length < boards.length) out.push('No requirement changed verdict.');
  if (none.length) out.push('', `No previous run to compare with: ${none.join(', ')}.`);
  out.push('');
  return out.join('\n');
}

/** Changes grouped by kind ("absent → pass ×13"), the requirement ids folded under them. */
function changesCell(b: BoardReport): string {
  if (b.changes === undefined) return '—';
  if (b.changes.length === 0) return 'none';
  const by = new Map<string, string[]>();
  for (const c of b.changes) by.set(`${c.from} → ${c.to}`, [...(by.get(`${c.from} → ${c.to}`) ?? []), c.requirement]);
  return [...by.entries()]
    .map(([k, ids]) => `<details><summary>${esc(k)} ×${ids.length}</summary><small>${ids.map((id) => `<a href="${esc(b.board)}/index.html#${esc(id)}">${esc(id)}</a>`).join(', ')}</small></details>`)
    .join('');
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
          changesCell(b)
        }</td></tr>`,
    ),
    '</table>',
    '<h2>Feature matrix</h2>',
    '<p>Upstream\'s feature matrix (seed 004) with each cell as observed by this run\'s <code>@matrix:</code> scenarios over the documented value; hover a cell for both sources. <a href="matrix.md">matrix.md</a> has the same table for a README, with numbered notes.</p>',
    matrixHtml(boards),
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
