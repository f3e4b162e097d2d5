/**
 * The CAmkES semantic checker: camkes-tool's stage-3/4 definition checks and stage-10 freeze
 * checks, the connector rules, attribute typing, and the CAmkES VM documents' rules.
 * Public entry: `checkCamkes` (on a loaded spec) and `loadAndCheck` (load + check a file).
 */
export { analyseCamkes, checkCamkes, hasErrors, type Analysis } from './check';
export type { Arch, CheckOptions } from './context';
export { loadAndCheck, searchPathFor, readAppYaml, INCLUDE_ROOT, type LoadCheckOptions, type LoadCheckResult, type AppInfo } from './load';
