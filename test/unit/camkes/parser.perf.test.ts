/**
 * Performance: an assembly of 64 VMs, each with 4 cross-VM dataports and 4 events, must parse in
 * well under 200 ms on this 2-core machine. Wall-clock time is only measured here, in a test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { LineMap } from '../../../src/diagnostics';
import { parseCamkes } from '../../../src/camkes/parser';
import type { AssemblyDecl, CompositionDecl, ConfigurationDecl } from '../../../src/camkes/ast';

const VMS = 64;

function generate(): string {
  const out: string[] = [];
  for (let v = 0; v < VMS; v++) {
    out.push(`component Init${v} {`, '    control;', '    has mutex cross_vm_event_mutex;');
    for (let d = 0; d < 4; d++) out.push(`    dataport Buf(4096) shared${d};`);
    for (let e = 0; e < 2; e++) out.push(`    emits Ready${e} ready${e};`, `    consumes Ready${e} done${e};`);
    out.push('    attribute int guest_ram_mb = 128;', '    attribute { int id; string name = "vm"; } info;', '}', '');
  }
  out.push('assembly {', '    composition {');
  for (let v = 0; v < VMS; v++) out.push(`        component Init${v} vm${v};`);
  for (let v = 0; v < VMS; v++) {
    const peer = (v + 1) % VMS;
    for (let d = 0; d < 4; d++) {
      out.push(`        connection seL4SharedDataWithCaps dp_${v}_${d}(from vm${v}.shared${d},`,
        `                                                 to vm${peer}.shared${d});`);
    }
    for (let e = 0; e < 2; e++) {
      out.push(`        connection seL4Notification ev_${v}_${e}(from vm${v}.ready${e}, to vm${peer}.done${e});`);
      out.push(`        connection seL4Notification evb_${v}_${e}(from vm${peer}.ready${e}, to vm${v}.done${e});`);
    }
  }
  out.push('    }', '    configuration {');
  for (let v = 0; v < VMS; v++) {
    for (let d = 0; d < 4; d++) out.push(`        vm${v}.shared${d}_id = ${d + 1};`, `        vm${v}.shared${d}_size = 4096 * ${d + 1};`);
    out.push(`        vm${v}.info = {"id": ${v}, "name": "vm${v}"};`);
    out.push(`        vm${v}.dtb = dtb([{"path": "/soc/serial@${(0x12c20000 + v * 0x1000).toString(16)}"}]);`);
    out.push(`        vm${v}.irqs = [${32 + v}, ${96 + v}];`);
  }
  out.push('    }', '}');
  return out.join('\n');
}

test('64 VMs x (4 dataports + 4 events) parse in well under 200 ms', () => {
  const text = generate();
  const lines = text.split('\n').length;
  const run = (): { ms: number; asm: AssemblyDecl } => {
    const t0 = performance.now();
    const m = new LineMap('big.camkes', text);
    const spec = parseCamkes(text, (o) => m.pos(o), 'big.camkes');
    const ms = performance.now() - t0;
    return { ms, asm: spec.items[spec.items.length - 1] as AssemblyDecl };
  };
  const first = run();
  const times = [first.ms];
  for (let i = 0; i < 9; i++) times.push(run().ms);
  times.sort((a, b) => a - b);
  const comp = first.asm.items[0] as CompositionDecl;
  const conf = first.asm.items[1] as ConfigurationDecl;
  assert.equal(comp.items.filter((i) => i.kind === 'instance').length, VMS);
  assert.equal(comp.items.filter((i) => i.kind === 'connection').length, VMS * 8);
  assert.equal(conf.settings.length, VMS * 11);
  console.log(`camkes parse: ${lines} lines, ${text.length} bytes; first ${first.ms.toFixed(1)} ms, median ${times[5].toFixed(1)} ms`);
  assert.ok(lines > 2000, `only ${lines} lines`);
  assert.ok(first.ms < 200, `first parse took ${first.ms.toFixed(1)} ms`);
  assert.ok(times[5] < 100, `median parse took ${times[5].toFixed(1)} ms`);
});
