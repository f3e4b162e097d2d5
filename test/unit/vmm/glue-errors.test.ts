import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DiagnosticError } from '../../../src/diagnostics';
import { readVmmGlue } from '../../../src/vmm/glue';

const FILE = 'src/vmm/glue/cross_vm.c';

function errorOf(text: string, more: { path: string; text: string }[] = []): string {
  try {
    readVmmGlue([{ path: FILE, text }, ...more]);
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, `expected DiagnosticError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected the glue to be rejected');
}

const HOOK = `int cross_vm_dataports_init(vmm_t *vmm) { return cross_vm_dataports_init_common(vmm, dataports, ARRAY_SIZE(dataports)); }\n`;

const CASES: [string, string, string][] = [
  ['unknown member in consumed_events[] element',
    `static camkes_consumes_event_t consumed_events[] = {\n  { .idx = 1, .reg_callback = done_reg_callback },\n};\n`,
    `${FILE}:2:5: error: camkes_consumes_event_t has no member named 'idx' (members: id, reg_callback)`],
  ['dataport handle without &',
    `static dataport_caps_handle_t *dataports[] = {\n  NULL,\n  data_handle,\n};\n${HOOK}`,
    `${FILE}:3:3: error: expected &<interface>_handle (a seL4SharedDataWithCaps dataport handle) or NULL, found "data_handle"`],
  ['missing semicolon after the array',
    `static camkes_emit_fn emitted_events[] = { NULL, ready_emit }\nint x;\n`,
    `${FILE}:2:1: error: expected ';' after the declaration of 'emitted_events', found 'int'`],
  ['unterminated comment', `/* never closed\nint x;`, `${FILE}:1:1: error: unterminated comment`],
  ['#error in an active group', `#if 1\n#error glue not configured\n#endif\n`, `${FILE}:2:2: error: #error glue not configured`],
  ['unterminated #if', `#ifdef X\nint y;\n`, `${FILE}:1:2: error: unterminated conditional directive: expected #endif`],
  ['bad #if expression', `#if (1 +\n#endif\n`, `${FILE}:1:9: error: expected an expression, found end of input`],
  ['no glue at all', `int main(void) { return 0; }\n`,
    `${FILE}:1:1: error: no cross-VM glue found: expected cross_vm_dataports_init/cross_vm_emits_events_init/cross_vm_consumes_events_init (generation 1) or a struct camkes_crossvm_connection array passed to cross_vm_connections_init (generation 2)`],
  ['hook that does not call the library',
    `static dataport_caps_handle_t *dataports[] = { NULL };\nint cross_vm_dataports_init(vmm_t *vmm) {\n  return 0;\n}\n`,
    `${FILE}:2:5: error: expected cross_vm_dataports_init() to call cross_vm_dataports_init_common(); other implementations are not understood`],
  ['wrong array passed to the dataports hook',
    `static camkes_emit_fn emitted_events[] = { NULL, ready_emit };\nint cross_vm_dataports_init(vmm_t *vmm) {\n  return cross_vm_dataports_init_common(vmm, emitted_events, 2);\n}\n`,
    `${FILE}:3:46: error: expected an array of dataport_caps_handle_t * as argument 2 of cross_vm_dataports_init_common, but 'emitted_events' is an array of camkes_emit_fn`],
  ['count that is not a constant',
    `static dataport_caps_handle_t *dataports[] = { NULL };\nint cross_vm_dataports_init(vmm_t *vmm) {\n  return cross_vm_dataports_init_common(vmm, dataports, n);\n}\n`,
    `${FILE}:3:57: error: expected an integer constant expression, found "n" ('n' is not a constant)`],
  ['consume badge that is neither -1, a constant nor a notification badge',
    `static struct camkes_crossvm_connection connections[] = {\n  {&dp_handle, NULL, some_badge(), "c"},\n};\n`,
    `${FILE}:2:22: error: expected an integer constant expression, found "some_badge()" (function calls are not constant)`],
  ['mutex lock/unlock from different CAmkES mutexes',
    `static camkes_consumes_event_t consumed_events[] = { { 1, done_reg_callback } };\nstatic camkes_mutex_t m = (camkes_mutex_t) { .lock = a_lock, .unlock = b_unlock };\n` +
    `int cross_vm_consumes_events_init(vmm_t *vmm, vspace_t *vspace, seL4_Word irq_badge) {\n  return cross_vm_consumes_events_init_common(vmm, vspace, &m, consumed_events, 1, irq_badge);\n}\n`,
    `${FILE}:2:72: error: .unlock is b_unlock but .lock is a_lock: expected a_unlock`],
  ['excess elements in a fixed-size array',
    `static camkes_emit_fn emitted_events[2] = { NULL, a_emit, b_emit };\n`,
    `${FILE}:1:59: error: excess elements in array initialiser of 'emitted_events' (size 2)`],
  ['macro called with the wrong number of arguments',
    `#define H(a, b) a\nstatic camkes_emit_fn emitted_events[] = { H(NULL) };\n`,
    `${FILE}:2:44: error: macro 'H' requires 2 arguments, but 1 given`],
];

for (const [name, text, want] of CASES) {
  test(`glue error: ${name}`, () => assert.equal(errorOf(text), want));
}

test('glue error: generation 1 and generation 2 in one app, with a note at the other', () => {
  const e = errorOf(`static camkes_emit_fn emitted_events[] = { NULL, ready_emit };\n`, [
    { path: 'src/conn.c', text: `static struct camkes_crossvm_connection connections[] = { {&a_handle, NULL, -1, "c"} };\n` },
  ]);
  assert.equal(e, `src/conn.c:1:41: error: connections[] is generation-2 glue, but emitted_events[] is generation 1; expected one generation\n${FILE}:1:23: note: generation-1 glue is here`);
});

test('glue error: the same hook defined in two files names both places', () => {
  const e = errorOf(`static dataport_caps_handle_t *dataports[] = { NULL };\n${HOOK}`, [{ path: 'src/other.c', text: HOOK }]);
  assert.equal(e, `src/other.c:1:5: error: redefinition of 'cross_vm_dataports_init'\n${FILE}:2:5: note: previous definition of 'cross_vm_dataports_init' was here`);
});

const FRAGMENTS = [
  'static', 'int', 'dataport_caps_handle_t', '*', 'dataports', '[', ']', '=', '{', '}', '(', ')', ';', ',', 'NULL', '&data_handle',
  '.id', '1', '0x10', '<<', '|', 'sizeof', '#define X 1\n', '#if 0\n', '#endif\n', '#include <a.h>\n', '"str', '"s"', "'c'", '/*', '*/', '//', '\n',
  'cross_vm_dataports_init', 'cross_vm_dataports_init_common', 'vmm', 'ARRAY_SIZE', 'struct camkes_crossvm_connection', 'connections', '-1', '\\\n', '##', '#',
];

test('property: the glue reader throws only DiagnosticError, on arbitrary text and on C-like token soup', () => {
  const check = (text: string): void => {
    try {
      readVmmGlue({ path: FILE, text });
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      assert.match(e.message, /^src\/vmm\/glue\/cross_vm\.c:\d+:\d+: error: |^<command line>/);
    }
  };
  fc.assert(fc.property(fc.string({ maxLength: 200 }), check), { numRuns: 1500 });
  fc.assert(fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((a) => a.join(' ')), check), { numRuns: 3000 });
  check('('.repeat(5000)); // deep nesting is an error, not a stack overflow
});
