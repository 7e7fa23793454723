// The conformance cases through @apotheca/node, with the shared JS runner.
'use strict'
const { test, after } = require('node:test')
const api = require('..')
const { runner } = require('../../conformance/runners/js-runner.js')
const loadCases = require('../../conformance/runners/load-cases.js')

const runCase = runner(api)
const tally = {}
for (const { capability, case: c } of loadCases()) {
  const t = (tally[capability] = tally[capability] || { passed: 0, failed: 0 })
  test(`${capability}/${c.id}: ${c.description}`, () => {
    t.failed++
    runCase(c)
    t.failed--
    t.passed++
  })
}
after(() => {
  for (const [cap, t] of Object.entries(tally)) console.log(`node conformance ${cap}: ${t.passed} passed, ${t.failed} failed`)
})
