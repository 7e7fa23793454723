// Wrong types and hostile values get an ApothecaError with the right code, never a crash,
// and the ledger is unchanged afterwards.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const native = require('..')
const { Ledger, parseExpiry } = native

const catalog = () => ({
  locations: [{ id: 'S1', name: 'Store' }],
  products: [{ id: 'P', name: 'Crocin 500', genericName: 'Paracetamol 500 mg', form: 'tablet', packSize: 15, schedule: 'otc', taxCategory: '3004', storage: 'ambient' }],
  batches: [{ product: 'P', batch: 'B', expiry: '2027-12-31', unitCost: '0.60', mrp: '1.36' }],
})
const receipt = (line = {}) => ({ key: 'k', date: '2026-11-20', lines: [{ type: 'receipt', product: 'P', batch: 'B', location: 'S1', qty: 10, ...line }] })
let deep = []
for (let i = 0; i < 10_000; i++) deep = [deep]

const CASES = [
  ['qty as text', (l) => l.post(receipt({ qty: 'ten' })), 'MALFORMED_INPUT'],
  ['qty fractional', (l) => l.post(receipt({ qty: 1.5 })), 'MALFORMED_INPUT'],
  ['qty NaN', (l) => l.post(receipt({ qty: NaN })), 'MALFORMED_INPUT'],
  ['qty Infinity', (l) => l.post(receipt({ qty: Infinity })), 'MALFORMED_INPUT'],
  ['qty negative', (l) => l.post(receipt({ qty: -5 })), 'INVALID_QUANTITY'],
  ['qty 2^60', (l) => l.post(receipt({ qty: 2 ** 60 })), 'INVALID_QUANTITY'],
  ['qty too large', (l) => l.post(receipt({ qty: 2 ** 50 })), 'INVALID_QUANTITY'],
  ['money as number', (l) => l.post(receipt({ unitCost: 0.1 })), 'MALFORMED_INPUT'],
  ['money garbage', (l) => l.post(receipt({ unitCost: '1,5' })), 'MALFORMED_INPUT'],
  ['money negative', (l) => l.post(receipt({ unitCost: '-1' })), 'INVALID_INPUT'],
  ['date as JS Date', (l) => l.post({ ...receipt(), date: new Date(2026, 10, 20) }), 'MALFORMED_INPUT'],
  ['impossible date', (l) => l.post({ ...receipt(), date: '2026-02-30' }), 'MALFORMED_INPUT'],
  ['date far future', (l) => l.post({ ...receipt(), date: '9999-01-01' }), 'INVALID_DATE'],
  ['unknown product', (l) => l.post(receipt({ product: 'NOPE' })), 'UNKNOWN_PRODUCT'],
  ['empty id', (l) => l.post(receipt({ batch: '' })), 'MALFORMED_INPUT'],
  ['control character in id', (l) => l.post(receipt({ batch: 'B\u0000' })), 'MALFORMED_INPUT'],
  ['unknown movement', (l) => l.post(receipt({ type: 'teleport' })), 'MALFORMED_INPUT'],
  ['posting is a number', (l) => l.post(42), 'MALFORMED_INPUT'],
  ['posting is null', (l) => l.post(null), 'MALFORMED_INPUT'],
  ['posting is undefined', (l) => l.post(undefined), 'MALFORMED_INPUT'],
  ['no lines', (l) => l.post({ ...receipt(), lines: [] }), 'INVALID_INPUT'],
  ['10,000-deep nesting', (l) => l.post({ key: 'k', date: '2026-01-01', lines: deep }), 'MALFORMED_INPUT'],
  ['oversell', (l) => l.post(receipt({ type: 'dispense', qty: 1 })), 'INSUFFICIENT_STOCK'],
  ['bad expiry label', () => parseExpiry('31/31/2031'), 'INVALID_DATE'],
  ['expiry label not a string', () => parseExpiry(2027), 'MALFORMED_INPUT'],
  ['stock filter wrong type', (l) => l.stock({ product: 5 }), 'MALFORMED_INPUT'],
  ['bucket bounds unsorted', (l) => l.expiryBuckets('2026-01-01', [60, 30]), 'INVALID_INPUT'],
  ['events garbage', () => Ledger.fromEvents([{ schema: 1 }]), 'MALFORMED_INPUT'],
]

for (const [name, call, code] of CASES) {
  test(`hostile: ${name}`, () => {
    const l = new Ledger()
    l.loadCatalog(catalog())
    const before = l.digest()
    assert.throws(() => call(l), (e) => e instanceof Error && e.name === 'ApothecaError' && e.code === code || assert.fail(`${name}: ${e.code} ${e.message}`))
    assert.equal(l.digest(), before)
  })
}

test('Promise variants resolve, and reject with an ApothecaError', async () => {
  const l = new Ledger()
  l.loadCatalog(catalog())
  const r = await l.postAsync(receipt())
  assert.equal(r.lines[0].onHandAfter, 10)
  await assert.rejects(l.dispenseAsync({ key: 'rx', date: '2026-11-20', product: 'P', location: 'S1', qty: 11, policy: { allowPartial: false } }),
    (e) => e instanceof Error && e.name === 'ApothecaError' && e.code === 'INSUFFICIENT_STOCK')
  await assert.rejects(l.postAsync({ nonsense: true }), (e) => e.code === 'MALFORMED_INPUT')
  const many = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => l.dispenseAsync({ key: `rx-${i}`, date: '2026-11-20', product: 'P', location: 'S1', qty: 1 })))
  assert.equal(many.filter((d) => d.status === 'fulfilled').length, 10, 'exactly the 10 units on hand, never more')
  assert.ok(many.filter((d) => d.status === 'rejected').every((d) => d.reason.code === 'INSUFFICIENT_STOCK'))
  assert.equal(l.stockTotals({ product: 'P' }).onHand, 0)
  assert.equal((await l.eventsAsync()).length, l.events().length)
})

test('every error code is known to the package', () => {
  const listed = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', 'conformance', 'error-codes.json'), 'utf8'))
  assert.deepEqual(native.errorCodes(), listed)
})

test('a panic inside the engine arrives as an ApothecaError, and the process carries on', () => {
  if (typeof native.panicForTests !== 'function') return
  assert.throws(() => native.panicForTests(), (e) => e.name === 'ApothecaError' && e.code === 'INTERNAL')
  assert.equal(parseExpiry('06/2027'), '2027-06-30')
})
