import type { TCB, ThreadState } from '../object/tcb';

/** One stuck thread: who waits on what, doing which operation, since when. */
export interface StuckThread {
  readonly thread: string;
  readonly state: ThreadState;
  readonly op: string;
  /** Name of the object waited on ("" for none, e.g. a suspended thread). */
  readonly object: string;
  readonly since: number;
  readonly core: number;
  readonly priority: number;
}

export type RunReason = 'finished' | 'until' | 'deadlock' | 'maxSteps';

export interface RunResult {
  readonly reason: RunReason;
  /** Virtual time when the run stopped, ns. */
  readonly time: number;
  /** Kernel entries and thread resumptions counted by the livelock guard, this run. */
  readonly steps: number;
  /** For 'deadlock': every live thread, all blocked. For 'maxSteps': the threads still live. */
  readonly threads: readonly StuckThread[];
}

export function stuck(t: TCB): StuckThread {
  return { thread: t.name, state: t.state, op: t.blockedOp, object: t.blockedOn?.name ?? '', since: t.blockedSince, core: t.core, priority: t.priority };
}

function describe(s: StuckThread): string {
  if (s.state === 'Inactive') return `thread "${s.thread}" is suspended (${s.op || 'seL4_TCB_Suspend'}) since t=${s.since}ns`;
  if (s.state === 'Running') return `thread "${s.thread}" is runnable (core ${s.core}, priority ${s.priority})`;
  const on = s.object ? ` on "${s.object}"` : '';
  return `thread "${s.thread}" waits in ${s.op}${on} (${s.state}) since t=${s.since}ns`;
}

/** The report as text: one line for the verdict, one per thread, sorted by thread name. */
export function renderRunReport(r: RunResult): string {
  const head =
    r.reason === 'deadlock'
      ? `deadlock at t=${r.time}ns: every live thread is blocked and no timer is pending`
      : r.reason === 'maxSteps'
        ? `livelock guard: stopped after ${r.steps} steps at t=${r.time}ns without finishing`
        : r.reason === 'until'
          ? `stopped at t=${r.time}ns: the run condition was met`
          : `finished at t=${r.time}ns: every thread has exited`;
  return [head, ...[...r.threads].sort((a, b) => (a.thread < b.thread ? -1 : a.thread > b.thread ? 1 : 0)).map((s) => '  ' + describe(s))].join('\n') + '\n';
}
