import {
  ACCEPTED_VERDICTS,
  MATRIX_COLUMNS,
  MATRIX_TAG,
  NOT_SUPPORTED_PREFIX,
  OUTCOME_ERROR_TYPES,
  PASSTHROUGH_TAG,
  REQ_TAG,
  SOURCE_TAG,
  VERDICTS,
  worstRaw,
  type MatrixColumn,
  type RawVerdict,
  type Verdict,
} from './contract';
import type { Expectation } from './expectations';
import type { Pickle, StepOutcome } from './messages';

export interface ScenarioResult {
  readonly pickle: Pickle;
  readonly requirements: readonly string[];
  readonly source?: string;
  readonly matrix: readonly MatrixColumn[];
  readonly passthrough: boolean;
  readonly raw: RawVerdict;
  /** The failing step and its message (for not-supported: the reason). */
  readonly failedStep?: string;
  readonly message?: string;
  readonly durationNs: number;
}

export interface RequirementResult {
  readonly id: string;
  readonly verdict: Verdict;
  readonly raw: RawVerdict;
  readonly scenarios: readonly ScenarioResult[];
  readonly expectation?: Expectation;
}

/** `@source:doc#section` as "doc §section" ("-" in a heading reads as a space). */
export function sourceOf(tags: readonly string[]): string | undefined {
  for (const t of tags) {
    const m = SOURCE_TAG.exec(t);
    if (m) return `${m[1]} §${/^[\d.]+$/.test(m[2]) ? m[2] : m[2].replace(/-/g, ' ')}`;
  }
  return undefined;
}

export function requirementsOf(tags: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const t of tags) {
    const m = REQ_TAG.exec(t);
    if (m) ids.add(m[1]);
  }
  return [...ids].sort();
}

function classifyStep(s: StepOutcome, deadlocked: boolean): RawVerdict {
  switch (s.status) {
    case 'PASSED':
      return 'pass';
    case 'FAILED': {
      if ((s.message ?? '').startsWith(NOT_SUPPORTED_PREFIX)) return 'not-supported';
      if (deadlocked) return 'fail';
      return OUTCOME_ERROR_TYPES.includes(s.errorType ?? '') ? 'fail' : 'unresolved';
    }
    default:
      return 'unresolved';
  }
}

const STATUS_MESSAGE: Record<string, string> = {
  UNDEFINED: 'undefined step: no step definition matches',
  AMBIGUOUS: 'ambiguous step: several step definitions match',
  PENDING: 'pending step',
  SKIPPED: 'scenario skipped',
  UNKNOWN: 'unknown step status',
};

export function classifyScenario(p: Pickle): ScenarioResult {
  const a = p.attempt;
  const base = {
    pickle: p,
    requirements: requirementsOf(p.tags),
    source: sourceOf(p.tags),
    matrix: p.tags.flatMap((t) => {
      const m = MATRIX_TAG.exec(t);
      return m && (MATRIX_COLUMNS as readonly string[]).includes(m[1]) ? [m[1] as MatrixColumn] : [];
    }),
    passthrough: p.tags.includes(PASSTHROUGH_TAG),
    durationNs: a ? a.steps.reduce((n, s) => n + s.durationNs, 0) : 0,
  };
  const steps = a?.steps ?? [];
  if (!steps.some((s) => s.text !== 'hook'))
    return { ...base, raw: 'unresolved', message: 'scenario has no steps: it cannot fail, so it proves nothing' };
  let raw: RawVerdict = 'pass';
  let culprit: StepOutcome | undefined;
  for (const s of steps) {
    // A step skipped after an earlier failure says nothing; skipped on its own, it is unresolved.
    if (s.status === 'SKIPPED' && culprit) continue;
    const v = classifyStep(s, a?.deadlockReport !== undefined);
    if (worstRaw([raw, v]) !== raw) {
      raw = v;
      culprit = s;
    } else if (v !== 'pass' && !culprit) culprit = s;
  }
  if (!culprit) return { ...base, raw };
  let message = culprit.message ?? STATUS_MESSAGE[culprit.status] ?? culprit.status;
  if (raw === 'not-supported') message = message.slice(NOT_SUPPORTED_PREFIX.length).trim();
  else if (raw === 'unresolved' && culprit.errorType) message = `${culprit.errorType}: ${message}`;
  return { ...base, raw, failedStep: culprit.text, message };
}

/** A requirement's verdict: the worst of its scenarios, then the board's expectation. */
export function requirementVerdict(raw: RawVerdict, expected: boolean): Verdict {
  if (!expected) return raw;
  if (raw === 'fail') return 'known-fail';
  if (raw === 'pass') return 'unexpected-pass';
  return raw;
}

export function judgeRequirements(scenarios: readonly ScenarioResult[], expectations: ReadonlyMap<string, Expectation>): RequirementResult[] {
  const by = new Map<string, ScenarioResult[]>();
  for (const s of scenarios) for (const r of s.requirements) by.set(r, [...(by.get(r) ?? []), s]);
  return [...by.keys()].sort().map((id) => {
    const list = by.get(id)!;
    const raw = worstRaw(list.map((s) => s.raw));
    const expectation = expectations.get(id);
    return { id, raw, verdict: requirementVerdict(raw, expectation !== undefined), scenarios: list, expectation };
  });
}

export function countVerdicts(vs: readonly Verdict[]): Record<Verdict, number> {
  const c = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const v of vs) c[v]++;
  return c;
}

export function accepted(v: Verdict): boolean {
  return ACCEPTED_VERDICTS.has(v);
}

/** Observed cell of a feature-matrix column: what the column's requirements' verdicts say. */
export function observedCell(vs: readonly Verdict[]): string {
  if (vs.length === 0) return '—';
  if (vs.includes('unresolved')) return 'Unresolved';
  if (vs.includes('fail') || vs.includes('unexpected-pass')) return 'Failing';
  if (vs.includes('known-fail')) return 'Known failure';
  if (vs.includes('not-supported')) return 'Unsupported';
  return 'Supported';
}

/**
 * The observed cell with what the column's passing scenarios attached (e.g. "32-bit and 64-bit"
 * for Guest Mode): their values, once each in order, replace "Supported"; any other outcome is
 * shown as `observedCell` says, since a value from a failing run proves nothing.
 */
export function observedText(vs: readonly Verdict[], values: readonly string[]): string {
  const cell = observedCell(vs);
  return cell === 'Supported' && values.length ? [...new Set(values)].join('; ') : cell;
}

/**
 * One scenario's verdict under its requirements' expectations. A passing row of a requirement
 * that is a known failure elsewhere is a plain pass; all rows passing is an unexpected pass.
 */
export function scenarioVerdict(s: ScenarioResult, reqs: ReadonlyMap<string, RequirementResult>): Verdict {
  const rs = s.requirements.map((id) => reqs.get(id)).filter((r): r is RequirementResult => r !== undefined);
  const v = requirementVerdict(s.raw, rs.some((r) => r.expectation !== undefined));
  if (v === 'unexpected-pass' && rs.some((r) => r.verdict !== 'unexpected-pass')) return 'pass';
  return v;
}
