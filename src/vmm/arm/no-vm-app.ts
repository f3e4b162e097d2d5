/**
 * A VM_Arm build for a board that has no example VM app (no `apps` entry with an Arm VM in its
 * board file, platforms.md §1.9): upstream has nothing to configure for it, so nothing is built.
 * A distinct type, so that a caller can tell this refusal from a defect in the model.
 */
export class NoVmAppError extends Error {
  constructor(readonly board: string) {
    super(`${board}: no example VM app targets this board (platforms.md §1.9)`);
    this.name = 'NoVmAppError';
  }
}
