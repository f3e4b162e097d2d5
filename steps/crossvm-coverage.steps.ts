// Steps for the poke tutorial, the gen-1 id-mismatch table and the pending-event rules
// (features/crossvm/{poke,mismatch-table,pending-events}.feature). Scenarios start from the
// minimal poke app or the cross-VM probe app; everything after the Given (running commands,
// console, VMM output, outcome) is the shared steps of crossvm.steps.ts, on the same one booted
// system per scenario.
import { Given, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { AppVariant, replaceText, type Edit } from './support/system';
import type { ConformanceWorld } from './support/world';

const APP = '(minimal poke|cross-VM probe)';

function variant(w: ConformanceWorld, app: string): AppVariant {
  if (!w.xvm) w.xvm = { variant: new AppVariant(app) };
  else if (w.xvm.variant.app !== app) throw new Error(`the scenario already uses the ${w.xvm.variant.app} app`);
  else if (w.xvm.session) throw new Error('the system is already built: declare every variant before the first command');
  return w.xvm.variant;
}

/** Swaps two texts of `file` (each must occur exactly once): array entries put the other way round. */
function swapText(file: string, a: string, b: string): Edit {
  return (io) => {
    const t = io.read(file);
    for (const x of [a, b]) if (t.split(x).length !== 2) throw new Error(`'${x}' must occur exactly once in ${file}`);
    const mark = '\u0000';
    io.write(file, t.replace(a, mark).replace(b, a).replace(mark, b));
  };
}

Given(new RegExp(`^the ${APP} app$`), function (this: ConformanceWorld, app: string) {
  variant(this, app);
});

Given(new RegExp(`^the ${APP} app with "(.*)" replaced by "(.*)" in (\\S+)$`), function (this: ConformanceWorld, app: string, from: string, to: string, file: string) {
  variant(this, app).edits.push(replaceText(file, from, to));
});

Given(new RegExp(`^the ${APP} app with "(.*)" and "(.*)" swapped in (\\S+)$`), function (this: ConformanceWorld, app: string, a: string, b: string, file: string) {
  variant(this, app).edits.push(swapText(file, a, b));
});

function trace(w: ConformanceWorld) {
  if (!w.xvm?.session) throw new Error('no system has been built yet');
  return w.xvm.session.system.sys.kernel.trace.all();
}

Then(/^the VMM dropped an? (\w+) event because the guest had no event context$/, function (this: ConformanceWorld, iface: string) {
  const drops = trace(this).filter((e) => e.op === 'event_camkes_callback' && e.object === iface && String(e.result).startsWith('dropped'));
  expect(drops.length, `no dropped event_camkes_callback for ${iface} in the trace`).to.be.greaterThan(0);
});

Then('the trace shows {string} by {string} {int} time(s)', function (this: ConformanceWorld, op: string, actor: string, n: number) {
  expect(trace(this).filter((e) => e.op === op && e.actor === actor).length, `${op} by ${actor}`).to.equal(n);
});

Then('the trace does not show {string}', function (this: ConformanceWorld, op: string) {
  const hits = trace(this).filter((e) => e.op === op);
  expect(hits.length, `${op} by ${hits.map((e) => e.actor).join(', ')}`).to.equal(0);
});
