/**
 * Every message the checker prints, in one place. Errors that upstream raises keep upstream's
 * wording (reference camkes-and-microkit-languages.md A.12, A.13 "Template-time errors");
 * the others say so where they are defined.
 */
import type { SourcePos } from '../../diagnostics';

export const where = (p: SourcePos): string => `${p.file}:${p.line}`;

export const MSG = {
  // ---- stage 4: names
  unknownReference: (name: string, others: readonly { pos: SourcePos; name: string; kind: string }[]) =>
    `unknown reference to '${name}'` +
    (others.length
      ? '; entities of the same name but incorrect type: ' + others.map((o) => `\n ${where(o.pos)}: ${o.name} of type ${o.kind}`).join('')
      : ''),
  duplicateDefinition: (kind: string, name: string, prev: SourcePos) =>
    `duplicate definition of ${kind} '${name}'; previous definition was at ${where(prev)}`,

  // ---- stage 3: lifting
  illegalDataportSize: 'illegal value for dataport size',
  illegalThreadValue: (v: string) => `illegal thread value '${v}'`,
  illegalExportSource: 'illegal source in export statement (these must be qualified references like "foo.bar")',
  notAValidType: (t: string) => `type: "${t}" is not a valid type`,
  /** Upstream crashes with an AssertionError here (A.12); the wording is ours. */
  assemblyParts: (what: string) => `an assembly block may contain only one ${what} (upstream camkes-tool fails with an AssertionError)`,

  // ---- stage 6, 7, 9
  noAssembly: 'no assembly found in input specification',
  noInstances: 'no instances declared in assembly',
  topLevelEndNoInstance: 'top-level connection end with no instance',
  multipleConnectors: (conn: string, k1: string, k2: string) =>
    `Multiple connectors used in connections involving ${conn}. (${k1}, ${k2})`,

  // ---- stage 10: components and procedures
  duplicateEntity: (name: string, kind: string, prev: SourcePos) =>
    `duplicate entity '${name}' defined, collides with ${kind} at ${where(prev)}`,
  controlAndHardware: (c: string) =>
    `component ${c} is illegally defined as being both a control component and a hardware device`,
  hardwareMutex: (c: string) => `component ${c} is illegally defined as a hardware device that also has mutexes`,
  hardwareSemaphore: (c: string) => `component ${c} is illegally defined as a hardware device that also has semaphores`,
  duplicateParameter: (p: string, m: string) => `duplicate parameter name '${p}' in method '${m}'`,
  cKeyword: (what: 'method' | 'parameter' | 'attribute' | 'setting', n: string) => `${what} name '${n}' clashes with a C keyword`,

  // ---- stage 10: connections
  noEnds: (c: string, side: 'from' | 'to') => `connection '${c}' has no ${side} ends`,
  multipleEnds: (c: string, side: 'from' | 'to', k: string) =>
    `connection '${c}' has multiple ${side} ends but its connector type (${k}) only permits one`,
  conflictingTypes: (c: string, t1: string, t2: string) =>
    `multiple conflicting types for the interfaces of connection '${c}': ${t1}, ${t2}`,
  cannotBeUsedAs: (c: string, end: string, side: 'from' | 'to') => `connection '${c}' has an end ${end} that cannot be used as '${side}'`,
  hardwareSide: (c: string, k: string, side: 'from' | 'to', end: string) =>
    `connection '${c}' has a type '${k}' that is intended for connecting ${side} hardware devices, but end ${end} refers to a software component`,
  softwareSide: (c: string, k: string, side: 'from' | 'to', end: string) =>
    `connection '${c}' has a type '${k}' that is intended for connecting ${side} software components, but end ${end} refers to a hardware device`,
  wrongEndKind: (c: string, k: string, side: 'from' | 'to', end: string, kind: 'Event' | 'Procedure' | 'Dataport') => {
    const what = {
      Event: ['events', side === 'from' ? 'an emitted event' : 'a consumed event'],
      Procedure: ['procedures', side === 'from' ? 'a used procedure' : 'a provided procedure'],
      Dataport: ['dataports', 'a dataport'],
    }[kind];
    return `connection '${c}' has a type '${k}' that is intended for connecting ${side} ${what[0]}, but end ${end} is not ${what[1]}`;
  },
  duplicateUse: (end: string) => `duplicate use of interface ${end} (deprecated form of N-way connections?)`,
  notConnected: (end: string) => `non-optional interface ${end} is not connected`,

  // ---- stage 10: settings
  mistyped: (t: string, v: string, kind: string) =>
    `mistyped assignment of attribute of type ${t}: For "${v}": required type is "${kind}", but type is "${t}"`,
  duplicateSetting: (inst: string, attr: string) => `duplicate setting for attribute '${inst}.${attr}'`,
  referenceLoop: (chain: string) => `Loop detected in attribute references: ${chain}<-...`,
  /** Upstream crashes (AssertionError / KeyError) in these two cases (A.7); the wording is ours. */
  arrayGivenScalar: (t: string, v: string) => `attribute of type ${t}[] is an array, but "${v}" is not a list (upstream camkes-tool fails with an AssertionError)`,
  structMissing: (fields: readonly string[]) => `Attributes: "[${fields.map((f) => `'${f}'`).join(', ')}]" are missing from assignment.`,

  // ---- templates (code generation; upstream raises TemplateError)
  sharedDataSize: (setting: string, n: string) =>
    `Setting ${setting} does not meet minimum size requirements. ${n} must be at least 4096 and 4096 aligned`,
  duplicateSizeSetting: (conn: string, toEnd: string) =>
    `Duplicate setting for ${conn} dataport size: Cannot set both ${conn}.size and ${toEnd}_size`,
} as const;
