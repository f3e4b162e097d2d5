import type { TraceEvent } from '../sel4/trace';
import type { BoardReport } from './board';
import { condense } from './condense';
import { VERDICTS } from './contract';
import { esc } from './escape';
import { irqPathDiagram } from './irq-path';
import { matrixHtml } from './matrix';
import { boardFacts, countsBar, factsTable, generatedLine, page, verdictBadge } from './page';
import { crossesVm, sequenceSvg } from './svg';
import { describe } from './trace-text';
import { scenarioVerdict, type RequirementResult, type ScenarioResult } from './verdicts';

const LEGEND =
  'Solid arrow: a call or message (into the kernel objects for a system call); dashed: the thread the kernel woke; dot: an event without a peer; ×N: N identical events in a row; hover any row for the event in full.';

/** Events shown in a failure's trace excerpt. */
export const EXCERPT_EVENTS = 20;

function excerpt(trace: readonly TraceEvent[]): string {
  const rows = trace.slice(-EXCERPT_EVENTS).map(
    (e) =>
      `<tr><td>${e.seq}</td><td>${e.time}</td><td>${esc(e.layer)}</td><td>${esc(e.actor)}</td><td>${esc(describe(e))}</td><td>${esc(e.peer ?? '')}</td></tr>`,
  );
  const note = trace.length > EXCERPT_EVENTS ? `<p>last ${EXCERPT_EVENTS} of ${trace.length} events</p>` : '';
  return `${note}<table class="trace"><tr><th>seq</th><th>time (ns)</th><th>layer</th><th>actor</th><th>event</th><th>peer</th></tr>${rows.join('')}</table>`;
}

function scenarioHtml(s: ScenarioResult, reqs: ReadonlyMap<string, RequirementResult>, id: string): string {
  const v = scenarioVerdict(s, reqs);
  const failing = v !== 'pass';
  const trace = s.pickle.attempt?.trace;
  const dead = s.pickle.attempt?.deadlockReport;
  const out = [
    `<div class="scn" id="${id}">`,
    `<h3>${verdictBadge(v)} ${esc(s.pickle.name)}</h3>`,
    `<p><code>${esc(`${s.pickle.uri}:${s.pickle.line}`)}</code>${s.source ? ` · source: ${esc(s.source)}` : ''}${s.matrix.length ? ` · matrix: ${esc(s.matrix.join(', '))}` : ''}</p>`,
  ];
  if (s.message !== undefined) {
    out.push(`<p>${esc(s.raw === 'not-supported' ? 'Reason' : `Failed at: ${s.failedStep ?? ''}`)}</p>`);
    out.push(`<pre class="message">${esc(s.message)}</pre>`);
  }
  if (dead) out.push(`<p>Deadlock report</p><pre class="deadlock">${esc(dead)}</pre>`);
  if (trace && trace.length) {
    if (failing) out.push(`<details open><summary>Trace excerpt</summary>${excerpt(trace)}</details>`);
    if (s.passthrough) out.push(`<p>IRQ path</p><div class="diagram">${irqPathDiagram(`${id}-irq`, trace)}</div>`);
    const c = condense(trace, s.pickle.attempt?.marks ?? []);
    // Open where people would rather look than read: a failure, an interrupt's path, a cross-VM exchange.
    const open = failing || s.passthrough || crossesVm(c);
    out.push(
      `<details${open ? ' open' : ''}><summary>Sequence diagram</summary><p class="note">${esc(c.note)} ${LEGEND}</p><div class="diagram">${sequenceSvg(`${id}-seq`, c)}</div></details>`,
    );
  } else if (trace) out.push('<p>The trace is empty.</p>');
  out.push('</div>');
  return out.join('\n');
}

