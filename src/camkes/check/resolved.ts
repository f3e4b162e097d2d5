/**
 * The resolver (src/camkes/resolve) as the checker uses it: a ResolvedAssembly, or the
 * DiagnosticError it raised (upstream's first error of stages 3-9).
 */
import { DiagnosticError } from '../../diagnostics';
import type { LoadedSpec } from '../ast';
import { resolveAssembly, type ResolvedAssembly } from '../resolve';

export function resolveForCheck(spec: LoadedSpec): ResolvedAssembly | DiagnosticError {
  try {
    return resolveAssembly(spec);
  } catch (e) {
    if (e instanceof DiagnosticError) return e;
    throw e;
  }
}
