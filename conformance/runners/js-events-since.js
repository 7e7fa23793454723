// How a page or an app without a store persists a ledger: after each write, save
// `eventsSince(saved.length)` (into IndexedDB, a file, a server) and restore with
// `Ledger.fromEvents`. Shared by the Node and WebAssembly packages.
'use strict'
const assert = require('node:assert/strict')

module.exports = function eventsSince (api) {
  const ledger = new api.Ledger()
  ledger.loadCatalog({
    locations: [{ id: 'S1', name: 'Store' }],
    products: [{ id: 'P', name: 'Crocin 500', genericName: 'Paracetamol 500 mg', form: 'tablet', packSize: 15,
      schedule: 'otc', taxCategory: '3004', storage: 'ambient' }],
    batches: [{ product: 'P', batch: 'B', expiry: '2027-12-31', unitCost: '0.60', mrp: '1.36' }],
  })
  const saved = [...ledger.eventsSince(0)]
  assert.equal(saved.length, 3)
  for (let i = 0; i < 5; i++) {
    ledger.post({ key: `r${i}`, date: '2026-11-20',
      lines: [{ type: 'receipt', product: 'P', batch: 'B', location: 'S1', qty: 10 }] })
    const tail = ledger.eventsSince(saved.length)
    assert.equal(tail.length, 1)
    assert.equal(tail[0].seq, saved.length)
    saved.push(...tail)
  }
  assert.deepEqual(ledger.eventsSince(saved.length), [])
  assert.deepEqual(ledger.eventsSince(1e6), [])
  const restored = api.Ledger.fromEvents(saved)
  assert.equal(restored.digest(), ledger.digest())
  assert.throws(() => ledger.eventsSince(-1), (e) => e.code === 'MALFORMED_INPUT' || e.code === 'INVALID_INPUT')
}
