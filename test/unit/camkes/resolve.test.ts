import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DiagnosticError } from '../../../src/diagnostics';
import { resolveAssembly, evalNumeric, plain, show, type ResolvedAssembly } from '../../../src/camkes/resolve';
import { loadSpecText, loadSpecFor } from '../../../src/camkes/instantiate/load';
import { loadCamkes } from '../../../src/camkes/parser';
import { parseCamkes } from '../../../src/camkes/parser';

const resolveText = (t: string): ResolvedAssembly => resolveAssembly(loadSpecText(t));

function fails(t: string, message: string | RegExp, line?: number): void {
  try {
    resolveText(t);
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, String(e));
    const d = e.diagnostics[0];
    if (typeof message === 'string') assert.equal(d.message, message);
    else assert.match(d.message, message);
    if (line !== undefined) assert.equal(d.pos.line, line);
    return;
  }
  assert.fail('expected an error');
}

const value = (text: string) => {
  const spec = parseCamkes(`configuration { a.b = ${text}; }`, (o) => ({ file: 'x', line: 1, col: o + 1 }), 'x');
  const conf = spec.items[0] as unknown as { settings: { value: Parameters<typeof evalNumeric>[0] }[] };
  return plain(evalNumeric(conf.settings[0].value));
};

test('expressions follow upstream (Python) semantics: ** left-assoc, floor division, 1/0 booleans', () => {
  assert.equal(value('2 ** 3 ** 2'), 64);
  assert.equal(value('2 * 3 ** 2'), 36);
  assert.equal(value('-2 ** 2'), 4);
  assert.equal(value('-7 / 2'), -4);
  assert.equal(value('7 / 2.0'), 3.5);
  assert.equal(value('~5'), -6);
  assert.equal(value('3 > 2 && 0 || 5'), 1);
  assert.equal(value('0x1fffffff & ~0x1fffe'), 0x1ffe0001);
  assert.equal(value('1 << 27'), 134217728);
  assert.equal(value('-7 % 3'), 2);
  assert.equal(value('true ? 5 : 6'), 5);
});

test('floor division and modulo agree with Python for all integers', () => {
  fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -50, max: 50 }).filter((b) => b !== 0), (a, b) => {
    const q = value(`${a < 0 ? `(0 - ${-a})` : a} / ${b < 0 ? `(0 - ${-b})` : b}`) as number;
    const r = value(`${a < 0 ? `(0 - ${-a})` : a} % ${b < 0 ? `(0 - ${-b})` : b}`) as number;
    return q === Math.floor(a / b) && q * b + r === a;
  }));
});

test('evaluation errors are positioned with upstream wording', () => {
  const base = 'import <std_connector.camkes>; component A { control; } assembly { composition { component A a; } configuration {';
  fails(`${base} a.x = 1 / 0; } }`, 'integer division or modulo by zero', 1);
  fails(`${base} a.x = 1 << -1; } }`, 'negative shift count');
});

test('the tutorial resolves: instances, merged connections, attributes from the VM macros', () => {
  const a = resolveAssembly(loadSpecFor('apps/crossvm_tutorial/crossvm_tutorial.camkes').spec);
  assert.deepEqual(a.instances.map((i) => i.name), ['fserv', 'serial', 'pci_config', 'time_server', 'rtc', 'vm0', 'print_server']);
  const vm0 = a.instance('vm0')!;
  assert.equal(vm0.type.name, 'Init0');
  assert.equal(plain(vm0.attributes.get('data_id')!.value), 1);
  assert.equal(plain(vm0.attributes.get('data_size')!.value), 4096);
  assert.equal(vm0.attributes.get('cnode_size_bits')!.source, 'default');
  assert.equal(plain(vm0.attributes.get('global_endpoint_mask')!.value), 0x1ffe0001);
  const merged = a.connection('serial_vm0')!;
  assert.equal(merged.name, 'serial_pci_config.serial_rtc.serial_time_server.serial_vm0');
  assert.equal(merged.from.length, 4);
  assert.deepEqual(merged.to.map((e) => `${e.instance.name}.${e.interface.name}`), ['serial.processed_putchar']);
  const data = a.connection('conn_data')!;
  assert.equal(data.connector.name, 'seL4SharedDataWithCaps');
  assert.equal(data.to[0].interface.dataportSize, 4096);
  assert.equal(data.to[0].interface.type, 'Buf(4096)');
  const ntfn = a.connection('conn_do_print')!;
  assert.equal(ntfn.connector.to.multiple, true);
  assert.equal(ntfn.connector.from.threads, 0);
  assert.equal(vm0.pos.file.endsWith('crossvm_tutorial.camkes'), true);
});

