export type * from './ast';
export { parseShell } from './parser';
export { expandWord, expandWordToString, literalWord, splitFields, DEFAULT_IFS, type ExpansionEnv } from './expand';
export { busyboxEcho } from './echo';
export { evalArith } from './arith';
export { ashMessage } from './errors';
