// Deterministic fixture: serialised trace + serial output of a few fixed runs.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { runApp } from './src/system';
const out: string[] = [];
const runs: [string, string[]][] = [
  ['apps/crossvm_tutorial', ['print_client hello world', `print_client ${Array.from({ length: 60 }, (_, i) => 'w' + i).join(' ')}`, 'print_client', 'cat /proc/devices', 'ls /dev']],
  ['apps/string_reverse_gen1', ['echo hello | string_reverse', 'printf "abc\\ndef\\n" | string_reverse']],
];
for (const [dir, commands] of runs) {
  const r = runApp(dir, { board: 'pc99', seed: 1, commands, timeoutNs: 600e9 });
  out.push(`== ${dir} ${r.outcome.kind}`);
  out.push(r.console.join('\n'));
  out.push(r.system.sys.kernel.trace.serialise());
}
const text = out.join('\n');
writeFileSync(process.argv[2], text);
console.log(createHash('sha256').update(text).digest('hex'), text.length);
