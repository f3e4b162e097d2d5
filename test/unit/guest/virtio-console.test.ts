import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtioConsole, VIRTIO_PLACEMENT, type VirtioConsoleBackend } from '../../../src/vmm/virtio';
import { HVC_MAJOR } from '../../../src/guest/virtio';
import type { GuestStep } from '../../../src/guest/kernel/kernel';
import type { Libc } from '../../../src/guest/kernel/libc';
import { O_RDWR } from '../../../src/guest/kernel/vfs';
import { bootMiniGuest, VirtioMachine, World, type MiniGuest } from './virtio-machine';

/** vm_serial_server: the guest's hvc0 carried by virtio-console to the serial server (here: `served`). */
function setup(arch: 'x86' | 'arm' = 'x86'): { w: World; m: VirtioMachine; g: MiniGuest; con: VirtioConsoleBackend; served: () => string } {
  const w = new World();
  const m = new VirtioMachine(w, 'vm', arch);
  const line = arch === 'x86' ? VIRTIO_PLACEMENT.x86Irq.console : 124;
  let out = '';
  const { transport, console: con } = createVirtioConsole({
    memory: m.memory, irqLine: line, interrupt: () => m.raise(line), output: (b) => (out += new TextDecoder().decode(b)),
  });
  m.addDevice(transport);
  return { w, m, g: bootMiniGuest(m, { pciIoBase: arch === 'arm' ? m.ioWindow : undefined }), con, served: () => out };
}

/** Writes a greeting to /dev/hvc0, reads one line from it and reports it on stdout. */
function* hvcEcho(c: Libc): GuestStep<number> {
  const fd = yield* c.open('/dev/hvc0', O_RDWR);
  if (fd < 0) return 1;
  yield* c.write(fd, 'Welcome to Buildroot\nbuildroot login: ');
  const line = yield* c.read(fd, 256);
  yield* c.printf(`read ${JSON.stringify(new TextDecoder().decode(line ?? new Uint8Array()))}\n`);
  return 0;
}

test('hvc0: output reaches the serial server, typed input is echoed back and read as a line', () => {
  const { w, m, g, con, served } = setup();
  // Typed before the guest's driver is ready: held by the device until receive buffers are posted.
  con.input('roo');
  assert.ok(w.run(() => !!g.devices));
  assert.equal(g.devices!.consoles.length, 1);
  assert.deepEqual(g.sys!.k.irqActions(VIRTIO_PLACEMENT.x86Irq.console), ['virtio0']);
  const node = g.sys!.devtmpfs.children.get('hvc0');
  assert.deepEqual(node, { kind: 'chr', major: HVC_MAJOR, minor: 0 });
  g.spawn('hvc-echo', hvcEcho, ['hvc-echo']);
  w.run(() => served().endsWith('login: '));
  w.at(w.time + 1e6, () => con.input('t\r'));
  assert.ok(w.run(() => g.exits.length > 0));
  // Echo happens when the bytes arrive (n_tty), so the early 'roo' precedes the greeting.
  assert.equal(served(), 'rooWelcome to Buildroot\nbuildroot login: t\n');
  assert.equal(g.exits[0].status, 0);
  assert.match(m.output, /read "root\\n"\n$/);
  assert.equal(con.pending, 0);
});

test('Arm: the console device answers through the vPCI IO window on the board virtio line', () => {
  const { w, g, served } = setup('arm');
  assert.ok(w.run(() => !!g.devices));
  assert.deepEqual(g.sys!.k.irqActions(124), ['virtio0']);
  g.spawn('hvc-echo', hvcEcho, ['hvc-echo']);
  assert.ok(w.run(() => served().endsWith('login: ')));
});
