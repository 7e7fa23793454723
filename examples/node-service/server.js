// A small HTTP service over the native binding: POST /dispense, /invoice, /screen and /forecast
// take the engine's JSON requests (camelCase, as `@apotheca/node` does) and answer its results;
// an engine error becomes an HTTP status chosen by its stable code, with the code, the message
// and the details as the body. Run: `node examples/node-service/server.js [port]`.
'use strict'

const http = require('node:http')

// From the registry: `npm install @apotheca/node`; in this repository, the addon built in
// bindings-node.
const apotheca = (() => {
  try {
    return require('@apotheca/node')
  } catch {
    return require('../../bindings-node')
  }
})()
const { Ledger, Billing, Interactions, forecastAsync, isApothecaError } = apotheca

/** The HTTP status for each engine error code: what the caller should do about it. */
const STATUS = {
  // The request is wrong: fix it.
  MALFORMED_INPUT: 400,
  INVALID_INPUT: 400,
  INVALID_QUANTITY: 400,
  INVALID_DATE: 400,
  INVALID_SERIES: 400,
  AMOUNT_OUT_OF_RANGE: 400,
  UNSUPPORTED_SCHEMA: 400,
  SAME_LOCATION_TRANSFER: 400,
  INVALID_TAX_RULES: 400,
  INVALID_KNOWLEDGE_BASE: 400,
  INVALID_INVOICE_NUMBER: 400,
  // It names something this service does not know.
  UNKNOWN_PRODUCT: 404,
  UNKNOWN_LOCATION: 404,
  UNKNOWN_BATCH: 404,
  UNKNOWN_TAX_CATEGORY: 404,
  UNKNOWN_DRUG: 404,
  // It conflicts with the state of the stock: look again, then decide.
  INSUFFICIENT_STOCK: 409,
  DUPLICATE_POSTING: 409,
  ALREADY_REGISTERED: 409,
  BATCH_EXPIRED: 409,
  BATCH_BLOCKED: 409,
  TRANSFER_MISMATCH: 409,
  RESERVATION_MISMATCH: 409,
  // Well formed, but the business rules refuse it.
  PRICE_ABOVE_MRP: 422,
  DISCOUNT_TOO_LARGE: 422,
  RETURN_EXCEEDS_SOLD: 422,
  OVERPAYMENT: 422,
  LIMIT_EXCEEDED: 413,
  // Try again later.
  STORE_UNAVAILABLE: 503,
  CANCELLED: 503,
  // Ours, not the caller's.
  CORRUPT_LOG: 500,
  INTERNAL: 500,
}

/** The largest request body read, in bytes. */
const MAX_BODY = 1 << 20

/** The engines the service starts with: sample data (not clinical advice). */
function sampleEngines() {
  const ledger = new Ledger()
  ledger.loadCatalog({
    locations: [{ id: 'MAIN', name: 'Main Street' }],
    products: [{ id: 'AMOX500', name: 'Mox 500', genericName: 'Amoxicillin 500 mg', form: 'capsule',
      packSize: 10, schedule: 'prescription', taxCategory: '3004', storage: 'ambient' }],
    batches: [
      { product: 'AMOX500', batch: 'OLD', expiry: '2026-10-31', unitCost: '2.00', mrp: '4.62' },
      { product: 'AMOX500', batch: 'EARLY', expiry: '2027-01-31', unitCost: '2.10', mrp: '4.62' },
      { product: 'AMOX500', batch: 'LATE', expiry: '2027-09-30', unitCost: '2.05', mrp: '4.62' },
    ],
  })
  ledger.post({ key: 'grn-1', date: '2026-10-01', lines: [
    { type: 'receipt', product: 'AMOX500', batch: 'OLD', location: 'MAIN', qty: 5 },
    { type: 'receipt', product: 'AMOX500', batch: 'EARLY', location: 'MAIN', qty: 10 },
    { type: 'receipt', product: 'AMOX500', batch: 'LATE', location: 'MAIN', qty: 100 },
  ] })
  const billing = new Billing({ rules: [{ category: '3004', effectiveFrom: '2025-09-22',
    components: [{ name: 'GST', kind: 'gst', rate: '5' }] }] })
  return { ledger, billing, interactions: Interactions.sample() }
}

/** The routes: each takes the parsed body and resolves to the engine's answer. */
function routes({ ledger, billing, interactions }) {
  return {
    '/dispense': (body) => ledger.dispenseAsync(body),
    '/invoice': (body) => billing.priceInvoiceAsync(body),
    '/screen': (body) => interactions.screenAsync(body),
    '/forecast': (body) => forecastAsync(body),
  }
}

function send(res, status, value) {
  const text = JSON.stringify(value)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** An error as a response: an engine error by its code, anything else a 500 without detail. */
function fail(res, e) {
  if (isApothecaError(e)) {
    send(res, STATUS[e.code] ?? 500, { code: e.code, message: e.message, details: e.details ?? null })
  } else {
    console.error(e)
    send(res, 500, { code: 'INTERNAL', message: 'internal error', details: null })
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (c) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { status: 413 }))
        req.destroy()
      } else {
        chunks.push(c)
      }
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** An `http.Server` answering the routes over `engines` (default: the sample data). */
function createService(engines = sampleEngines()) {
  const table = routes(engines)
  return http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path === '/health' && req.method === 'GET') {
      return send(res, 200, { version: apotheca.version() })
    }
    const route = table[path]
    if (!route) {
      return send(res, 404, { code: 'NOT_FOUND', message: `no route ${path}`, details: null })
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST')
      return send(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'use POST', details: null })
    }
    let body
    try {
      body = JSON.parse(await readBody(req))
    } catch (e) {
      const status = e.status ?? 400
      const code = status === 413 ? 'LIMIT_EXCEEDED' : 'MALFORMED_INPUT'
      return send(res, status, { code, message: `request body: ${e.message}`, details: null })
    }
    try {
      send(res, 200, await route(body))
    } catch (e) {
      fail(res, e)
    }
  })
}

module.exports = { createService, sampleEngines, STATUS }

if (require.main === module) {
  const port = Number(process.argv[2] ?? 8080)
  createService().listen(port, '127.0.0.1', () => console.log(`apotheca service on http://127.0.0.1:${port}`))
}
