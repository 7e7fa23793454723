// The conformance cases through the Node API: case JSON (snake_case) becomes what a JS caller
// passes (camelCase keys, decimal and date strings); results are turned back to snake_case
// keys and compared, so the key conversion is what is tested.
'use strict'
const { test, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Ledger, parseExpiry } = require('..')

const ROOT = path.join(__dirname, '..', '..', 'conformance')
const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
const snake = (k) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
const mapKeys = (v, f) =>
  Array.isArray(v) ? v.map((x) => mapKeys(x, f))
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), mapKeys(x, f)]))
      : v
const toJs = (v) => mapKeys(v, camel)
const fromJs = (v) => mapKeys(v, snake)

function subset(expected, actual, at = '$') {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${at}: expected ${expected.length} items, got ${JSON.stringify(actual)}`)
    expected.forEach((e, i) => subset(e, actual[i], `${at}[${i}]`))
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${at}: expected an object, got ${JSON.stringify(actual)}`)
    for (const [k, e] of Object.entries(expected)) {
      if (!(k in actual)) { assert.equal(e, null, `${at}.${k}: missing`); continue }
      subset(e, actual[k], `${at}.${k}`)
    }
  } else {
    assert.deepEqual(actual, expected, `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

const OPS = {
  parse_expiry: (l, a) => ({ date: parseExpiry(a.label) }),
  allocate: (l, a) => l.allocate(a),
  dispense: (l, a) => l.dispense(a),
  post: (l, a) => l.post(a),
  set_batch_status: (l, a) => ({ seq: l.setBatchStatus(a) }),
  stock: (l, a) => l.stock(a),
  stock_totals: (l, a) => l.stockTotals(a),
  stock_as_of: (l, a) => l.stockAsOf(a.date, a.filter),
  stock_card: (l, a) => l.stockCard(a),
  expiry_buckets: (l, a) => l.expiryBuckets(a.on, a.bounds, a.location),
  expired: (l, a) => l.expired(a.on, a.location),
  expiring_within: (l, a) => l.expiringWithin(a.on, a.days, a.location),
  valuation: (l, a) => l.valuation(a.location),
  trace_batch: (l, a) => l.traceBatch(a.product, a.batch),
  trace_document: (l, a) => l.traceDocument(a.reference),
  available_to_promise: (l, a) => ({ qty: l.availableToPromise(a.product, a.location, a.date, a.minShelfLifeDays) }),
  replay: (l) => ({ digest_equal: Ledger.fromEvents(l.events()).digest() === l.digest() }),
}

function build(setup) {
  const l = new Ledger()
  if (!setup) return l
  l.loadCatalog(toJs(setup.catalog ?? {}))
  for (const p of setup.postings ?? []) l.post(toJs(p))
  for (const d of setup.dispenses ?? []) l.dispense(toJs(d))
  for (const c of setup.status_changes ?? []) l.setBatchStatus(toJs(c))
  return l
}

function check(op, args, ledger, expect, expectError) {
  if (expectError) {
    assert.throws(() => OPS[op](ledger, toJs(args)), (e) => {
      assert.ok(e instanceof Error, 'a real Error')
      assert.equal(e.name, 'ApothecaError')
      assert.equal(e.code, expectError.code, e.message)
      return true
    })
  } else {
    subset(expect, fromJs(OPS[op](ledger, toJs(args))))
  }
}

const tally = {}
for (const dir of fs.readdirSync(ROOT).filter((d) => fs.statSync(path.join(ROOT, d)).isDirectory()).sort()) {
  tally[dir] = { passed: 0, failed: 0 }
  for (const file of fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(fs.readFileSync(path.join(ROOT, dir, file), 'utf8'))
    test(`${dir}/${c.id}: ${c.description}`, () => {
      tally[dir].failed++
      const ledger = build(c.input.setup)
      check(c.op, c.input.args, ledger, c.expect, c.expect_error)
      for (const s of c.after ?? []) check(s.op, s.args, ledger, s.expect, s.expect_error)
      tally[dir].failed--
      tally[dir].passed++
    })
  }
}
after(() => {
  for (const [cap, t] of Object.entries(tally)) console.log(`node conformance ${cap}: ${t.passed} passed, ${t.failed} failed`)
})
