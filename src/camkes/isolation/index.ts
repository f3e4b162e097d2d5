/** Capability-distribution isolation analysis between VMs (see README.md). */
export { analyseIsolation, ANALYSIS_COVERAGE, type ConnectionFrames, type IsolationOptions, type IsolationResult, type ReachPair, type Reached, type SharedFrame, type Violation, type InstanceReachSummary } from './analyse';
export { guestMemoryOf, isVmInstance, type GuestMemory } from './guest';
export { reachOf, declaredRegions, type SpaceReach, type DeclaredRegion, type Region } from './reach';
export { renderIsolation } from './render';
export { deviceDeclaration, isDevicePage } from './device';