test('compound components flatten to outer.inner, exports redirect, <- references resolve', () => {
  const a = resolveAssembly(loadCamkes('test/fixtures/camkes/good/hierarchical.camkes', { includePaths: ['src/camkes/include/x86'] }));
  assert.ok(a.instance('w.x') && a.instance('w.y') && a.instance('cf.i'));
  assert.equal(a.instance('w.x')!.parent, 'w');
  assert.equal(plain(a.instance('w.x')!.attributes.get('b')!.value), 5, 'x.b <- outer_b with w.outer_b = 5');
  assert.equal(a.instance('w.x')!.attributes.get('b')!.source, 'reference');
  assert.equal(plain(a.instance('w.x')!.attributes.get('str')!.value), 'inner');
  assert.equal(plain(a.instance('cf.i')!.attributes.get('b')!.value), 2);
  const cw = a.connection('c_w')!;
  assert.ok(cw.ends.some((e) => e.instance.name === 'w.x' && e.interface.name === 'pi' && e.written === 'w.p'));
  assert.equal(a.instance('a')!.group, 'g');
  assert.equal(a.instance('a')!.addressSpace, 'g');
  assert.equal(plain(a.instance('a')!.attributes.get('str')!.value), 'settings use the bare instance name inside a group');
});

test('multiple assemblies merge into the first; settings may name instances declared elsewhere', () => {
  const a = resolveText(`import <std_connector.camkes>;
component A { control; attribute int n = 1; }
assembly { configuration { b.n = 7; } composition { component A a; } }
assembly { composition { component A b; } }`);
  assert.deepEqual(a.instances.map((i) => i.name), ['a', 'b']);
  assert.equal(plain(a.instance('b')!.attributes.get('n')!.value), 7);
  assert.equal(plain(a.instance('a')!.attributes.get('n')!.value), 1);
});

test('struct-typed attributes gain the defaults of fields the setting leaves out', () => {
  const a = resolveText(`import <std_connector.camkes>;
component A { control; attribute { string x; int y = 3; } s; }
assembly { composition { component A a; } configuration { a.s = {"x": "v"}; } }`);
  assert.deepEqual(plain(a.instance('a')!.attributes.get('s')!.value), { x: 'v', y: 3 });
});

test('attribute reference loops are reported as upstream does', () => {
  fails(`import <std_connector.camkes>; component A { control; attribute int x; attribute int y; }
assembly { composition { component A a; } configuration { a.y <- a.x; a.x <- a.y; } }`, 'Loop detected in attribute references: a.y<-a.x<-a.y<-...', 2);
});

test('a reference to a missing default keeps the referring attribute default; none drops the setting', () => {
  const a = resolveText(`import <std_connector.camkes>; component A { control; attribute int x; attribute int y = 4; attribute int z; }
assembly { composition { component A a; } configuration { a.y <- a.x; a.z <- a.x; } }`);
  assert.equal(plain(a.instance('a')!.attributes.get('y')!.value), 4);
  assert.equal(a.instance('a')!.attributes.has('z'), false);
});

test('structural impossibilities are positioned errors with upstream wording', () => {
  const std = 'import <std_connector.camkes>;\n';
  fails(`${std}assembly { composition { component Nope n; } }`, "unknown reference to 'Nope'", 2);
  fails(`${std}component A { emits E e; }\nassembly { composition { component A a;\n connection seL4Notification c(from a.e, to zz.e); } }`, "unknown reference to 'zz'", 4);
  fails(`${std}component A { emits E e; }\nassembly { composition { component A a;\n connection seL4Notification c(from a.e, to a.nope); } }`, "unknown reference to 'a.nope'", 4);
  fails(`${std}component A { emits E e; }\nassembly { composition { component A a;\n connection seL4Notification c(from e, to a.e); } }`, "unknown reference to 'e'", 4);
  fails(`${std}component A { emits E e; }\nassembly { composition { component A a;\n connection NoConn c(from a.e, to a.e); } }`, "unknown reference to 'NoConn'", 4);
  fails(`${std}component A { control; }\nassembly { composition { component A a; component A a; } }`, /^duplicate definition of group\/component 'a'; previous definition was at .*inline\.camkes:3$/, 3);
  fails(`${std}component A { control; }\ncomponent A { control; }\nassembly { composition { component A a; } }`, /^duplicate definition of Component 'A'; previous definition was at /, 3);
  fails(`${std}component A { dataport Buf(0) d; }\nassembly { composition { component A a; } }`, 'illegal value for dataport size', 2);
  fails(`${std}component A { control; }`, 'no assembly found in input specification', 1);
  fails(`${std}assembly { composition { } }`, 'no instances declared in assembly', 2);
  fails(`${std}connector C { from Event; to Event; }\nassembly { composition { component C c; } }`,
    /^unknown reference to 'C'; entities of the same name but incorrect type: \n .*inline\.camkes:2: C of type Connector$/);
});

test('connections sharing an end with different connectors cannot merge', () => {
  fails(`import <std_connector.camkes>; procedure P { void f(); }
component S { provides P p; } component C { uses P p; }
assembly { composition { component S s; component C c1; component C c2;
 connection seL4RPCCall a(from c1.p, to s.p);
 connection seL4RPCCallNoType b(from c2.p, to s.p); } }`, 'Multiple connectors used in connections involving b. (seL4RPCCall, seL4RPCCallNoType)', 5);
});

test('queries stay query values for the platform layer', () => {
  const a = resolveText(`import <std_connector.camkes>; component A { control; }
assembly { composition { component A a; } configuration { a.dtb = dtb({"path": "/soc"})["reg"]; } }`);
  const v = a.instance('a')!.attributes.get('dtb')!.value;
  assert.equal(v.kind, 'query');
  assert.equal(show(v), `dtb({'path': '/soc'})['reg']`);
});
