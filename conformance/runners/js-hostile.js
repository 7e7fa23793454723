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
    ['qty as text', (a, l) => l.post(receipt({ qty: 'ten' })), 'MALFORMED_INPUT', 'lines[0].qty'],
    ['qty fractional', (a, l) => l.post(receipt({ qty: 1.5 })), 'MALFORMED_INPUT', 'lines[0].qty'],
    ['qty NaN', (a, l) => l.post(receipt({ qty: NaN })), 'MALFORMED_INPUT', 'lines[0].qty'],
    ['qty Infinity', (a, l) => l.post(receipt({ qty: Infinity })), 'MALFORMED_INPUT', 'lines[0].qty'],
    ['qty negative', (a, l) => l.post(receipt({ qty: -5 })), 'INVALID_QUANTITY', 'lines[0].qty'],
    ['qty 2^50', (a, l) => l.post(receipt({ qty: 2 ** 50 })), 'INVALID_QUANTITY', 'lines[0].qty'],
    ['money as number', (a, l) => l.post(receipt({ unitCost: 0.1 })), 'MALFORMED_INPUT', 'lines[0].unitCost'],
    ['money garbage', (a, l) => l.post(receipt({ unitCost: '1,5' })), 'MALFORMED_INPUT', 'lines[0].unitCost'],
    ['money negative', (a, l) => l.post(receipt({ unitCost: '-1' })), 'INVALID_INPUT', 'lines[0].unitCost'],
    ['date as JS Date', (a, l) => l.post(Object.assign(receipt(), { date: new Date(2026, 10, 20) })), 'MALFORMED_INPUT', 'date'],
    ['impossible date', (a, l) => l.post(Object.assign(receipt(), { date: '2026-02-30' })), 'MALFORMED_INPUT', 'date'],
    ['date far future', (a, l) => l.post(Object.assign(receipt(), { date: '9999-01-01' })), 'INVALID_DATE', 'date'],
    ['unknown product', (a, l) => l.post(receipt({ product: 'NOPE' })), 'UNKNOWN_PRODUCT', 'lines[0].product'],
    ['empty id', (a, l) => l.post(receipt({ batch: '' })), 'MALFORMED_INPUT', 'lines[0].batch'],
    ['control character in id', (a, l) => l.post(receipt({ batch: 'B\u0000' })), 'MALFORMED_INPUT', 'lines[0].batch'],
    ['unknown movement', (a, l) => l.post(receipt({ type: 'teleport' })), 'MALFORMED_INPUT', 'lines[0].type'],
    ['posting is a number', (a, l) => l.post(42), 'MALFORMED_INPUT'],
    ['posting is null', (a, l) => l.post(null), 'MALFORMED_INPUT'],
    ['posting is undefined', (a, l) => l.post(undefined), 'MALFORMED_INPUT', 'argument'],
    ['no lines', (a, l) => l.post(Object.assign(receipt(), { lines: [] })), 'INVALID_INPUT', 'lines'],
    ['10,000-deep nesting', (a, l) => l.post({ key: 'k', date: '2026-01-01', lines: deep }), 'MALFORMED_INPUT'],
    ['oversell', (a, l) => l.post(receipt({ type: 'dispense', qty: 1 })), 'INSUFFICIENT_STOCK', 'lines[0].qty'],
    ['bad expiry label', (a) => a.parseExpiry('31/31/2031'), 'INVALID_DATE', 'label'],
    ['expiry label not a string', (a) => a.parseExpiry(2027), 'MALFORMED_INPUT', 'label'],
    ['stock filter wrong type', (a, l) => l.stock({ product: 5 }), 'MALFORMED_INPUT', 'product'],
    ['bucket bounds unsorted', (a, l) => l.expiryBuckets('2026-01-01', [60, 30]), 'INVALID_INPUT'],
    ['events garbage', (a) => a.Ledger.fromEvents([{ schema: 1 }]), 'MALFORMED_INPUT'],
    ['events from the future', (a) => a.Ledger.fromEvents([{ schema: 99, seq: 0, hash: '', event: 'location_registered', location: { id: 'X', name: 'x' } }]), 'UNSUPPORTED_SCHEMA'],
    // The integrity issue's cases: each names the offending field, as the caller wrote it.
    ['cost of 10^28 after stock', (a, l) => l.post(Object.assign(receipt({ unitCost: '10000000000000000000000000000' }), { key: 'k2' })), 'AMOUNT_OUT_OF_RANGE', 'lines[0].unitCost', (a, l) => l.post(receipt())],
    ['cost in exponent form', (a, l) => l.post(receipt({ unitCost: '1e28' })), 'MALFORMED_INPUT', 'lines[0].unitCost'],
    ['cost 1E+100', (a, l) => l.post(receipt({ unitCost: '1E+100' })), 'MALFORMED_INPUT', 'lines[0].unitCost'],
    ['cost as empty string', (a, l) => l.post(receipt({ unitCost: '' })), 'MALFORMED_INPUT', 'lines[0].unitCost'],
    ['cost 1_0', (a, l) => l.post(receipt({ unitCost: '1_0' })), 'MALFORMED_INPUT', 'lines[0].unitCost'],
    ['cost typo unitCots', (a, l) => l.post(receipt({ unitCots: '99' })), 'MALFORMED_INPUT', 'unitCots'],
    ['cost spelled twice', (a, l) => l.post(receipt({ unitCost: '1', unit_cost: '2' })), 'MALFORMED_INPUT', 'unit_cost'],
    ['qty as BigInt', (a, l) => l.post(receipt({ qty: 10n })), 'MALFORMED_INPUT', 'lines[0].qty'],
    ['qty fractional names its path', (a, l) => l.post(receipt({ qty: 1.5 })), 'MALFORMED_INPUT', 'lines[0].qty'],
    ['undefined line', (a, l) => l.post(Object.assign(receipt(), { lines: [undefined] })), 'MALFORMED_INPUT', 'lines[0]'],
    ['date as JS Date names its path', (a, l) => l.post(Object.assign(receipt(), { date: new Date(2026, 10, 20) })), 'MALFORMED_INPUT', 'date'],
    ['batch expiry NaN', (a, l) => l.registerBatch({ product: 'P', batch: 'B2', expiry: NaN, unitCost: '1', mrp: '2' }), 'MALFORMED_INPUT', 'expiry'],
    ['batch expiry typo', (a, l) => l.registerBatch({ product: 'P', batch: 'B2', expiryDate: '2027-01-01', unitCost: '1', mrp: '2' }), 'MALFORMED_INPUT', 'expiryDate'],
    ['batch without expiry', (a, l) => l.registerBatch({ product: 'P', batch: 'B2', unitCost: '1', mrp: '2' }), 'MALFORMED_INPUT', 'expiry'],
    ['batch expiry year 12345', (a, l) => l.registerBatch({ product: 'P', batch: 'B2', expiry: '+12345-01-01', unitCost: '1', mrp: '2' }), 'MALFORMED_INPUT', 'expiry'],
    ['batch expiry year -1', (a, l) => l.registerBatch({ product: 'P', batch: 'B2', expiry: '-0001-01-01', unitCost: '1', mrp: '2' }), 'MALFORMED_INPUT', 'expiry'],
    ['batch MRP above 10^12', (a, l) => l.registerBatch({ product: 'P', batch: 'B2', expiry: null, unitCost: '1', mrp: '1000000000001' }), 'AMOUNT_OUT_OF_RANGE', 'MRP'],
    ['batch id with a lone surrogate', (a, l) => l.post(receipt({ batch: 'B\ud800' })), 'MALFORMED_INPUT', 'lines[0].batch'],
    ['catalog with an unknown field', (a, l) => l.loadCatalog(Object.assign(catalog(), { suppliers: [] })), 'MALFORMED_INPUT', 'suppliers'],
    ['forecast level for levels', (a) => a.forecast({ series: [{ id: 'a', y: [1, 2, 3] }], model: { name: 'naive' }, horizon: 2, level: [90] }), 'MALFORMED_INPUT', 'level'],
    ['amount in words of a number', (a) => a.amountInWords(1.5, 'INR'), 'MALFORMED_INPUT', 'amount'],
    ['settle a number due', (a) => a.settlePayments('INR', 1.5, []), 'MALFORMED_INPUT', 'due'],
    ['currency not a string', (a) => a.settlePayments(5, '1', []), 'MALFORMED_INPUT', 'currency'],
    ['rules from 42', (a) => a.Billing.fromJson(42), 'MALFORMED_INPUT', 'text'],
    ['resolve 5', (a) => a.Interactions.sample().resolve(5), 'MALFORMED_INPUT', 'text'],
    ['resolve {}', (a) => a.Interactions.sample().resolve({}), 'MALFORMED_INPUT', 'text'],
    ['resolve limit 2^32', (a) => a.Interactions.sample().resolve('x', 2 ** 32), 'MALFORMED_INPUT', 'limit'],
    ['resolve a lone surrogate', (a) => a.Interactions.sample().resolve('ibu\udc00'), 'MALFORMED_INPUT', 'text'],
    ['screen 1,001 drugs', (a) => a.Interactions.sample().screen({ medications: new Array(1001).fill('aspirin') }), 'LIMIT_EXCEEDED', 'medications'],
    ['invoice of 1,000,000 lines', (a) => new a.Billing({ rules: [] }).priceInvoice({ date: '2026-01-01', currency: 'INR', lines: new Array(1000000).fill({}) }), 'LIMIT_EXCEEDED', 'lines'],
    ['posting of 1,000,000 lines', (a, l) => l.post(Object.assign(receipt(), { lines: new Array(1000000).fill(receipt().lines[0]) })), 'LIMIT_EXCEEDED', 'lines'],
    ['unit price 2^96 - 1', (a) => new a.Billing({ rules: [] }).priceInvoice({ date: '2026-01-01', currency: 'INR', lines: [{ product: 'P', qty: 1, unitPrice: '79228162514264337593543950335', taxCategory: 'X' }] }), 'AMOUNT_OUT_OF_RANGE', 'lines[0].unitPrice'],
    ['cash increment 1e-28', (a) => new a.Billing({ rules: [{ category: 'X', effectiveFrom: '2025-01-01', components: [] }] }).priceInvoice({ date: '2026-01-01', currency: 'INR', rounding: { cash: { increment: '0.0000000000000000000000000001' } }, lines: [{ product: 'P', qty: 1, unitPrice: '1', taxCategory: 'X' }] }), 'INVALID_INPUT', 'increment'],
    ['edited event log', (a, l) => { const ev = l.events(); ev[ev.length - 1].posting.lines[0].unitCost = '0.01'; return a.Ledger.fromEvents(ev) }, 'CORRUPT_LOG', 'sequence', (a, l) => l.post(receipt({ unitCost: '0.60' }))],
    ['log cut short', (a, l) => a.Ledger.fromEventsJson(JSON.stringify(JSON.parse(l.eventsJson()).slice(0, -1)), l.head()), 'CORRUPT_LOG', 'cut short', (a, l) => l.post(receipt())],
  ]

  /** Runs one case against an API; throws an Error saying what went wrong. A case's optional
   * `setup` runs first; the refused call must then change nothing (digest and event count),
   * and its message must name `path` where one is given. */
  function runHostile(api, [name, call, code, path, setup]) {
    const l = new api.Ledger()
    l.loadCatalog(catalog())
    if (setup) setup(api, l)
    const before = l.digest()
    const events = l.events().length
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
    if (l.digest() !== before || l.events().length !== events) throw new Error(`${name}: the ledger changed`)
    if (path && !caught.message.includes(path)) throw new Error(`${name}: ${JSON.stringify(caught.message)} does not name ${path}`)
  }

  return { CASES, runHostile, catalog, receipt }
})
