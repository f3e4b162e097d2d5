/** The system builder: app directory → running system; the console operator. See README.md. */
export { readApp, type AppSpec } from './app';
export { buildSystem, overlayFiles, defaultGuestFactory, type BuiltSystem, type BuildOptions, type SystemVm, type GuestFactory, type GuestRequest, type GuestFile, type ObservableGuest } from './build';
export { Operator, deadlockReport, type RunOutcome, type CommandResult, type OperatorOptions } from './operator';
export { runApp, exitStatus, EXIT_STATUS, type RunAppOptions, type RunAppResult } from './run';
export { resolveGuestMode, appCmakeSettings, ArmGuestBoot, type GuestModeOptions, type ResolvedGuestMode } from './guest-mode';
export { appVirtioOptions, SystemVirtio, VIRTQUEUE_FRAMES, type VirtqueueLink } from './virtio';
