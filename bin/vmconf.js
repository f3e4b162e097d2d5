#!/usr/bin/env node
// Entry point of the `vmconf` command: load TypeScript through tsx and hand over to the CLI.
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // The CLI turns every expected failure into a positioned diagnostic; reaching this
    // point is a defect in the tool itself, reported without a stack unless asked for.
    process.stderr.write(`vmconf: internal error: ${err && err.message ? err.message : String(err)}\n`);
    if (process.env.VMCONF_DEBUG) process.stderr.write(String(err && err.stack) + '\n');
    process.exitCode = 70;
  },
);
