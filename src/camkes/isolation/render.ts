import type { IsolationResult } from './analyse';

/** The readable form of an isolation result (`vmconf`-style listing; same input, same bytes). */
export function renderIsolation(r: IsolationResult): string {
  const out: string[] = [];
  out.push(`isolation: ${r.ok ? 'holds' : `${r.violations.length} violation(s)`}`);
  out.push('guests:');
  for (const g of r.guests) {
    const what =
      g.source === 'vmm'
        ? `${g.frames.size} frame(s) backed, pool(s) ${g.pools.map((p) => p.name).join(', ') || '-'}${g.devices.size ? `; ${g.devices.size} device page(s) mapped (not RAM)` : ''}`
        : g.source === 'declared'
          ? g.declared.map((d) => d.via).join('; ')
          : 'no guest memory in the model';
    out.push(`  ${g.vm} [${g.source}]: ${what}`);
  }
  out.push('reach:');
  for (const i of r.instances) {
    const extra = [...i.untypeds.map((u) => `untyped ${u}`), ...i.declared].join(', ');
    out.push(`  ${i.instance}${i.space !== i.instance ? ` (space ${i.space})` : ''}${i.isVm ? ' [vm]' : ''}: ${i.frames} frame(s)${extra ? `, ${extra}` : ''}`);
  }
  out.push('reaching another guest\'s memory:');
  if (!r.pairs.length) out.push('  none');
  for (const p of r.pairs) {
    out.push(`  ${p.holder} -> ${p.guest}:`);
    for (const x of p.reached) out.push(`    ${x.allowed ? 'allowed' : 'VIOLATION'} ${x.what} via ${x.via}: ${x.why}`);
  }
  out.push('frames shared between address spaces:');
  if (!r.shared.length) out.push('  none');
  for (const s of r.shared) {
    const why = s.connection ? ` (connection ${s.connection})` : s.device ? ` (device page; ${s.declarations!.join('; ') || 'declared by none'})` : '';
    out.push(`  ${s.allowed ? 'declared' : 'UNDECLARED'} ${s.frame}: ${s.spaces.join(', ')}${why}`);
  }
  if (r.unmodelledVmConnections.length) out.push(`connections between VMs the model does not build: ${r.unmodelledVmConnections.join(', ')}`);
  if (r.violations.length) {
    out.push('violations:');
    for (const v of r.violations) out.push(`  [${v.kind}] ${v.message}`);
  }
  out.push('covers:');
  for (const c of r.coverage) out.push(`  - ${c}`);
  return out.join('\n') + '\n';
}
