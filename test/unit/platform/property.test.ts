import { test } from 'node:test';
import fc from 'fast-check';
import { DiagnosticError } from '../../../src/diagnostics';
import { parseDts, validateBoard } from '../../../src/platform';

const KEYS = ['name', 'arch', 'title', 'source', 'sel4', 'gic', 'pic', 'timer', 'interrupts', 'max_irq', 'free', 'apps', 'vms', 'vm0', 'ram', 'base', 'size', 'irq', 'irqs', 'cross_vm', 'vpci', 'cfg', 'io', 'mem', 'features', 'row', 'smp', 'unconfirmed', 'conflicts', 'values', 'value', 'key', 'variant_of', 'dtb_properties', 'ioports', 'pci_devices', 'memory', 'exclude_paddr', 'version', 'vmm'];
const SCALARS = ['null', '~', 'true', 'no', '0', '-1', '0x40000000', '3.5', '"x"', 'aarch64', 'x86_64', 'pc99', 'platforms.md §1.2; a:b', '[1, 2]', '{}', '[]', '*a', '&a 1', '!!binary AA', "'q'", '{ base: 1, size: 2 }'];

/** YAML-ish text: nested keys, lists and scalars with random indentation and occasional junk. */
const line = fc.tuple(fc.nat({ max: 6 }), fc.constantFrom(...KEYS), fc.constantFrom(...SCALARS, ''), fc.boolean(), fc.constantFrom('', '', '', ':', '- ', '{', '"', '\t', '#'))
  .map(([ind, k, v, dash, junk]) => `${' '.repeat(ind)}${dash ? '- ' : ''}${k}: ${v}${junk}`);

test('the validator never throws anything but a DiagnosticError', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), fc.boolean(), (lines, good) => {
      const text = (good ? 'name: b\narch: aarch64\n' : '') + lines.join('\n');
      try {
        validateBoard({ text, file: 'platforms/b.yaml' }, { name: 'b', readBoard: (n) => (n === 'pc99' ? { text, file: 'platforms/pc99.yaml' } : undefined) });
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
      }
    }),
    { numRuns: 400, seed: 4 },
  );
});

const TOKENS = ['/dts-v1/;', '/', '{', '}', ';', '=', '<', '>', '[', ']', '&a', 'a:', 'n@1', 'p', '"s"', '0x10', '(1 + 2)', ',', '/delete-node/', '&{/n}', '// c\n', '/* c */', '00', '#x'];
test('the DTS reader never throws anything but a DiagnosticError', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (toks) => {
      try {
        const t = parseDts('/dts-v1/;\n' + toks.join(' '), 'x.dts');
        for (const n of t.nodes) {
          t.reg(n);
          t.interrupts(n);
        }
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
      }
    }),
    { numRuns: 3000, seed: 5 },
  );
});
