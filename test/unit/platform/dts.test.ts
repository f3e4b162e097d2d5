import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticError, formatDiagnostic } from '../../../src/diagnostics';
import { parseDts, passthroughIrqs, searchPath } from '../../../src/platform';

const F = 'platforms/x.dts';
const SRC = `/dts-v1/;
// a comment
/ {
	#address-cells = <2>;
	#size-cells = <1>;
	interrupt-parent = <&gic>;
	model = "demo", "board";

	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges = <0x7e000000 0x0 0xfe000000 0x1800000>;

		gic: interrupt-controller@7e001000 {
			compatible = "arm,gic-400";
			#interrupt-cells = <3>;
			interrupt-controller;
			reg = <0x7e001000 0x1000>, <0x7e002000 (0x1000 * 2)>;
		};

		comb: combiner@7e100000 {
			#interrupt-cells = <2>;
			interrupt-controller;
			reg = <0x7e100000 0x1000>;
			interrupts = <0 1 4>, <0 2 4>;
		};

		uart0: serial@7e201000 {
			compatible = "arm,pl011", "arm,primecell";
			reg = <0x7e201000 0x200>;
			interrupts = <0 57 4>, <1 9 1>;
			status = "okay";
			mac = [00 11 22 aa bb cc];
		};

		dev@7e300000 {
			reg = <0x7e300000 0x100>;
			interrupt-parent = <&comb>;
			interrupts = <5 6>;
			status = "disabled";
		};
	};

	chosen { stdout-path = &uart0; };
};

&uart0 { clock-frequency = <48000000>; };
`;

test('cells, strings, byte strings, expressions and reg with the parent\'s cell counts', () => {
  const t = parseDts(SRC, F);
  const gic = t.node('/soc/interrupt-controller@7e001000')!;
  assert.deepEqual(t.reg(gic), [{ address: 0x7e001000, size: 0x1000 }, { address: 0x7e002000, size: 0x2000 }]);
  assert.deepEqual(t.cpuReg(gic).map((r) => r.address), [0xfe001000, 0xfe002000], 'translated through soc ranges');
  assert.deepEqual(t.strings(t.root.props.get('model')!), ['demo', 'board']);
  const uart = t.byLabel('uart0')!;
  assert.deepEqual(uart.props.get('mac')!.values, [{ kind: 'bytes', bytes: [0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc] }]);
  assert.equal(t.status(uart), 'okay');
  assert.equal(t.status(t.node('/soc/dev@7e300000')!), 'disabled');
  assert.equal(t.status(gic), 'okay', 'okay when absent');
  assert.deepEqual(t.cells(uart.props.get('clock-frequency')!), [48000000], 'the &uart0 amendment added a property');
});

test('labels, phandle references and path references resolve', () => {
  const t = parseDts(SRC, F);
  const gic = t.byLabel('gic')!;
  assert.ok(gic.phandle !== undefined);
  assert.equal(t.interruptParent(t.byLabel('uart0')!), gic);
  assert.equal(t.interruptParent(t.node('/soc/dev@7e300000')!), t.byLabel('comb'));
  assert.deepEqual(t.node('/chosen')!.props.get('stdout-path')!.values, [{ kind: 'ref', path: '/soc/serial@7e201000' }]);
  assert.notEqual(t.byLabel('comb')!.phandle, gic.phandle);
});

test('interrupts split by the interrupt parent\'s #interrupt-cells; GIC INTIDs and the CAmkES rule differ on PPIs', () => {
  const t = parseDts(SRC, F);
  const uart = t.byLabel('uart0')!;
  assert.deepEqual(t.interrupts(uart).map((s) => s.cells), [[0, 57, 4], [1, 9, 1]]);
  assert.deepEqual(t.gicIntids(uart), [89, 25]);
  assert.deepEqual(passthroughIrqs(t, uart), [{ irq: 89, trigger: 'level' }, { irq: 9, trigger: 'edge' }], 'CAmkES keeps the raw PPI number');
  const dev = t.node('/soc/dev@7e300000')!;
  assert.deepEqual(t.interrupts(dev).map((s) => s.cells), [[5, 6]]);
  assert.deepEqual(passthroughIrqs(t, dev), [], 'two cells are floor-divided by three');
});

