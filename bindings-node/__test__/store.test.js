// A stored ledger from Node: async open, durable writes from concurrent Promises sharing
// commits, reopen to the same digest, typed errors; PostgreSQL when the test command started
// a server (APOTHECA_PG_URL), else reported as skipped with the reason.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Ledger } = require('..')

const catalog = {
  locations: [{ id: 'S1', name: 'Store' }],
  products: [{ id: 'P', name: 'Crocin 500', genericName: 'Paracetamol 500 mg', form: 'tablet', packSize: 15,
    schedule: 'otc', taxCategory: '3004', storage: 'ambient' }],
  batches: [{ product: 'P', batch: 'B', expiry: '2027-12-31', unitCost: '0.60', mrp: '1.36' }],
}
const receipt = (key, qty = 10) => ({ key, date: '2026-11-20', reference: `GRN-${key}`,
  lines: [{ type: 'receipt', product: 'P', batch: 'B', location: 'S1', qty }] })
const dispense = (key) => ({ key, date: '2026-11-21', product: 'P', location: 'S1', qty: 1, policy: { allowPartial: false } })

async function exercise (url) {
  const ledger = await Ledger.open(url)
  assert.equal(ledger.stored, true)
  ledger.loadCatalog(catalog)
  const first = await ledger.postAsync(receipt('r1', 100))
  assert.deepEqual(await ledger.postAsync(receipt('r1', 100)), first)
  // 200 dispenses in flight at once on the thread pool: they share commits, none oversells.
  const results = await Promise.allSettled(
    Array.from({ length: 200 }, (_, i) => ledger.dispenseAsync(dispense(`d${i}`))))
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 100)
  for (const r of results.filter((r) => r.status === 'rejected')) {
    assert.equal(r.reason.code, 'INSUFFICIENT_STOCK')
  }
  assert.equal(ledger.stockTotals({ product: 'P' }).onHand, 0)
  const count = ledger.snapshot()
  const digest = ledger.digest()
  const card = ledger.stockCard({ product: 'P' })
  ledger.close()
  assert.throws(() => ledger.post(receipt('r2')), (e) => e.code === 'STORE_UNAVAILABLE')
  const again = Ledger.openSync(url)
  assert.equal(again.digest(), digest)
  assert.deepEqual(again.stockCard({ product: 'P' }), card)
  const tail = again.eventsSince(count - 1)
  assert.equal(tail.length, 1)
  assert.equal(tail[0].seq, count - 1)
  again.close()
}

test('a stored ledger on SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apotheca-node-'))
  try {
    await exercise(`sqlite:${path.join(dir, 'ledger.db')}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('a stored ledger on PostgreSQL', async (t) => {
  const url = process.env.APOTHECA_PG_URL
  if (!url) {
    if (process.env.APOTHECA_REQUIRE_POSTGRES) assert.fail('APOTHECA_PG_URL is not set')
    t.skip('no PostgreSQL server: APOTHECA_PG_URL is not set (cargo xtask test starts one)')
    return
  }
  await exercise(url)
})

test('open refuses bad URLs with typed errors', async () => {
  await assert.rejects(Ledger.open('mysql://x'), (e) => e.code === 'INVALID_INPUT')
  await assert.rejects(Ledger.open('sqlite:/nonexistent/dir/l.db'), (e) => e.code === 'STORE_UNAVAILABLE')
  await assert.rejects(Ledger.open(42), (e) => e.code === 'MALFORMED_INPUT')
  assert.throws(() => new Ledger().snapshot(), (e) => e.code === 'INVALID_INPUT')
})

test('eventsSince saves a ledger incrementally without a store', () =>
  require('../../conformance/runners/js-events-since.js')(require('..')))
