import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main';
import { listBoards } from '../../../src/platform';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

test('vmconf platforms lists every board on one line with its key facts', async () => {
  const r = await run(['platforms']);
  assert.equal(r.code, 0);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, listBoards().length + 1);
  assert.match(lines.find((l) => l.startsWith('tx2 '))!, /^tx2\s+aarch64\s+GICv2\s+4\s+yes\s+252\s+supported$/);
  assert.match(lines.find((l) => l.startsWith('imx8mq-evk '))!, /GICv3\s+4\s+no\s+-\s+unsupported$/);
  assert.match(lines.find((l) => l.startsWith('pc99 '))!, /PIC\+IOAPIC\s+1\s+no\s+12\s+supported$/);
});

test('vmconf platforms <board> prints the board in full with its marks', async () => {
  const r = await run(['platforms', 'qemu-arm-virt']);
  assert.equal(r.code, 0);
  assert.match(r.out, /distributor 0x8000000, CPU interface 0x8010000, vCPU control 0x8030000, vCPU interface 0x8040000/);
  assert.match(r.out, /CONFLICT on multiple_vms: unsupported .* vs supported/);
  assert.match(r.out, /UNCONFIRMED: cfg, io, mem/);
  assert.match(r.out, /vm0: RAM 0x40000000\+0x20000000, DTB 0x4f000000, initrd 0x4d700000, entry 0x40080000, vCPUs 2/);
});

test('an unknown board is an error naming the known boards', async () => {
  const r = await run(['platforms', 'nosuch']);
  assert.equal(r.code, 1);
  assert.equal(r.err, `<command line>:1:1: error: unknown board 'nosuch'; known boards: ${listBoards().join(', ')}\n`);
  assert.equal((await run(['platforms', 'a', 'b'])).code, 2);
});