test('queries: by path, label, compatible, property match, and the CAmkES path regex', () => {
  const t = parseDts(SRC, F);
  assert.equal(t.node('/soc/serial@7e201000/'), t.byLabel('uart0'));
  assert.deepEqual(t.byCompatible('arm,primecell').map((n) => n.path), ['/soc/serial@7e201000']);
  assert.deepEqual(t.matchProperties({ 'compatible[1]': 'arm,primecell' }).map((n) => n.path), ['/soc/serial@7e201000']);
  assert.deepEqual(t.matchProperties({ status: 'disabled' }).map((n) => n.path), ['/soc/dev@7e300000']);
  assert.deepEqual(t.matchProperties({ compatible: ['arm,pl011', 'arm,primecell'] }).length, 1);
  assert.equal(searchPath(t, '/SOC/SERIAL')?.path, '/soc/serial@7e201000', 'case-insensitive, unanchored');
  assert.equal(searchPath(t, 'interrupt-controller')?.path, '/soc/interrupt-controller@7e001000', 'first in document order');
  assert.equal(searchPath(t, '/nothing'), undefined);
  assert.throws(() => searchPath(t, '(', { file: 'a.camkes', line: 3, col: 9 }), (e: unknown) => e instanceof DiagnosticError && formatDiagnostic(e.diagnostics[0]).startsWith('a.camkes:3:9: error: invalid path pattern'));
});

function err(src: string): string {
  try {
    parseDts(src, F);
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, String(e));
    return formatDiagnostic(e.diagnostics[0]);
  }
  assert.fail('accepted');
}

test('syntax and reference errors are positioned', () => {
  assert.equal(err('/ { };'), `${F}:1:1: error: expected '/dts-v1/;' at the start of the file`);
  assert.equal(err('/dts-v1/;\n/ {\n\ta = <1 2;\n};'), `${F}:3:10: error: expected a number, a character literal, &label or ( expression ) in the cell list`);
  assert.equal(err('/dts-v1/;\n/ {\n\tx = <&nolabel>;\n};'), `${F}:3:8: error: undefined label 'nolabel': expected a label defined in this file`);
  assert.equal(err('/dts-v1/;\n/ {\n\ta = "open;\n};'), `${F}:3:6: error: unterminated string: expected "`);
  assert.equal(err('/dts-v1/;\n/ {\n\tn {\n\t\tp = <1>;\n'), `${F}:5:1: error: expected '}' closing node /n`);
  assert.equal(err('/dts-v1/;\n/ {\n\ta: n { };\n\ta: m { };\n};'), `${F}:4:2: error: duplicate label 'a' (already on /n)`);
  assert.equal(err('/dts-v1/;\n/ {\n\ta = [0g];\n};'), `${F}:3:7: error: expected two hex digits per byte in [...]`);
  assert.equal(err('/dts-v1/;\n/ {\n\ta = <0x100000000>;\n};'), `${F}:3:7: error: expected a cell value that fits in 32 bits`);
});

test('decoding errors point at the property', () => {
  const t = parseDts('/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tn@0 {\n\t\treg = <0 1 2>;\n\t\tinterrupts = <1>;\n\t};\n};\n', F);
  const n = t.node('/n@0')!;
  assert.throws(() => t.reg(n), (e: unknown) => e instanceof DiagnosticError && formatDiagnostic(e.diagnostics[0]) === `${F}:6:3: error: expected 'reg' of /n@0 to be a multiple of 2 cells (#address-cells 1 + #size-cells 1 of /), got 3`);
  assert.throws(() => t.interrupts(n), (e: unknown) => e instanceof DiagnosticError && formatDiagnostic(e.diagnostics[0]) === `${F}:7:3: error: expected an 'interrupt-parent' for /n@0 (on the node or an ancestor)`);
});

test('/delete-node/ and /delete-property/', () => {
  const t = parseDts('/dts-v1/;\n/ {\n\ta { x; y; };\n\tb: b { };\n\ta { /delete-property/ x; };\n};\n/delete-node/ &b;\n', F);
  assert.equal(t.node('/b'), undefined);
  assert.deepEqual([...t.node('/a')!.props.keys()], ['y']);
});
