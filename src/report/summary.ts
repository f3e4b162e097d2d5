import { MATRIX_COLUMNS } from './contract';
import { assessCell } from './matrix';
import type { BoardReport } from './board';

/**
 * `summary.json`: the machine-readable verdicts of one board. Keys are written in a fixed order
 * and lists are sorted, so the same messages give the same bytes; the only times in it are the
 * run's own (from the messages), never the time the report was built.
 */
export function summaryJson(b: BoardReport): string {
  const data = {
    board: b.board,
    status: b.ok ? 'ok' : 'attention',
    suite: { name: b.run.suite, version: b.run.version },
    simulator: b.run.simulator,
    cucumber: b.run.cucumber ?? null,
    seed: b.run.seed,
    tags: b.run.tags,
    run: { startedAt: b.run.startedAt ?? null, durationMs: b.run.durationMs ?? null },
    counts: b.counts,
    requirements: Object.fromEntries(
      b.requirements.map((r) => [
        r.id,
        {
          verdict: r.verdict,
          scenarios: r.scenarios.map((s) => ({
            name: s.pickle.name,
            location: `${s.pickle.uri}:${s.pickle.line}`,
            outcome: s.raw,
            ...(s.message !== undefined ? { message: s.message } : {}),
          })),
          ...(r.expectation ? { expectation: { reason: r.expectation.reason, link: r.expectation.link } } : {}),
        },
      ]),
    ),
    untagged: b.untagged.map((s) => ({ name: s.pickle.name, location: `${s.pickle.uri}:${s.pickle.line}`, outcome: s.raw })),
    featureMatrix: Object.fromEntries(
      MATRIX_COLUMNS.map((c) => {
        const cell = b.matrix[c];
        const d = cell.documented;
        const v = assessCell(b.board, c, cell);
        return [
          c,
          {
            observed: cell.observed,
            observedBy: cell.requirements,
            documented: d?.value ?? null,
            source: d?.source ?? null,
            untested: d?.untested ?? false,
            unconfirmed: d?.unconfirmed ?? false,
            conflict: d?.conflict ?? null,
            relation: v.relation,
            flags: v.flags,
          },
        ];
      }),
    ),
    changes: b.changes ?? null,
    problems: b.problems,
  };
  return JSON.stringify(data, null, 2) + '\n';
}
