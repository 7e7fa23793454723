// @apotheca/wasm under Node: the conformance cases and the hostile-input table with the shared
// runners, the error codes, and what a panic does.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const PKG = path.join(__dirname, '..', 'pkg-node', 'apotheca.js')
const api = require(PKG)
const { CASES, runHostile } = require('../../conformance/runners/js-hostile.js')

require('../../conformance/runners/node-tests.js')(api, 'wasm-node')

for (const c of CASES) test(`hostile: ${c[0]}`, () => runHostile(api, c))

test('errors are ApothecaError instances (the package entry), with details', () => {
  const entry = require(path.join(__dirname, '..', 'pkg-node', 'index.js'))
  const l = new entry.Ledger()
  let caught
  try {
    l.post({ key: 'k', date: '2026-11-20', lines: [{ type: 'receipt', product: 'P', batch: 'B', location: 'S1', qty: 1, unitCost: 0.1 }] })
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof entry.ApothecaError)
  assert.ok(entry.isApothecaError(caught))
  assert.equal(caught.details.path, 'lines[0].unitCost')
  assert.ok(!(new Error('x') instanceof entry.ApothecaError))
})

test('every error code is known to the package', () => {
  const listed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'conformance', 'error-codes.json'), 'utf8'))
  assert.deepEqual(api.errorCodes(), listed)
})

test('a panic is a thrown Error, never a crashed process', () => {
  // In a child process: a WebAssembly panic traps, and that instance must not be used again.
  const script = `const a = require(${JSON.stringify(PKG)});
    if (typeof a.panicForTests !== 'function') { console.log('no-probe'); process.exit(0) }
    try { a.panicForTests(); console.log('no-throw') } catch (e) { console.log(e instanceof Error ? 'error:' + e.name : 'not-an-error') }`
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  assert.match(out, /^(error:RuntimeError|no-probe)$/)
})

test('eventsSince saves a ledger incrementally', () => require('../../conformance/runners/js-events-since.js')(api))

test('a 1,000,000-event log restores from JSON text', (t) => require('../../conformance/runners/js-big-log.js')(api, t))
