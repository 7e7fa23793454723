// examples/node-service: the HTTP service started on a loopback port and called as a client
// would, each route and each kind of failure.
'use strict'
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')

const { createService, STATUS } = require(path.join(__dirname, '..', '..', 'examples', 'node-service', 'server.js'))
const { errorCodes } = require('..')

let server
let base

before(async () => {
  server = createService()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${server.address().port}`
})

after(() => new Promise((resolve) => server.close(resolve)))

async function call(route, body, init = {}) {
  const res = await fetch(base + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  })
  return { status: res.status, body: await res.json() }
}

test('every error code has a status', () => {
  const codes = errorCodes()
  assert.ok(codes.length > 20)
  for (const code of codes) {
    assert.ok(STATUS[code] !== undefined, `no status for ${code}`)
  }
})

test('dispense by FEFO, the expired batch passed over with its reason', async () => {
  const r = await call('/dispense', { key: 'rx-1', date: '2026-11-20', product: 'AMOX500', location: 'MAIN', qty: 12 })
  assert.equal(r.status, 200)
  assert.deepEqual(r.body.allocation.picks.map((p) => [p.batch, p.qty]), [['EARLY', 10], ['LATE', 2]])
  assert.deepEqual(r.body.allocation.skipped.map((s) => [s.batch, s.reason]), [['OLD', 'expired']])
  assert.equal(r.body.posting.lines[0].costFifo, '21.00')
})

test('a refusal says why, with the status of its code', async () => {
  const r = await call('/dispense', { key: 'rx-2', date: '2026-11-20', product: 'AMOX500', location: 'MAIN',
    qty: 500, policy: { allowPartial: false } })
  assert.equal(r.status, 409)
  assert.equal(r.body.code, 'INSUFFICIENT_STOCK')
  assert.deepEqual([r.body.details.requested, r.body.details.available], [500, 98])
  const again = await call('/dispense', { key: 'rx-1', date: '2026-11-20', product: 'AMOX500', location: 'MAIN', qty: 3 })
  assert.equal(again.status, 409)
  assert.equal(again.body.code, 'DUPLICATE_POSTING')
  const unknown = await call('/dispense', { key: 'rx-3', date: '2026-11-20', product: 'NOPE', location: 'MAIN', qty: 1 })
  assert.deepEqual([unknown.status, unknown.body.code], [404, 'UNKNOWN_PRODUCT'])
})

test('strict input: an unknown field and a float amount are 400 with the path', async () => {
  const extra = await call('/dispense', { key: 'rx-4', date: '2026-11-20', product: 'AMOX500', location: 'MAIN', qty: 1, qtty: 2 })
  assert.equal(extra.status, 400)
  assert.match(extra.body.message, /qtty/)
  const float = await call('/invoice', { date: '2026-11-20', currency: 'INR', sellerRegion: 'KA', placeOfSupply: 'KA',
    lines: [{ product: 'AMOX500', qty: 1, unitPrice: 4.62, mrp: '4.62', priceIncludesTax: true, taxCategory: '3004' }] })
  assert.equal(float.status, 400)
  assert.match(float.body.message, /lines\[0\]\.unitPrice/)
})

test('invoice: GST inside the MRP split into CGST and SGST, cash-rounded', async () => {
  const r = await call('/invoice', { date: '2026-11-20', currency: 'INR', sellerRegion: 'KA', placeOfSupply: 'KA',
    rounding: { cash: { increment: '1.00' } },
    lines: [{ product: 'AMOX500', qty: 21, unitPrice: '4.62', mrp: '4.62', priceIncludesTax: true, taxCategory: '3004' }] })
  assert.equal(r.status, 200)
  assert.deepEqual(r.body.taxes.map((t) => [t.name, t.amount]), [['CGST', '2.31'], ['SGST', '2.31']])
  assert.equal(r.body.totals.grandTotal, '97.00')
  const above = await call('/invoice', { date: '2026-11-20', currency: 'INR', sellerRegion: 'KA', placeOfSupply: 'KA',
    lines: [{ product: 'AMOX500', qty: 1, unitPrice: '5.00', mrp: '4.62', priceIncludesTax: true, taxCategory: '3004' }] })
  assert.deepEqual([above.status, above.body.code], [422, 'PRICE_ABOVE_MRP'])
})

test('screen: an interaction alert with its rule', async () => {
  const r = await call('/screen', { medications: ['warfarin', 'ibuprofen'] })
  assert.equal(r.status, 200)
  assert.equal(r.body.alerts[0].severity, 'major')
  assert.equal(r.body.alerts[0].rule, 'S1')
})

test('forecast: intervals for each series', async () => {
  const r = await call('/forecast', { series: [{ id: 'AZI500', y: [0, 3, 0, 0, 6, 0, 2, 0] }],
    model: { name: 'croston_sba' }, horizon: 4, levels: [90] })
  assert.equal(r.status, 200)
  assert.equal(r.body[0].id, 'AZI500')
  assert.equal(r.body[0].mean.length, 4)
  assert.equal(r.body[0].intervals[0].level, 90)
})

test('not JSON, no such route, wrong method', async () => {
  const bad = await call('/screen', '{"medications": [')
  assert.deepEqual([bad.status, bad.body.code], [400, 'MALFORMED_INPUT'])
  const none = await call('/refund', {})
  assert.equal(none.status, 404)
  const get = await fetch(base + '/invoice')
  assert.equal(get.status, 405)
  const health = await fetch(base + '/health')
  assert.equal(health.status, 200)
})
