import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { preprocess } from '../../../src/camkes/cpp';
import { tokens } from './cpp-helpers';

/** A .camkes assembly for `n` VMs written the way the VM apps write it, one macro call per item. */
function manyVms(n: number): string {
  const lines = ['#include <configurations/vm.h>'];
  for (let i = 0; i < n; i++) lines.push(`component Init${i} {`, '    VM_INIT_DEF()', '}');
  lines.push('assembly {', '  composition {', '    VM_COMPOSITION_DEF()');
  for (let i = 0; i < n; i++) lines.push(`    VM_PER_VM_COMP_DEF(${i})`);
  lines.push(`    VM_VIRTUAL_SERIAL_COMPOSITION_DEF(0, 1, 2, 3)`, '  }', '  configuration {', '    VM_CONFIGURATION_DEF()');
  for (let i = 0; i < n; i++) lines.push(`    VM_PER_VM_CONFIG_DEF(${i})`, `    vm${i}.guest_ram_mb = 256;`, `    vm${i}.kernel_cmdline = VAR_STRINGIZE(console=ttyS0 vm${i});`);
  lines.push('  }', '}');
  return lines.join('\n');
}

test('64 VMs of macro invocations preprocess well under 100 ms, and map fast', (t) => {
  const text = manyVms(64);
  const includePaths = [path.join('test', 'fixtures', 'cpp', 'include')];
  const run = () => preprocess('vms.camkes', { text, includePaths });
  // CPU time of this process, not wall time: the suite shares two cores with other work, and
  // the bound is about the preprocessor's cost, not about the machine's load.
  const measure = (): { wall: number; cpu: number } => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
  };
  const cold = measure();
  const r = run();
  const warm = Array.from({ length: 5 }, measure);
  const best = Math.min(...warm.map((m) => m.cpu));
  const bestWall = Math.min(...warm.map((m) => m.wall));
  const starts = [...r.text.matchAll(/\S+/g)].map((m) => m.index!);
  const t1 = performance.now();
  for (const o of starts) r.map.pos(o);
  const mapping = performance.now() - t1;
  t.diagnostic(`${text.split('\n').length} source lines -> ${r.text.length} chars, ${r.map.segments} tokens; cold ${cold.cpu.toFixed(1)} ms CPU (${cold.wall.toFixed(1)} ms wall), warm best ${best.toFixed(1)} ms CPU (${bestWall.toFixed(1)} ms wall); ${starts.length} map.pos calls ${mapping.toFixed(1)} ms`);

  // The expansion really happened (not a vacuous timing).
  const flat = tokens(r.text).join(' ');
  for (const want of ['component Init63 vm63 ;', 'connection seL4TimeServer pit63_timer ( from vm63 . init_timer', 'vm63 . serial_getchar_attributes = "63" ;', 'connection seL4SerialServer serial_vm3 (']) {
    assert.ok(flat.includes(want), `expansion lacks: ${want}`);
  }
  assert.ok(best < 100, `preprocessing took ${best.toFixed(1)} ms of CPU`);
  assert.ok(mapping < 100, `mapping took ${mapping.toFixed(1)} ms`);
});
