// Which of the board's example VM apps a VM_Arm build for the board uses: the one place that
// turns "the board file lists no Arm VM app" into the build's refusal (NoVmAppError).
import type { ArmVm, Platform } from '../../platform';
import { configureSmp, type SmpBuild } from '../smp-config';
import { NoVmAppError } from './no-vm-app';
import { smpApp } from './smp-probe';

export { NoVmAppError };

/** The board's VM app (as `smpApp` chooses it); throws `NoVmAppError` when the board has none. */
export function vmAppFor(p: Platform): { app: string; vm: ArmVm } {
  const target = smpApp(p);
  if (!target) throw new NoVmAppError(p.name);
  return target;
}

/**
 * The configure step of the board's VM app with `-DNUM_NODES=numNodes` and the app's own
 * `num_vcpus` (x86: one vCPU, the Init VMM has no SMP). Throws `NoVmAppError` for an Arm board
 * with no VM app and `SmpConfigureError` when the configure step refuses.
 */
export function configureBoardSmp(p: Platform, numNodes: string): SmpBuild {
  const numVcpus = p.family === 'arm' ? vmAppFor(p).vm.numVcpus : 1;
  return configureSmp({ platform: p, numNodes, numVcpus });
}
