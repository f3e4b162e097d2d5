import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { TraceEvent, TraceLayer } from '../../../src/sel4/trace';
import { buildBoardReport } from '../../../src/report/board';
import { actorLanes, condense, type Row } from '../../../src/report/condense';
import { irqPathDiagram } from '../../../src/report/irq-path';
import { crossesVm, sequenceSvg } from '../../../src/report/svg';
import { FIXTURE_OPTIONS, FIXTURES, fixtureReportsDir } from './helpers';

const GOLDEN = path.join(FIXTURES, 'golden');

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `golden ${file} is missing: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from its golden (UPDATE_GOLDEN=1 to accept)`);
}

function fixtureScenario(name: string) {
  const b = buildBoardReport('fxboard', { reportsDir: fixtureReportsDir(), ...FIXTURE_OPTIONS });
  const s = b.scenarios.find((x) => x.pickle.name === name);
  assert.ok(s, `no fixture scenario '${name}'`);
  return s.pickle.attempt!;
}

test('the cross-VM sequence diagram folds the Given step and the boot noise and draws the When step', () => {
  const a = fixtureScenario("a guest process's event reaches a native component and back");
  const c = condense(a.trace!, a.marks);
  const kinds = c.rows.map((r) => (r.kind === 'event' ? `${r.e.op}${r.repeat > 1 ? `×${r.repeat}` : ''}` : r.kind === 'step' ? `[${r.text}]` : '⋯'));
  assert.equal(kinds[0], '⋯', 'the Given step is one folded row');
  assert.match((c.rows[0] as Extract<Row, { kind: 'fold' }>).text, /^Given a guest booted next to a print server: \d+ events \(8× seL4_CNode_Mint, 8× seL4_Untyped_Retype/);
  assert.deepEqual(kinds.slice(1, 4), ['[When the guest runs print_client hello]', 'exec', 'ioctl']);
  assert.ok(kinds.includes('[Then the print server printed "hello"]') === false, 'the Then step recorded nothing, so it has no header');
  assert.equal(crossesVm(c), true);
  // The VMM's signal goes into the kernel and wakes the print server on the component lane.
  const lanes = actorLanes(a.trace!);
  assert.equal(lanes.get('print_server:control'), 'component');
  assert.equal(lanes.get('vm0:vmm'), 'vmm');
  golden('sequence.svg', sequenceSvg('g', c) + '\n');
});

test('the IRQ path shows every hop of a delivery, and a hop the trace lacks as not seen', () => {
  const ok = irqPathDiagram('g', fixtureScenario('a passthrough IRQ reaches the guest handler 42').trace!);
  assert.match(ok, /irq 42: 7 of 7 hops seen/);
  const missing = irqPathDiagram('g', fixtureScenario('a passthrough IRQ reaches the guest handler 43').trace!);
  assert.match(missing, /irq 43: 6 of 7 hops seen/);
  assert.match(missing, /IRQ handler ack: no such event in the trace/);
  golden('irq-path.svg', missing + '\n');
});

const layers: TraceLayer[] = ['kernel', 'vmm', 'guest-kernel', 'guest-process', 'component', 'machine'];
const event = fc.record({
  layer: fc.constantFrom(...layers),
  actor: fc.constantFrom('', 'rootserver', 'vm0:vmm', 'vm0:vcpu0', 'print_server:control', 'vm0:pid 1 sh'),
  op: fc.constantFrom('io_out', 'io_in', 'seL4_Signal', 'seL4_Wait', 'printk'),
  object: fc.constantFrom('0xcf8', 'ntfn a', ''),
  peer: fc.option(fc.constantFrom('vm0:vmm', 'print_server:control', 'cnode x'), { nil: undefined }),
});

test('condensing never loses or double-counts an event: rows and folds add up to the trace', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 300 }), fc.integer({ min: 20, max: 120 }), fc.nat({ max: 300 }), (raw, limit, cutAt) => {
      const trace: TraceEvent[] = raw.map((e, seq) => ({ seq, time: seq * 10, ...e, ...(e.peer === undefined ? { peer: undefined } : {}) }));
      for (const e of trace) if (e.peer === undefined) delete (e as { peer?: string }).peer;
      const at = Math.min(cutAt, trace.length);
      const marks = trace.length ? [
        { text: 'Given a system', type: 'Context' as const, from: 0, to: at },
        { text: 'When it runs', type: 'Action' as const, from: at, to: trace.length },
      ] : [];
      const c = condense(trace, marks, limit);
      const counted = c.rows.reduce((n, r) => n + (r.kind === 'event' ? r.repeat : r.kind === 'fold' ? r.count : 0), 0);
      assert.equal(counted, trace.length);
      assert.ok(c.rows.filter((r) => r.kind !== 'step').length <= limit + marks.length + 1);
    }),
  );
});
