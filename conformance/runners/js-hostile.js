// Wrong types and hostile values for the JavaScript bindings (@apotheca/node, @apotheca/wasm):
// each must throw an ApothecaError with the given code, never crash, and leave the ledger as it
// was. No dependencies; CommonJS or <script>.
;(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory()
  else root.apothecaHostile = factory()
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict'
  const catalog = () => ({
    locations: [{ id: 'S1', name: 'Store' }],
    products: [{ id: 'P', name: 'Crocin 500', genericName: 'Paracetamol 500 mg', form: 'tablet', packSize: 15, schedule: 'otc', taxCategory: '3004', storage: 'ambient' }],
    batches: [{ product: 'P', batch: 'B', expiry: '2027-12-31', unitCost: '0.60', mrp: '1.36' }],
  })
  const receipt = (line) => ({ key: 'k', date: '2026-11-20', lines: [Object.assign({ type: 'receipt', product: 'P', batch: 'B', location: 'S1', qty: 10 }, line || {})] })
  let deep = []
  for (let i = 0; i < 10000; i++) deep = [deep]

  /** [name, (api, ledger) => call, expected code] */
  const CASES = [
    ['qty as text', (a, l) => l.post(receipt({ qty: 'ten' })), 'MALFORMED_INPUT'],
    ['qty fractional', (a, l) => l.post(receipt({ qty: 1.5 })), 'MALFORMED_INPUT'],
    ['qty NaN', (a, l) => l.post(receipt({ qty: NaN })), 'MALFORMED_INPUT'],
    ['qty Infinity', (a, l) => l.post(receipt({ qty: Infinity })), 'MALFORMED_INPUT'],
    ['qty negative', (a, l) => l.post(receipt({ qty: -5 })), 'INVALID_QUANTITY'],
    ['qty 2^50', (a, l) => l.post(receipt({ qty: 2 ** 50 })), 'INVALID_QUANTITY'],
    ['money as number', (a, l) => l.post(receipt({ unitCost: 0.1 })), 'MALFORMED_INPUT'],
    ['money garbage', (a, l) => l.post(receipt({ unitCost: '1,5' })), 'MALFORMED_INPUT'],
    ['money negative', (a, l) => l.post(receipt({ unitCost: '-1' })), 'INVALID_INPUT'],
    ['date as JS Date', (a, l) => l.post(Object.assign(receipt(), { date: new Date(2026, 10, 20) })), 'MALFORMED_INPUT'],
    ['impossible date', (a, l) => l.post(Object.assign(receipt(), { date: '2026-02-30' })), 'MALFORMED_INPUT'],
    ['date far future', (a, l) => l.post(Object.assign(receipt(), { date: '9999-01-01' })), 'INVALID_DATE'],
    ['unknown product', (a, l) => l.post(receipt({ product: 'NOPE' })), 'UNKNOWN_PRODUCT'],
    ['empty id', (a, l) => l.post(receipt({ batch: '' })), 'MALFORMED_INPUT'],
    ['control character in id', (a, l) => l.post(receipt({ batch: 'B\u0000' })), 'MALFORMED_INPUT'],
    ['unknown movement', (a, l) => l.post(receipt({ type: 'teleport' })), 'MALFORMED_INPUT'],
    ['posting is a number', (a, l) => l.post(42), 'MALFORMED_INPUT'],
    ['posting is null', (a, l) => l.post(null), 'MALFORMED_INPUT'],
    ['posting is undefined', (a, l) => l.post(undefined), 'MALFORMED_INPUT'],
    ['no lines', (a, l) => l.post(Object.assign(receipt(), { lines: [] })), 'INVALID_INPUT'],
    ['10,000-deep nesting', (a, l) => l.post({ key: 'k', date: '2026-01-01', lines: deep }), 'MALFORMED_INPUT'],
    ['oversell', (a, l) => l.post(receipt({ type: 'dispense', qty: 1 })), 'INSUFFICIENT_STOCK'],
    ['bad expiry label', (a) => a.parseExpiry('31/31/2031'), 'INVALID_DATE'],
    ['expiry label not a string', (a) => a.parseExpiry(2027), 'MALFORMED_INPUT'],
    ['stock filter wrong type', (a, l) => l.stock({ product: 5 }), 'MALFORMED_INPUT'],
    ['bucket bounds unsorted', (a, l) => l.expiryBuckets('2026-01-01', [60, 30]), 'INVALID_INPUT'],
    ['events garbage', (a) => a.Ledger.fromEvents([{ schema: 1 }]), 'MALFORMED_INPUT'],
    ['events from the future', (a) => a.Ledger.fromEvents([{ schema: 99, seq: 0, event: 'location_registered', location: { id: 'X', name: 'x' } }]), 'UNSUPPORTED_SCHEMA'],
  ]

  /** Runs one case against an API; throws an Error saying what went wrong. */
  function runHostile(api, [name, call, code]) {
    const l = new api.Ledger()
    l.loadCatalog(catalog())
    const before = l.digest()
    let caught = null
    try {
      call(api, l)
    } catch (e) {
      caught = e
    }
    if (caught === null) throw new Error(`${name}: no error thrown`)
    if (!(caught instanceof Error) || caught.name !== 'ApothecaError' || caught.code !== code) {
      throw new Error(`${name}: expected ApothecaError ${code}, got ${caught && caught.name} ${caught && caught.code}: ${caught && caught.message}`)
    }
    if (l.digest() !== before) throw new Error(`${name}: the ledger changed`)
  }

  return { CASES, runHostile, catalog, receipt }
})
