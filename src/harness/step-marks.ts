import { After, AfterStep, BeforeStep } from '@cucumber/cucumber';
import { STEP_MARKS_MEDIA_TYPE, type StepMark } from '../report/contract';
import type { Trace } from '../sel4/trace';

/**
 * Support code the runner loads next to the steps: it notes which events of the World's trace each
 * step recorded and attaches the marks after the scenario, so a report can show the interaction a
 * scenario's When steps caused instead of the boot its Given steps caused. It only reads the trace
 * (length and dropped count), so it cannot change an outcome; marks for a trace that a later step
 * replaced are dropped, since they would point into a different system.
 */
interface TracedWorld {
  trace?: Trace;
  attach(data: string, mediaType: string): void | Promise<void>;
}

interface Marks {
  trace?: Trace;
  marks: StepMark[];
  /** Next sequence number when the current step started, if the trace existed then. */
  start?: number;
}

const KEYWORD: Record<string, string> = { Context: 'Given', Action: 'When', Outcome: 'Then' };
const byWorld = new WeakMap<object, Marks>();

const nextSeq = (t: Trace): number => t.length + t.droppedCount;

BeforeStep(function (this: TracedWorld) {
  const m = byWorld.get(this) ?? { marks: [] };
  byWorld.set(this, m);
  m.start = this.trace && this.trace === m.trace ? nextSeq(this.trace) : undefined;
});

AfterStep(function (this: TracedWorld, { pickleStep }) {
  const m = byWorld.get(this);
  const t = this.trace;
  if (!m || !t) return;
  if (t !== m.trace) {
    // A new system: marks of the old trace say nothing about this one.
    m.trace = t;
    m.marks = [];
    m.start = undefined;
  }
  const type = (['Context', 'Action', 'Outcome'].includes(String(pickleStep.type)) ? pickleStep.type : 'Unknown') as StepMark['type'];
  const to = nextSeq(t);
  m.marks.push({ text: `${KEYWORD[type] ?? '*'} ${pickleStep.text}`, type, from: m.start ?? t.droppedCount, to });
});

After(async function (this: TracedWorld) {
  const m = byWorld.get(this);
  if (m && this.trace && m.trace === this.trace && m.marks.length) await this.attach(JSON.stringify(m.marks), STEP_MARKS_MEDIA_TYPE);
});
