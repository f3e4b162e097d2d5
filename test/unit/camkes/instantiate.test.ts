import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError } from '../../../src/diagnostics';
import { capListing } from '../../../src/sel4';
import { resolveAssembly } from '../../../src/camkes/resolve';
import { instantiate, renderSpec, type InstantiatedSystem } from '../../../src/camkes/instantiate';
import { loadSpecFor, loadSpecText } from '../../../src/camkes/instantiate/load';
import { builtinBehaviours } from '../../../src/camkes/components';

const fromText = (t: string) => instantiate(resolveAssembly(loadSpecText(t)));
const fromApp = (f: string, board?: string) => {
  const s = loadSpecFor(f, { board });
  return instantiate(resolveAssembly(s.spec), { arch: s.arch, behaviours: builtinBehaviours() });
};
const caps = (sys: InstantiatedSystem, space: string) => capListing(sys.kernel.core.objects.all.filter((o) => o.name === `cnode ${space}`));

function fails(t: string, message: string, line: number): void {
  assert.throws(() => fromText(t), (e: unknown) => {
    assert.ok(e instanceof DiagnosticError);
    assert.equal(e.diagnostics[0].message, message);
    assert.equal(e.diagnostics[0].pos.line, line);
    return true;
  });
}

test('pingpong: one CSpace and VSpace per instance, threads, notifications, shared frames', () => {
  const sys = fromApp('apps/pingpong/pingpong.camkes');
  const byType = new Map<string, string[]>();
  for (const o of sys.kernel.core.objects.all) if (o.id > 0 && o.type !== 'Untyped') byType.set(o.type, [...(byType.get(o.type) ?? []), o.name]);
  assert.deepEqual(byType.get('CNode')!.filter((n) => n !== 'root cnode'), ['cnode ping', 'cnode pong']);
  assert.deepEqual(byType.get('VSpace'), ['vspace ping', 'vspace pong']);
  assert.deepEqual(byType.get('Frame')!.sort(), ['frame channel1[0]', 'frame channel2[0]']);
  assert.deepEqual(byType.get('TCB')!.filter((n) => n !== 'rootserver').sort(), ['ping:control', 'ping:n2__run', 'pong:control', 'pong:n1__run']);
  assert.deepEqual(byType.get('Notification')!.sort(), ['ntfn ntfn1.pong.n1', 'ntfn ntfn2.ping.n2', 'ntfn ping.n2 handoff', 'ntfn pong.n1 handoff']);
  const ping = caps(sys, 'ping');
  assert.deepEqual(ping.filter((c) => c.object === 'ntfn ntfn1.pong.n1').map((c) => [c.rights, c.badge]), [['-W--', 0]], 'emitter: unbadged Write only');
  assert.deepEqual(ping.filter((c) => c.object === 'ntfn ntfn2.ping.n2').map((c) => c.rights), ['R---'], 'consumer: Read only');
  assert.equal(ping.filter((c) => c.type === 'Frame').length, 0, 'seL4SharedData gives no frame caps');
  for (const s of ['ping', 'pong']) {
    const ms = sys.spaces.find((x) => x.name === s)!.vspace.mappings().map((m) => m.frame.name);
    assert.deepEqual(ms, ['frame channel1[0]', 'frame channel2[0]']);
  }
});

test('the tutorial: frame caps in both CNodes for seL4SharedDataWithCaps, with id and size on the handle', () => {
  const sys = fromApp('apps/crossvm_tutorial/crossvm_tutorial.camkes');
  const vm0 = sys.instances.get('vm0')!.runtime.interfaces.get('data');
  assert.ok(vm0?.kind === 'dataport' && vm0.caps);
  assert.deepEqual({ id: vm0.caps.id, size: vm0.caps.size, n: vm0.caps.frameCaps.length }, { id: 1, size: 4096, n: 1 });
  const ps = sys.instances.get('print_server')!.runtime.interfaces.get('data');
  assert.ok(ps?.kind === 'dataport' && ps.caps);
  assert.equal(ps.caps.id, 0, 'default _id');
  assert.deepEqual(caps(sys, 'vm0').filter((c) => c.type === 'Frame').map((c) => c.object), ['frame conn_data[0]']);
  assert.deepEqual(caps(sys, 'print_server').filter((c) => c.type === 'Frame').map((c) => c.object), ['frame conn_data[0]']);
  // seL4RPCCall clients are badged, one per client, on one endpoint after N-to-1 merging.
  const ep = 'ep serial_pci_config.serial_rtc.serial_time_server.serial_vm0';
  const badges = ['pci_config', 'time_server', 'rtc', 'vm0'].map((s) => caps(sys, s).find((c) => c.object === ep)!);
  assert.deepEqual(badges.map((c) => [c.rights, c.badge]), [['-W-P', 1], ['-W-P', 2], ['-W-P', 3], ['-W-P', 4]]);
  assert.deepEqual(caps(sys, 'serial').filter((c) => c.object === ep).map((c) => c.rights), ['R---']);
  // The mutex is a notification signalled once at start.
  const m = sys.kernel.core.objects.all.find((o) => o.name === 'ntfn vm0.cross_vm_event_mutex') as unknown as { state: string };
  assert.equal(m.state, 'Active');
});