function requirementHtml(r: RequirementResult, reqs: ReadonlyMap<string, RequirementResult>, n: { i: number }): string {
  const out = [`<div class="req" id="${esc(r.id)}">`, `<h3>${verdictBadge(r.verdict)} ${esc(r.id)}</h3>`];
  if (r.expectation)
    out.push(`<p>Expected failure: ${esc(r.expectation.reason)} (<a href="${esc(r.expectation.link)}">${esc(r.expectation.link)}</a>)</p>`);
  for (const s of r.scenarios) out.push(scenarioHtml(s, reqs, `s${n.i++}`));
  out.push('</div>');
  return out.join('\n');
}

export function boardHtml(b: BoardReport, now?: Date): string {
  const reqs = new Map(b.requirements.map((r) => [r.id, r]));
  const n = { i: 0 };
  const body: string[] = [
    `<h1>Conformance report: ${esc(b.board)}</h1>`,
    generatedLine(now),
    `<p>Status: <strong class="status-${b.ok ? 'ok' : 'attention'}">${b.ok ? 'all verdicts accepted' : 'needs attention'}</strong> · suite ${esc(b.run.suite)} ${esc(b.run.version)} · simulator ${esc(b.run.simulator)} · seed ${esc(String(b.run.seed ?? '—'))}${b.run.tags ? ` · tags <code>${esc(b.run.tags)}</code>` : ''}${b.run.startedAt ? ` · run started ${esc(b.run.startedAt)}, ${b.run.durationMs} ms` : ''}</p>`,
    boardFacts(b.platform),
    '<h2 id="summary">Summary</h2>',
    countsBar(b.counts),
    `<table class="counts"><tr>${VERDICTS.map((v) => `<th>${verdictBadge(v)}</th>`).join('')}</tr><tr>${VERDICTS.map((v) => `<td>${b.counts[v]}</td>`).join('')}</tr></table>`,
  ];
  body.push('<h2>Changes since the previous run</h2>');
  if (!b.changes) body.push('<p>No previous run to compare with.</p>');
  else if (b.changes.length === 0) body.push('<p>No requirement changed verdict.</p>');
  else
    body.push(
      `<table><tr><th>requirement</th><th>was</th><th>now</th></tr>${b.changes
        .map((c) => `<tr><td><a href="#${esc(c.requirement)}">${esc(c.requirement)}</a></td><td>${esc(c.from)}</td><td>${esc(c.to)}</td></tr>`)
        .join('')}</table>`,
    );
  body.push(
    '<h2>Feature matrix row</h2>',
    matrixHtml([b], false),
    `<p>Observed: the verdicts of this run's <code>@matrix:</code> scenarios (${esc(
      [...new Set(Object.values(b.matrix).flatMap((c) => c.requirements))].join(', ') || 'none ran',
    )}). Documented: ${esc([...new Set(Object.values(b.matrix).flatMap((c) => (c.documented ? [c.documented.source] : [])))].join('; ') || '— (the board file has no feature-matrix row)')}. Hover a cell for its sources.</p>`,
  );
  if (b.problems.length) body.push('<h2>Problems</h2>', `<pre>${esc(b.problems.join('\n'))}</pre>`);
  body.push(
    '<h2>Requirements</h2>',
    `<table><tr><th>requirement</th><th>verdict</th><th>scenario</th><th>source</th></tr>${b.requirements
      .map(
        (r) =>
          `<tr><td><a href="#${esc(r.id)}">${esc(r.id)}</a></td><td>${verdictBadge(r.verdict)}</td><td>${esc(r.scenarios[0].pickle.name)}${r.scenarios.length > 1 ? ` <small>(+${r.scenarios.length - 1})</small>` : ''}</td><td>${esc(r.scenarios[0].source ?? '—')}</td></tr>`,
      )
      .join('')}</table>`,
    ...b.requirements.map((r) => requirementHtml(r, reqs, n)),
  );
  if (b.untagged.length) body.push('<h2>Scenarios without a requirement</h2>', ...b.untagged.map((s) => scenarioHtml(s, reqs, `s${n.i++}`)));
  body.push('<h2 id="board">Board description</h2>', `<details><summary>The board description in full (${esc(b.platform.file)})</summary>${factsTable(b.platform)}</details>`);
  return page(`Conformance report: ${b.board}`, body);
}
