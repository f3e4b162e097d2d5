// Cucumber 12 on Node 20 loads this file (a cucumber.ts config would be ignored).
// The runner (`vmconf test`, behind `npm test`) adds the board's world parameters,
// tag expression and report formats for each board it runs; see README "Platform binding".
module.exports = {
  default: {
    paths: ['features/**/*.feature'],
    requireModule: ['tsx/cjs'],
    require: ['steps/**/*.ts'],
    format: ['summary'],
    strict: true,
  },
};
