import { After } from '@cucumber/cucumber';
import type { Trace } from '../../src/sel4/trace';
import { DEADLOCK_REPORT_FILE_NAME, TRACE_MEDIA_TYPE } from '../../src/report/contract';
import type { ConformanceWorld } from './world';

// The fields a scenario's simulated system fills in; the report reads them back from the
// attachments below (see src/report/README.md, "Contract with the step definitions").
declare module './world' {
  interface ConformanceWorld {
    /** The simulated system's trace, attached after every scenario that built one. */
    trace?: Trace;
    /** Set when the simulated system deadlocked: the deadlock report, attached as a file. */
    deadlockReport?: string;
  }
}

After(async function (this: ConformanceWorld) {
  if (this.trace) await this.attach(this.trace.serialise(), TRACE_MEDIA_TYPE);
  if (this.deadlockReport) await this.attach(this.deadlockReport, { mediaType: 'text/plain', fileName: DEADLOCK_REPORT_FILE_NAME });
});
