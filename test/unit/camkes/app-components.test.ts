// An app's own native components: app.yaml `components:` naming a TypeScript module whose
// default export is a behaviour factory (src/camkes/components/app.ts, apps/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { builtinBehaviours, readAppYaml, registerAppComponents } from '../../../src/camkes/components';
import { instantiate, renderSpec } from '../../../src/camkes/instantiate';
import { loadSpecFor } from '../../../src/camkes/instantiate/load';
import { resolveAssembly } from '../../../src/camkes/resolve';
import { DiagnosticError, formatDiagnostic } from '../../../src/diagnostics';

const APP = resolve('test/fixtures/apps/custom_component');
const BAD = resolve('test/fixtures/apps/custom_component_bad');

function boot() {
  const src = loadSpecFor(`${APP}/custom_component.camkes`);
  assert.ok(src.app, 'the app.yaml next to the .camkes is found');
  const behaviours = registerAppComponents(src.app, builtinBehaviours());
  const sys = instantiate(resolveAssembly(src.spec), { arch: src.arch, behaviours });
  return { sys, result: sys.run() };
}

test('an app component from a TypeScript module runs next to a built-in one', () => {
  const { sys, result } = boot();
  // PrintServer (built in) prints what the app's Echo wrote into the dataport: each word of
  // echo.message, repeated by Echo's code.
  assert.deepEqual(sys.serial.textOf('print_server'), ['hello hello', 'from from', 'an an', 'app app', 'component component']);
  // Echo's own serial line, computed by the module from the attribute the configuration set.
  assert.deepEqual(sys.serial.textOf('echo'), ['echo: 5 words echoed']);
  // Echo's control thread ran to its end; PrintServer serves forever, so the run ends blocked.
  assert.equal(sys.kernel.thread('echo:control')!.state, 'Exited');
  assert.equal(result.reason, 'deadlock');
  assert.equal(typeof sys.instances.get('echo')!.behaviour?.run, 'function');
});

test('the app component went through the modelled mechanism: dataport frame and notifications', () => {
  const { sys } = boot();
  const ops = sys.kernel.trace.all().filter((e) => e.actor === 'echo:control').map((e) => `${e.op} ${e.object}`);
  assert.ok(ops.includes('seL4_Signal ntfn conn_do_print.print_server.do_print'), ops.join('\n'));
  assert.match(renderSpec(sys), /Frame +frame conn_data\[0\] +4 KiB/);
});

test('without the app module the Echo type has no behaviour and nothing is echoed', () => {
  const src = loadSpecFor(`${APP}/custom_component.camkes`);
  const sys = instantiate(resolveAssembly(src.spec), { arch: src.arch, behaviours: builtinBehaviours() });
  sys.run();
  assert.equal(sys.instances.get('echo')!.behaviour, undefined);
  assert.deepEqual(sys.serial.textOf('print_server'), []);
});

/** The diagnostic registering `dir`'s app.yaml components raises, as `file:line:col: error: ...`. */
function registerError(dir: string): string {
  const app = readAppYaml(`${BAD}/${dir}/app.yaml`);
  try {
    registerAppComponents(app, builtinBehaviours());
  } catch (e) {
    assert.ok(e instanceof DiagnosticError, `expected a DiagnosticError, got ${String(e)}`);
    assert.equal(e.diagnostics.length, 1);
    return formatDiagnostic(e.diagnostics[0]);
  }
  assert.fail(`registering ${dir}/app.yaml components did not fail`);
}

const FACTORY = 'a behaviour factory (a function from the component runtime to { run, provides, threads })';

test('a component module that does not exist is an error at its app.yaml entry', () => {
  assert.equal(registerError('missing'),
    `${BAD}/missing/app.yaml:6:9: error: component module 'components/echo.ts' not found (looked in ${BAD}/missing)`);
});

test('a component module without a default export is an error at its app.yaml entry', () => {
  // The `.c` entry before it is a built-in's source and is not loaded.
  assert.equal(registerError('no_default'), `${BAD}/no_default/app.yaml:7:9: error: component module 'echo.ts' has no default export: expected \`export default\` of ${FACTORY}; it exports only 'Echo' by name`);
});

test('a component module whose default export is not a behaviour factory is an error at its app.yaml entry', () => {
  // Flow style: the position is the value inside the braces.
  assert.equal(registerError('wrong_shape'), `${BAD}/wrong_shape/app.yaml:5:21: error: component module 'echo.ts' default-exports a behaviour object (the factory's result), not a behaviour factory: expected ${FACTORY}`);
});
