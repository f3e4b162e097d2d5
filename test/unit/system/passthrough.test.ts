import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiagnosticError } from '../../../src/diagnostics';
import { buildSystem } from '../../../src/system';
import { ArmVmm } from '../../../src/vmm/arm';
import { X86Vmm } from '../../../src/vmm/x86';
import type { ArmRouting } from '../../../src/vmm/passthrough/route-arm';
import { fakeGuest as fakeGuestFactory } from './fake-guest';

function withCopy<T>(app: string, edit: (dir: string) => void, f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'vmconf-pt-unit-'));
  try {
    cpSync(resolve('apps', app), dir, { recursive: true });
    edit(dir);
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('vm_cross_connector on exynos5422: the devices list is planned, routed and mapped 1:1 by the running VMM', () => {
  const b = buildSystem(resolve('apps/vm_cross_connector'), { board: 'exynos5422', guest: fakeGuestFactory });
  const plan = b.passthrough.plans.get('vm0')!;
  assert.equal(plan.family, 'arm');
  if (plan.family !== 'arm') return;
  // The app spells the first entry /firmware@02073000: no node, no resources (platforms.md 2.1).
  assert.deepEqual(plan.unmatched.map((u) => u.what), ['dtb path "/firmware@02073000"']);
  const routing = b.passthrough.routings.get('vm0') as ArmRouting;
  assert.deepEqual(routing.skipped, [85], 'the console line is the VMM\'s own');
  assert.ok(routing.irqs.some((i) => i.irq === 76));
  b.start();
  b.sys.kernel.run({ until: 1_000_000 });
  const vmm = b.vms[0].vmm as ArmVmm;
  const m = vmm.res.eptObject.lookup(0x101e0000);
  assert.equal(m?.frame.paddr, 0x101e0000);
  assert.equal(m?.frame.device, true);
});

test('a passthrough misconfiguration stops buildSystem at the devices.camkes line, every error at once', () => {
  withCopy(
    'vm_cross_connector',
    (dir) => {
      const p = join(dir, 'exynos5422/devices.camkes');
      writeFileSync(p, readFileSync(p, 'utf8').replace('"0x10486000:12"', '"0x10481000:12"').replace('{"path": "/soc/rtc@101e0000"},', '{"path": "[x"},'));
    },
    (dir) => {
      assert.throws(
        () => buildSystem(dir, { board: 'exynos5422', guest: fakeGuestFactory }),
        (e: unknown) => {
          assert.ok(e instanceof DiagnosticError);
          assert.deepEqual(e.diagnostics.map((d) => `${d.pos.file.endsWith('exynos5422/devices.camkes')}:${d.pos.line}`), ['true:55', 'true:112']);
          return true;
        },
      );
    },
  );
});

test('the seed vm0_config passthrough in an x86 app: Init gets the port range and kernel line 27', () => {
  withCopy(
    'minimal',
    (dir) => {
      const p = join(dir, 'minimal.camkes');
      const cfg = `vm0_config.ioports = [ {"start":0x4060, "end":0x4080, "pci_device":0x1f, "name":"SATA"} ];
vm0_config.pci_devices = [ {"name":"SATA", "bus":0, "dev":0x1f, "fun":2, "irq":"SATA", "memory":[ {"paddr":0xc0713000, "size":0x800, "page_bits":12} ]} ];
vm0_config.irqs = [ {"name":"SATA", "source":19, "level_trig":1, "active_low":1, "dest":11} ];`;
      writeFileSync(p, readFileSync(p, 'utf8').replace('configuration {', `configuration {\n${cfg}\n`));
    },
    (dir) => {
      const b = buildSystem(dir, { board: 'cma34cr', anyBoardOfArch: true, guest: fakeGuestFactory });
      const vmm = b.vms[0].vmm as X86Vmm;
      assert.ok(vmm instanceof X86Vmm);
      assert.deepEqual(vmm.machine.passthrough.ports.map((r) => [r.first, r.last]), [[0x4060, 0x407f]]);
      const lines = b.sys.instances.get('vm0')!.space.cnode.used().flatMap((s) => (s.cap?.object.type === 'IRQHandler' ? [(s.cap.object as unknown as { line: number }).line] : []));
      assert.deepEqual(lines, [27]);
    },
  );
});

test('an app without passthrough settings boots with the same kernel untypeds as before', () => {
  const b = buildSystem(resolve('apps/minimal'), { board: 'pc99', guest: fakeGuestFactory });
  assert.equal(b.passthrough.plans.size, 0);
  assert.equal(b.sys.kernel.untyped.some((u) => u.device), false);
});