test('seL4GlobalAsynch: one global notification per to-instance, badge bits from base and mask', () => {
  const sys = fromApp('apps/crossvm_tutorial/crossvm_tutorial.camkes');
  const h = sys.instances.get('vm0')!.runtime.interfaces.get('intready');
  // mask 0x1fffffff & ~0x1fffe leaves bit 0 first; base 1 << 27.
  assert.ok(h?.kind === 'consumes-global');
  assert.equal(h.badge, 0x8000001);
  assert.equal(sys.kernel.thread('vm0:intready__run'), undefined, 'seL4GlobalAsynch gives 0 threads');
  const arm = fromApp('apps/vm_cross_connector/vm_cross_connector.camkes', 'qemu-arm-virt');
  const done = arm.instances.get('vm0')!.runtime.interfaces.get('done');
  const ready = arm.instances.get('vm0')!.runtime.interfaces.get('notification_ready');
  assert.ok(done?.kind === 'consumes-global' && ready?.kind === 'consumes-global');
  assert.notEqual(done.badge, ready.badge);
  assert.equal(done.badge & ready.badge & ~0x8000000, 0, 'distinct bits besides the base');
  const emit = caps(arm, 'crossvm_init').find((c) => c.object === 'ntfn vm0.global_endpoint')!;
  assert.deepEqual([emit.rights, emit.badge], ['-W--', done.badge]);
});

test('dataport sizes: Buf(N) below a page or unaligned is the TemplateError, positioned', () => {
  const std = 'import <std_connector.camkes>;\nimport <global-connectors.camkes>;\n';
  fails(`${std}component A { control; dataport Buf(5000) d; }\ncomponent B { control; dataport Buf(5000) d; }
assembly { composition { component A a; component B b; connection seL4SharedData c(from a.d, to b.d); } }`,
  'Setting Buf(5000) does not meet minimum size requirements. 5000 must be at least 4096 and 4096 aligned', 3);
  fails(`${std}component A { control; dataport Buf d; }\ncomponent B { control; dataport Buf d; }
assembly { composition { component A a; component B b; connection seL4SharedDataWithCaps c(from a.d, to b.d); }
configuration {
  b.d_size = 1024; } }`, 'Setting b.d_size does not meet minimum size requirements. 1024 must be at least 4096 and 4096 aligned', 7);
  fails(`${std}component A { control; dataport Buf d; }\ncomponent B { control; dataport Buf d; }
assembly { composition { component A a; component B b; connection seL4SharedDataWithCaps c(from a.d, to b.d); }
configuration { c.size = 8192;
  b.d_size = 8192; } }`, 'Duplicate setting for c dataport size: Cannot set both c.size and b.d_size', 7);
});

test('a multi-page dataport uses the largest frame size that divides it, mapped at the same offsets', () => {
  const sys = fromText(`import <std_connector.camkes>;
component A { control; dataport Buf(0x200000) d; }
assembly { composition { component A a; component A b; connection seL4SharedData c(from a.d, to b.d); } }`);
  const h = sys.instances.get('a')!.runtime.interfaces.get('d');
  assert.ok(h?.kind === 'dataport');
  assert.deepEqual([h.frames.length, h.frameSizeBits, h.size], [1, 21, 0x200000]);
});

test('dataport access rights come from <inst>.<dp>_access; a bad string is rejected', () => {
  const t = (acc: string) => `import <std_connector.camkes>;
component A { control; dataport Buf d; }
assembly { composition { component A a; component A b; connection seL4SharedData c(from a.d, to b.d); }
configuration { b.d_access = "${acc}"; } }`;
  const sys = fromText(t('R'));
  assert.equal(sys.spaces.find((s) => s.name === 'b')!.vspace.mappings()[0].rights.write, false);
  assert.equal(sys.spaces.find((s) => s.name === 'a')!.vspace.mappings()[0].rights.write, true);
  fails(t('Q'), 'invalid permissions attribute b.d_access', 4);
});

test('priorities and groups: <iface>_priority and _priority, one address space per group', () => {
  const sys = fromText(`import <std_connector.camkes>;
component A { control; consumes E e; } component B { control; emits E e; }
assembly { composition { group g { component A a; component B b; } connection seL4Notification n(from g.b.e, to g.a.e); }
configuration { a._priority = 10; a.e_priority = 20; b.priority = 30; } }`);
  assert.deepEqual(sys.spaces.map((s) => s.name), ['g']);
  const t = (n: string) => sys.instances.get(n.split(':')[0])!.threads.find((x) => x.name === n)!.priority;
  assert.deepEqual([t('a:control'), t('a:e__run'), t('b:control')], [10, 20, 30]);
});

test('objects come from the boot untypeds, and the listing is stable', () => {
  const a = fromApp('apps/crossvm_tutorial/crossvm_tutorial.camkes');
  const b = fromApp('apps/crossvm_tutorial/crossvm_tutorial.camkes');
  assert.equal(renderSpec(a), renderSpec(b));
  const frame = a.kernel.core.objects.all.find((o) => o.name === 'frame conn_data[0]')!;
  assert.ok(frame.paddr >= 0x4000_0000, 'carved from untyped RAM');
  assert.ok(a.kernel.trace.all().some((e) => e.op === 'seL4_Untyped_Retype' && e.value === 'Frame'));
  assert.match(renderSpec(a), /cnode vm0: \(cnode_size_bits 21; modelled with radix 12\)/);
});
