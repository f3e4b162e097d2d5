/**
 * The contract between the step definitions and the report, in one place (README.md states it in
 * prose). Steps and hooks import these constants; the report reads messages with them.
 */

/** Media type of the simulated system's trace attachment (body: `Trace.serialise()`). */
export const TRACE_MEDIA_TYPE = 'application/vnd.sel4-vm-conformance.trace+ndjson';

/**
 * Media type of the step marks attachment the harness adds (src/harness/step-marks.ts): a JSON
 * array of `StepMark`, which part of the final trace each step recorded. The sequence diagram
 * uses it to show the When steps' interaction rather than the boot that the Given steps caused.
 */
export const STEP_MARKS_MEDIA_TYPE = 'application/vnd.sel4-vm-conformance.step-marks+json';

export interface StepMark {
  /** "Given the print server app", "When I run ..." (Gherkin keyword from the step's type). */
  readonly text: string;
  readonly type: 'Context' | 'Action' | 'Outcome' | 'Unknown';
  /** Sequence numbers of the events the step recorded: `from` inclusive, `to` exclusive. */
  readonly from: number;
  readonly to: number;
}

/** File name of the deadlock report attachment (media type text/plain). */
export const DEADLOCK_REPORT_FILE_NAME = 'deadlock-report.txt';

/** A failure whose message starts with this is a documented "not supported" outcome. */
export const NOT_SUPPORTED_PREFIX = 'NOT-SUPPORTED:';

/** `@REQ-<AREA>[-<SUBAREA>...]-<NNN>`: areas in capitals/digits, number of three digits or more. */
export const REQ_TAG = /^@(REQ-[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-\d{3,})$/;
export const REQ_ID = /^REQ-[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-\d{3,}$/;

/**
 * `@source:<document>#<section>`. A Gherkin tag cannot hold a space, so a section named by its
 * heading is written with `-` for each space (`@source:002#Adding-a-dataport`); a numbered section
 * is written as is (`@source:cross-vm-connectors.md#4.3`). The document is a file under
 * /work/shared/reference (with its extension) or a seed number (`002`).
 */
export const SOURCE_TAG = /^@source:([A-Za-z0-9_.-]+)#(\S+)$/;

/**
 * Media type of an observed matrix value (body: JSON `{ "column": "guest-mode", "value": "32-bit" }`):
 * what a passing `@matrix:` scenario saw, shown in the cell instead of "Supported" (e.g. the guest
 * modes that booted). The value must come from the scenario's run, never from the board file.
 */
export const MATRIX_OBSERVED_MEDIA_TYPE = 'application/vnd.sel4-vm-conformance.matrix-observed+json';

/** `@matrix:<column>`: the scenario observes one cell of the board's feature-matrix row. */
export const MATRIX_TAG = /^@matrix:(\S+)$/;

/** Feature-matrix columns, in the order of the upstream README's table (seed 004). */
export const MATRIX_COLUMNS = ['guest-mode', 'smp', 'multi-vm', 'virtio-pci', 'virtio-console', 'virtio-net', 'cross-vm'] as const;
export type MatrixColumn = (typeof MATRIX_COLUMNS)[number];

/** Column headings as upstream prints them. */
export const MATRIX_HEADINGS: Record<MatrixColumn, string> = {
  'guest-mode': 'Guest Mode',
  smp: 'SMP Support',
  'multi-vm': 'Multiple VM Support',
  'virtio-pci': 'Virtio PCI',
  'virtio-console': 'Virtio Console',
  'virtio-net': 'Virtio Net',
  'cross-vm': 'Cross VM Connector Support',
};

/** Scenarios tagged with this draw the passthrough IRQ's path. */
export const PASSTHROUGH_TAG = '@passthrough';

/**
 * Exception types (Cucumber records `error.constructor.name`) that mean "the code under test
 * behaved wrongly" rather than "the harness is broken". A deadlock attachment also makes a failure
 * a fail whatever was thrown. Choice (no upstream fact): DiagnosticError counts as a fail because
 * a scenario that builds an assembly expects it to be accepted; any other type is unresolved.
 */
export const OUTCOME_ERROR_TYPES: readonly string[] = ['AssertionError', 'DiagnosticError', 'DeadlockError'];

/** Scenario outcome before expectations are applied, from best to worst. */
export const RAW_VERDICTS = ['pass', 'not-supported', 'fail', 'unresolved'] as const;
export type RawVerdict = (typeof RAW_VERDICTS)[number];

/** A requirement's verdict on a board, after the board's expectations. */
export const VERDICTS = ['pass', 'not-supported', 'known-fail', 'unexpected-pass', 'fail', 'unresolved'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The verdicts that do not need anyone's attention: the exit status is 0 iff all are these. */
export const ACCEPTED_VERDICTS: ReadonlySet<Verdict> = new Set<Verdict>(['pass', 'not-supported', 'known-fail']);

export function worstRaw(vs: readonly RawVerdict[]): RawVerdict {
  let worst = 0;
  for (const v of vs) worst = Math.max(worst, RAW_VERDICTS.indexOf(v));
  return RAW_VERDICTS[worst];
}
