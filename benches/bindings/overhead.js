// Per-call overhead of apotheca from JavaScript, for the napi addon and the WebAssembly build in
// the same run: a no-op native call (version()), a trivial operation (parseExpiry), a small
// query (stockTotals) and a FEFO dispense, as ns per call and as a ratio to the no-op.
//
//   (cd bindings-node && npx napi build --platform --release)   # and cargo xtask test for pkg-node
//   node benches/bindings/overhead.js
'use strict'
const path = require('node:path')
const root = path.join(__dirname, '..', '..')
const bindings = {
  napi: require(path.join(root, 'bindings-node')),
  wasm: require(path.join(root, 'bindings-wasm', 'pkg-node', 'apotheca.js')),
}

function ledgerFor(api) {
  const l = new api.Ledger()
  l.loadCatalog({
    locations: [{ id: 'S1', name: 'Store' }],
    products: [{ id: 'P', name: 'Crocin 500', genericName: 'Paracetamol 500 mg', form: 'tablet', packSize: 15, schedule: 'otc', taxCategory: '3004', storage: 'ambient' }],
    batches: Array.from({ length: 5 }, (_, i) => ({ product: 'P', batch: `B${i}`, expiry: `2027-${String(1 + (i % 12)).padStart(2, '0')}-01`, unitCost: '0.60', mrp: '1.36' })),
  })
  l.post({ key: 'grn', date: '2026-01-01', lines: Array.from({ length: 5 }, (_, i) => ({ type: 'receipt', product: 'P', batch: `B${i}`, location: 'S1', qty: 1e9 })) })
  return l
}

function perCall(fn, n) {
  let best = Infinity
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) fn(i)
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n)
  }
  return best
}

const noop = () => undefined
console.log(`${'js call'.padEnd(40)} ${'ns/call'.padStart(9)} ${'× no-op'.padStart(8)}`)
console.log(`${'pure-JS no-op function'.padEnd(40)} ${perCall(noop, 1e6).toFixed(0).padStart(9)}`)
for (const [name, api] of Object.entries(bindings)) {
  const l = ledgerFor(api)
  let k = 0
  const cases = {
    'no-op native call (version)': () => api.version(),
    "parseExpiry('06/2027')": () => api.parseExpiry('06/2027'),
    "stockTotals({ product: 'P' })": () => l.stockTotals({ product: 'P' }),
    'dispense 1 unit (FEFO + post)': () => l.dispense({ key: `rx${k++}`, date: '2026-06-01', product: 'P', location: 'S1', qty: 1 }),
  }
  const base = perCall(cases['no-op native call (version)'], 200000)
  for (const [label, fn] of Object.entries(cases)) {
    const t = perCall(fn, label.startsWith('dispense') ? 20000 : 200000)
    console.log(`${(name + ': ' + label).padEnd(40)} ${t.toFixed(0).padStart(9)} ${(t / base).toFixed(1).padStart(8)}`)
  }
}
