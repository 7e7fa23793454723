// Registers every conformance case as a node:test test for one JavaScript binding, and prints
// `<label> conformance <capability>: N passed, N failed` when the file's tests are done.
'use strict'
const { test, after } = require('node:test')
const { runner, unsupported } = require('./js-runner.js')
const loadCases = require('./load-cases.js')

module.exports = function conformanceTests(api, label) {
  const runCase = runner(api)
  const tally = {}
  for (const { capability, case: c } of loadCases()) {
    const t = (tally[capability] = tally[capability] || { passed: 0, failed: 0, skipped: 0 })
    if (unsupported(api, c, capability)) {
      t.skipped++
      test.skip(`${capability}/${c.id}: ${c.description}`)
      continue
    }
    test(`${capability}/${c.id}: ${c.description}`, () => {
      t.failed++
      runCase(c)
      t.failed--
      t.passed++
    })
  }
  after(() => {
    for (const [cap, t] of Object.entries(tally)) console.log(`${label} conformance ${cap}: ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped (not in this build)` : ''}`)
  })
}
