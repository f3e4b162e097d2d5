import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AFFINITY_STATE, PSCI_FN, PSCI_RET, PSCI_VERSION_VALUE, handlePsci, mpidrOf, smcHsr, vcpuOfMpidr, type PowerHost, type PowerState } from '../../../src/vmm/arm/psci';

function host(n: number, wordBits: 32 | 64 = 64): PowerHost & { on: PowerState[]; started: [number, number, number][] } {
  const on: PowerState[] = Array.from({ length: n }, (_, i) => (i === 0 ? 'on' : 'off'));
  const started: [number, number, number][] = [];
  return {
    numVcpus: n,
    wordBits,
    on,
    started,
    state: (i) => on[i],
    cpuOn: (i, entry, ctx) => {
      on[i] = 'on';
      started.push([i, entry, ctx]);
    },
  };
}

const x0 = (o: ReturnType<typeof handlePsci>) => (o.kind === 'return' ? o.x[0] : o.kind);

test('VERSION, CPU_ON (success, already on, invalid target), AFFINITY_INFO', () => {
  const h = host(2);
  assert.equal(x0(handlePsci(h, PSCI_FN.VERSION, [])), PSCI_VERSION_VALUE);
  assert.equal(x0(handlePsci(h, PSCI_FN.AFFINITY_INFO_64, [1, 0])), AFFINITY_STATE.OFF);
  assert.equal(x0(handlePsci(h, PSCI_FN.CPU_ON_64, [mpidrOf(1), 0x40080000, 7])), PSCI_RET.SUCCESS);
  assert.deepEqual(h.started, [[1, 0x40080000, 7]]);
  assert.equal(x0(handlePsci(h, PSCI_FN.CPU_ON_64, [1, 0x40080000, 7])), PSCI_RET.ALREADY_ON);
  assert.equal(x0(handlePsci(h, PSCI_FN.CPU_ON_64, [2, 0x40080000, 7])), PSCI_RET.INVALID_PARAMETERS);
  assert.equal(x0(handlePsci(h, PSCI_FN.CPU_ON_64, [0x100, 0, 0])), PSCI_RET.INVALID_PARAMETERS, 'Aff1 set');
  assert.equal(x0(handlePsci(h, PSCI_FN.AFFINITY_INFO_32, [1, 0])), AFFINITY_STATE.ON);
  assert.equal(x0(handlePsci(h, PSCI_FN.AFFINITY_INFO_32, [1, 1])), PSCI_RET.INVALID_PARAMETERS, 'level 1 not modelled');
});

test('CPU_OFF and SYSTEM_OFF act on the caller / the VM; unknown ids are NOT_SUPPORTED', () => {
  const h = host(2);
  assert.deepEqual(handlePsci(h, PSCI_FN.CPU_OFF, []), { kind: 'cpu-off' });
  assert.deepEqual(handlePsci(h, PSCI_FN.SYSTEM_OFF, []), { kind: 'system-off' });
  for (const fid of [0x82000000, 0xc2000001, 0x84000001, 0x8400000a, 0]) assert.equal(x0(handlePsci(h, fid, [])), PSCI_RET.NOT_SUPPORTED, fid.toString(16));
});

test('SMC32 CPU_ON takes 32-bit arguments; an AArch32 guest cannot use SMC64 ids', () => {
  const h = host(2);
  handlePsci(h, PSCI_FN.CPU_ON_32, [2 ** 32 + 1, 2 ** 32 + 0x8000, 3]);
  assert.deepEqual(h.started, [[1, 0x8000, 3]]);
  const h32 = host(2, 32);
  assert.equal(x0(handlePsci(h32, PSCI_FN.CPU_ON_64, [1, 0, 0])), PSCI_RET.NOT_SUPPORTED);
  assert.equal(x0(handlePsci(h32, PSCI_FN.CPU_ON_32, [1, 0, 0])), PSCI_RET.SUCCESS);
});

test('property: CPU_ON starts each valid target exactly once; the rest are ALREADY_ON or INVALID_PARAMETERS', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 30 }), (n, targets) => {
      const h = host(n);
      for (const t of targets) {
        const before = vcpuOfMpidr(t) >= 0 && t < n ? h.on[t] : null;
        const r = x0(handlePsci(h, PSCI_FN.CPU_ON_64, [t, 0, 0]));
        if (before === null) assert.equal(r, PSCI_RET.INVALID_PARAMETERS);
        else assert.equal(r, before === 'on' ? PSCI_RET.ALREADY_ON : PSCI_RET.SUCCESS);
      }
      const ids = h.started.map((s) => s[0]);
      return new Set(ids).size === ids.length && ids.every((i) => i > 0 && i < n);
    }),
  );
});

test('SMC HSR: EC 0x17 from AArch64, 0x13 from AArch32, IL set', () => {
  assert.equal(smcHsr(64), 0x5e000000);
  assert.equal(smcHsr(32), 0x4e000000);
});
