import { errorAt } from '../diagnostics';
import type { TraceEvent } from '../sel4/trace';
import { DEADLOCK_REPORT_FILE_NAME, MATRIX_OBSERVED_MEDIA_TYPE, STEP_MARKS_MEDIA_TYPE, TRACE_MEDIA_TYPE, type StepMark } from './contract';
import { parseNdjson, type Line } from './ndjson';

/**
 * The part of a Cucumber messages stream the report needs, joined up: one `Pickle` per scenario
 * (and Outline row) that Cucumber compiled, and for those that ran, their last attempt.
 * Cucumber emits every pickle of the loaded features even when tags filter them out, so the
 * pickles are also the requirement catalogue.
 */
export interface StepOutcome {
  /** "Given a step ..." for a step, "Before"/"After" for a hook. */
  readonly text: string;
  readonly status: string;
  readonly message?: string;
  readonly errorType?: string;
  readonly durationNs: number;
}

export interface Attempt {
  readonly steps: readonly StepOutcome[];
  readonly trace?: readonly TraceEvent[];
  /** Which events of the trace each step recorded (absent when the harness did not mark steps). */
  readonly marks?: readonly StepMark[];
  readonly deadlockReport?: string;
  /** Observed matrix values the scenario attached (MATRIX_OBSERVED_MEDIA_TYPE), in order. */
  readonly observed?: readonly MatrixObservation[];
}

export interface MatrixObservation {
  readonly column: string;
  readonly value: string;
}

export interface Pickle {
  readonly id: string;
  readonly uri: string;
  readonly line: number;
  readonly col: number;
  readonly name: string;
  readonly feature: string;
  readonly rule?: string;
  readonly tags: readonly string[];
  /** The last attempt, when the scenario ran. */
  readonly attempt?: Attempt;
}

export interface RunMessages {
  readonly file: string;
  readonly pickles: readonly Pickle[];
  readonly cucumberVersion?: string;
  readonly startedAt?: string;
  readonly durationMs?: number;
  /** Problems that make the run incomplete: Gherkin parse errors, a run that never finished. */
  readonly errors: readonly string[];
}

type Obj = Record<string, unknown>;

const KEYWORD: Record<string, string> = { Context: 'Given', Action: 'When', Outcome: 'Then' };

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function need(file: string, l: Line<Obj>, o: Obj, key: string): string {
  const v = str(o[key]);
  if (v === undefined) throw errorAt({ file, line: l.line, col: 1 }, `expected a string '${key}' in this Cucumber message`);
  return v;
}
function timeNs(v: unknown): number {
  const t = obj(v);
  return t ? Number(t.seconds ?? 0) * 1e9 + Number(t.nanos ?? 0) : 0;
}

/** Where a scenario sits in its feature: feature and rule names by scenario AST node id. */
function indexGherkin(doc: Obj, into: Map<string, { feature: string; rule?: string }>): void {
  const feature = obj(doc.feature);
  if (!feature) return;
  const fname = str(feature.name) ?? '';
  const walk = (children: unknown[], rule?: string) => {
    for (const c of children) {
      const co = obj(c) ?? {};
      const sc = obj(co.scenario);
      if (sc) into.set(str(sc.id) ?? '', { feature: fname, rule });
      const r = obj(co.rule);
      if (r) walk(arr(r.children), str(r.name));
    }
  };
  walk(arr(feature.children));
}

export function parseTrace(file: string, line: number, body: string): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (const l of parseNdjson(file, body)) {
    const v = l.value;
    if (typeof v.seq !== 'number' || typeof v.time !== 'number' || typeof v.layer !== 'string' || typeof v.op !== 'string')
      throw errorAt({ file, line, col: 1 }, `trace attachment line ${l.line}: expected a TraceEvent (seq, time, layer, op)`);
    events.push(v as unknown as TraceEvent);
  }
  return events;
}

