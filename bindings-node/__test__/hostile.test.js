// The shared hostile-input table through @apotheca/node, plus what only Node has: Promises.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const api = require('..')
const { CASES, runHostile, catalog, receipt } = require('../../conformance/runners/js-hostile.js')

for (const c of CASES) test(`hostile: ${c[0]}`, () => runHostile(api, c))

test('Promise variants resolve, and reject with an ApothecaError', async () => {
  const l = new api.Ledger()
  l.loadCatalog(catalog())
  const r = await l.postAsync(receipt())
  assert.equal(r.lines[0].onHandAfter, 10)
  await assert.rejects(l.dispenseAsync({ key: 'rx', date: '2026-11-20', product: 'P', location: 'S1', qty: 11, policy: { allowPartial: false } }),
    (e) => e instanceof Error && e.name === 'ApothecaError' && e.code === 'INSUFFICIENT_STOCK')
  await assert.rejects(l.postAsync({ nonsense: true }), (e) => e.code === 'MALFORMED_INPUT')
  const many = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => l.dispenseAsync({ key: `rx-${i}`, date: '2026-11-20', product: 'P', location: 'S1', qty: 1, policy: { allowPartial: false } })))
  assert.equal(many.filter((d) => d.status === 'fulfilled').length, 10, 'exactly the 10 units on hand, never more')
  assert.ok(many.filter((d) => d.status === 'rejected').every((d) => d.reason.code === 'INSUFFICIENT_STOCK'))
  assert.equal(l.stockTotals({ product: 'P' }).onHand, 0)
  assert.equal((await l.eventsAsync()).length, l.events().length)
})

test('every error code is known to the package', () => {
  const listed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'conformance', 'error-codes.json'), 'utf8'))
  assert.deepEqual(api.errorCodes(), listed)
})

test('a panic inside the engine arrives as an ApothecaError, and the process carries on', () => {
  if (typeof api.panicForTests !== 'function') return
  assert.throws(() => api.panicForTests(), (e) => e.name === 'ApothecaError' && e.code === 'INTERNAL')
  assert.equal(api.parseExpiry('06/2027'), '2027-06-30')
})

test('a 1,000,000-event log restores from JSON text', (t) => require('../../conformance/runners/js-big-log.js')(api, t))

test('errors are ApothecaError instances with details, and isApothecaError narrows them', () => {
  const l = new api.Ledger()
  l.loadCatalog(catalog())
  let caught
  try {
    l.dispense({ key: 'd', date: '2026-11-20', product: 'P', location: 'S1', qty: 5, policy: { allowPartial: false } })
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof api.ApothecaError)
  assert.ok(caught instanceof Error)
  assert.ok(api.isApothecaError(caught))
  assert.equal(caught.details.product, 'P')
  assert.equal(typeof caught.details.requested, 'number')
  assert.ok(!(new Error('x') instanceof api.ApothecaError))
  assert.ok(!api.isApothecaError({ name: 'ApothecaError', code: 'INTERNAL' }))
  assert.throws(() => l.post(receipt({ unitCost: 0.1 })),
    (e) => e instanceof api.ApothecaError && e.details.path === 'lines[0].unitCost')
})
