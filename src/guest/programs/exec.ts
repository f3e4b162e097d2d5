import type { GuestStep } from '../kernel/kernel';
import type { Process } from '../kernel/process';
import { basename, setExecHook, Shell } from '../shell/exec';

/**
 * Virtual time an exec costs (loading and starting a program). UNCONFIRMED model figure; it
 * makes printk timestamps advance through boot as on a real guest.
 */
export const EXEC_COST_NS = 2_000_000;

/**
 * execve in the model: the program image replaces the process's code. A `{ program }` file runs
 * its TypeScript main; any other executable file runs as a shell script (ash falls back to that
 * on ENOEXEC, and every script in the rootfs is `#!/bin/sh`).
 */
export function* execProgram(p: Process, path: string, argv: string[], env: Map<string, string>): GuestStep<number> {
  const sys = p.sys;
  const node = sys.vfs.lookup(path);
  if (typeof node === 'number' || node.kind !== 'file') {
    yield* p.libc.eprintf(`sh: ${path}: ${typeof node === 'number' ? 'not found' : 'Permission denied'}\n`);
    return typeof node === 'number' ? 127 : 126;
  }
  p.comm = basename(path).slice(0, 15);
  p.env = new Map(env);
  sys.k.record('exec', path, argv.join(' '));
  yield* sys.k.delay(EXEC_COST_NS);
  if (node.program) {
    const main = sys.programs.get(node.program);
    if (!main) {
      yield* p.libc.eprintf(`sh: ${path}: Exec format error\n`);
      return 126;
    }
    return yield* main(p.libc, argv);
  }
  if (node.module) {
    yield* p.libc.eprintf(`sh: ${path}: Permission denied\n`);
    return 126;
  }
  const shell = new Shell(p, { arg0: path, interactive: false, positional: argv.slice(1) });
  return yield* shell.runScript(new TextDecoder().decode(node.data), path);
}

setExecHook(execProgram);