export function parseStepMarks(file: string, line: number, body: string): StepMark[] {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    throw errorAt({ file, line, col: 1 }, `step marks attachment: expected JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const ok = (m: unknown): m is StepMark => {
    const o = obj(m);
    return !!o && typeof o.text === 'string' && typeof o.type === 'string' && Number.isInteger(o.from) && Number.isInteger(o.to) && (o.from as number) <= (o.to as number);
  };
  if (!Array.isArray(v) || !v.every(ok)) throw errorAt({ file, line, col: 1 }, 'step marks attachment: expected an array of { text, type, from, to } with from <= to');
  return v;
}

export function parseObservation(file: string, line: number, body: string): MatrixObservation {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    v = undefined;
  }
  const o = obj(v);
  if (!o || typeof o.column !== 'string' || typeof o.value !== 'string')
    throw errorAt({ file, line, col: 1 }, `observed matrix value attachment: expected JSON {"column": "<column>", "value": "<text>"}, found ${JSON.stringify(body.slice(0, 80))}`);
  return { column: o.column, value: o.value };
}

export function readMessages(file: string, text: string): RunMessages {
  const lines = parseNdjson(file, text);
  const where = new Map<string, { feature: string; rule?: string }>();
  const rawPickles: { l: Line<Obj>; p: Obj }[] = [];
  const stepText = new Map<string, string>();
  const testCases = new Map<string, { pickleId: string; steps: Map<string, string> }>();
  const started = new Map<string, { testCaseId: string; attempt: number }>();
  const outcomes = new Map<string, StepOutcome[]>();
  const traces = new Map<string, TraceEvent[]>();
  const deadlocks = new Map<string, string>();
  const observed = new Map<string, MatrixObservation[]>();
  const marks = new Map<string, StepMark[]>();
  const finalAttempt = new Map<string, string>(); // pickle id -> testCaseStarted id
  let cucumberVersion: string | undefined;
  let runStart: number | undefined;
  let runEnd: number | undefined;
  const errors: string[] = [];

  for (const l of lines) {
    const m = l.value;
    if (obj(m.meta)) cucumberVersion = str(obj(obj(m.meta)!.implementation)?.version);
    else if (obj(m.gherkinDocument)) indexGherkin(obj(m.gherkinDocument)!, where);
    else if (obj(m.pickle)) {
      const p = obj(m.pickle)!;
      need(file, l, p, 'id');
      rawPickles.push({ l, p });
      for (const s of arr(p.steps)) {
        const so = obj(s) ?? {};
        stepText.set(str(so.id) ?? '', `${KEYWORD[str(so.type) ?? ''] ?? '*'} ${str(so.text) ?? ''}`);
      }
    } else if (obj(m.testCase)) {
      const tc = obj(m.testCase)!;
      const steps = new Map<string, string>();
      for (const s of arr(tc.testSteps)) {
        const so = obj(s) ?? {};
        const ps = str(so.pickleStepId);
        steps.set(str(so.id) ?? '', ps ? (stepText.get(ps) ?? ps) : 'hook');
      }
      testCases.set(need(file, l, tc, 'id'), { pickleId: need(file, l, tc, 'pickleId'), steps });
    } else if (obj(m.testCaseStarted)) {
      const s = obj(m.testCaseStarted)!;
      const tcId = need(file, l, s, 'testCaseId');
      if (!testCases.has(tcId)) throw errorAt({ file, line: l.line, col: 1 }, `testCaseStarted names unknown test case '${tcId}'`);
      started.set(need(file, l, s, 'id'), { testCaseId: tcId, attempt: Number(s.attempt ?? 0) });
      outcomes.set(need(file, l, s, 'id'), []);
    } else if (obj(m.testStepFinished)) {
      const f = obj(m.testStepFinished)!;
      const sid = need(file, l, f, 'testCaseStartedId');
      const st = started.get(sid);
      if (!st) throw errorAt({ file, line: l.line, col: 1 }, `testStepFinished names unknown testCaseStarted '${sid}'`);
      const r = obj(f.testStepResult) ?? {};
      const ex = obj(r.exception);
      outcomes.get(sid)!.push({
        text: testCases.get(st.testCaseId)!.steps.get(str(f.testStepId) ?? '') ?? 'hook',
        status: str(r.status) ?? 'UNKNOWN',
        message: str(ex?.message) ?? str(r.message),
        errorType: str(ex?.type),
        durationNs: timeNs(r.duration),
      });
    } else if (obj(m.attachment)) {
      const a = obj(m.attachment)!;
      const sid = str(a.testCaseStartedId);
      if (!sid) continue;
      const body = str(a.body) ?? '';
      if (a.mediaType === TRACE_MEDIA_TYPE) traces.set(sid, parseTrace(file, l.line, body));
      else if (a.mediaType === STEP_MARKS_MEDIA_TYPE) marks.set(sid, parseStepMarks(file, l.line, body));
      else if (a.fileName === DEADLOCK_REPORT_FILE_NAME) deadlocks.set(sid, body);
      else if (a.mediaType === MATRIX_OBSERVED_MEDIA_TYPE) observed.set(sid, [...(observed.get(sid) ?? []), parseObservation(file, l.line, body)]);
    } else if (obj(m.testCaseFinished)) {
      const f = obj(m.testCaseFinished)!;
      const sid = need(file, l, f, 'testCaseStartedId');
      const st = started.get(sid);
      if (!st) throw errorAt({ file, line: l.line, col: 1 }, `testCaseFinished names unknown testCaseStarted '${sid}'`);
      if (f.willBeRetried !== true) finalAttempt.set(testCases.get(st.testCaseId)!.pickleId, sid);
    } else if (obj(m.testRunStarted)) runStart = timeNs(obj(m.testRunStarted)!.timestamp);
    else if (obj(m.testRunFinished)) runEnd = timeNs(obj(m.testRunFinished)!.timestamp);
    else if (obj(m.parseError)) {
      const pe = obj(m.parseError)!;
      const src = obj(pe.source) ?? {};
      const loc = obj(src.location) ?? {};
      errors.push(`${str(src.uri) ?? '?'}:${Number(loc.line ?? 0)}:${Number(loc.column ?? 0)}: error: ${str(pe.message) ?? 'Gherkin parse error'}`);
    } else if (obj(m.undefinedParameterType)) {
      const u = obj(m.undefinedParameterType)!;
      errors.push(`${file}:${l.line}:1: error: undefined parameter type {${str(u.name) ?? '?'}} in '${str(u.expression) ?? ''}'`);
    }
  }

  const pickles = rawPickles.map(({ p }): Pickle => {
    const loc = obj(p.location) ?? {};
    const ast = arr(p.astNodeIds).map(String);
    const w = where.get(ast[0] ?? '') ?? { feature: '' };
    const sid = finalAttempt.get(str(p.id)!);
    const attempt: Attempt | undefined = sid
      ? { steps: outcomes.get(sid) ?? [], trace: traces.get(sid), marks: marks.get(sid), deadlockReport: deadlocks.get(sid), observed: observed.get(sid) }
      : undefined;
    return {
      id: str(p.id)!,
      uri: str(p.uri) ?? '',
      line: Number(loc.line ?? 0),
      col: Number(loc.column ?? 0),
      name: str(p.name) ?? '',
      feature: w.feature,
      rule: w.rule,
      tags: arr(p.tags).map((t) => str(obj(t)?.name) ?? ''),
      attempt,
    };
  });
  pickles.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.line - b.line || a.col - b.col));
  if (runEnd === undefined) errors.push(`${file}:${lines.length ? lines[lines.length - 1].line : 1}:1: error: the run did not finish (no testRunFinished message): results are incomplete`);
  return {
    file,
    errors,
    pickles,
    cucumberVersion,
    startedAt: runStart !== undefined ? new Date(runStart / 1e6).toISOString() : undefined,
    durationMs: runStart !== undefined && runEnd !== undefined ? Math.round((runEnd - runStart) / 1e6) : undefined,
  };
}
