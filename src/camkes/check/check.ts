/**
 * The checker's passes in order: definitions (stage 3/4), then the resolved assembly
 * (connections, settings, the VM documents' rules).
 */
import { DiagnosticError, type Diagnostic } from '../../diagnostics';
import type { LoadedSpec } from '../ast';
import type { ResolvedAssembly } from '../resolve';
import { checkDefinitions } from './components';
import { checkConnections } from './connections';
import { byPosition, Sink, type CheckOptions } from './context';
import { resolveForCheck } from './resolved';
import { Scope } from './scope';
import { checkSettings } from './settings';
import { checkGuestNames, checkVm } from './vm';

/**
 * Checks a loaded spec. Returns every diagnostic (errors and warnings; warnings are errors under
 * `strict`), sorted by file (in load order) and position, duplicates removed. Never throws for
 * bad input.
 */
export function checkCamkes(spec: LoadedSpec, opts: CheckOptions = {}): Diagnostic[] {
  return analyseCamkes(spec, opts).diagnostics;
}

export interface Analysis {
  readonly diagnostics: Diagnostic[];
  /** The resolved assembly the checks ran on; absent when resolution failed. */
  readonly assembly?: ResolvedAssembly;
}

/** `checkCamkes` that also hands back the resolved assembly, so callers resolve once. */
export function analyseCamkes(spec: LoadedSpec, opts: CheckOptions = {}): Analysis {
  const sink = new Sink(opts.strict === true);
  const scope = new Scope(spec, sink);
  checkDefinitions(spec, scope, sink);
  // Upstream stops at the first error; we keep reporting definition errors, but an assembly that
  // cannot be resolved is not checked further (every later check would only echo the first).
  const resolved = resolveForCheck(spec);
  if (resolved instanceof DiagnosticError) {
    for (const d of resolved.diagnostics) sink.add(d);
  } else {
    // The guest naming rule first: a misnamed guest also leaves interfaces unconnected, and the
    // name is the cause worth reading first.
    checkGuestNames(resolved, opts.arch, sink);
    checkConnections(resolved, sink);
    checkSettings(resolved, sink);
    checkVm(resolved, sink);
  }
  return { diagnostics: finish(spec, sink.list), ...(resolved instanceof DiagnosticError ? {} : { assembly: resolved }) };
}

function finish(spec: LoadedSpec, list: readonly Diagnostic[]): Diagnostic[] {
  const order = new Map(spec.files.map((f, i) => [f, i]));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of list) {
    const key = `${d.pos.file}:${d.pos.line}:${d.pos.col}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort((a, b) => {
    const fa = order.get(a.pos.file) ?? order.size;
    const fb = order.get(b.pos.file) ?? order.size;
    return fa !== fb ? fa - fb : byPosition(a, b);
  });
}

/** True when any diagnostic is an error (what makes `vmconf check` exit 1). */
export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}
