// The capability builds of the web package (pkg-web/<part>/, `@apotheca/wasm/<part>`), loaded
// in Node from their bytes as a page would: each says which capabilities it has, exports the
// classes and functions of those and no others, and passes every conformance case of them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const conformanceTests = require('../../conformance/runners/node-tests.js')

// What each build has, and one export that shows each capability.
const PARTS = {
  ledger: ['ledger'],
  billing: ['ledger', 'billing'],
  interactions: ['ledger', 'interactions'],
  forecasting: ['ledger', 'forecasting'],
  counter: ['ledger', 'billing', 'interactions'],
}
const SHOWS = { ledger: 'Ledger', billing: 'Billing', interactions: 'Interactions', forecasting: 'forecast' }

for (const [part, caps] of Object.entries(PARTS)) {
  const dir = new URL(`../pkg-web/${part}/`, import.meta.url)
  const api = await import(new URL('index.js', dir))
  api.initSync({ module: readFileSync(new URL('apotheca_bg.wasm', dir)) })

  test(`${part}: has ${caps.join(', ')} and nothing else`, () => {
    assert.deepEqual(api.capabilities(), caps)
    for (const [cap, name] of Object.entries(SHOWS)) assert.equal(typeof api[name] === 'function', caps.includes(cap), `${part}: ${name}`)
    assert.equal(typeof api.ApothecaError, 'function')
    assert.equal(typeof api.parseExpiry, 'function')
  })

  test(`${part}: errors are the package's ApothecaError`, () => {
    const l = new api.Ledger()
    assert.throws(() => l.post({ key: 'k', date: '2026-11-20', lines: [{ type: 'receipt', product: 'P', batch: 'B', location: 'S1', qty: 1.5 }] }), (e) => e instanceof api.ApothecaError && e.code === 'MALFORMED_INPUT')
  })

  conformanceTests(api, `wasm-${part}`)
}
