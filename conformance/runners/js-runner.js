// The conformance runner for JavaScript runtimes: @apotheca/node under Node, @apotheca/wasm
// under Node and in a browser. No dependencies; works as a CommonJS module or a <script>.
//
// Case JSON (snake_case keys) becomes what a JS caller passes (camelCase keys, decimal and date
// strings), and results are turned back to snake_case keys and compared by the subset rule of
// conformance/README.md, so the key conversion of each binding is what is tested.
;(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory()
  else root.apothecaConformance = factory()
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict'
  const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
  const snake = (k) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
  const mapKeys = (v, f) =>
    Array.isArray(v) ? v.map((x) => mapKeys(x, f))
      : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), mapKeys(x, f)]))
        : v
  const toJs = (v) => mapKeys(v, camel)
  const fromJs = (v) => mapKeys(v, snake)
  const show = (v) => JSON.stringify(v)

  function fail(msg) {
    throw new Error(msg)
  }

  function subset(expected, actual, at, tolerance = 0) {
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) fail(`${at}: expected ${expected.length} items, got ${show(actual)}`)
      expected.forEach((e, i) => subset(e, actual[i], `${at}[${i}]`, tolerance))
    } else if (expected !== null && typeof expected === 'object') {
      if (actual === null || typeof actual !== 'object') fail(`${at}: expected an object, got ${show(actual)}`)
      for (const [k, e] of Object.entries(expected)) {
        if (!(k in actual) || actual[k] === undefined) {
          if (e !== null) fail(`${at}.${k}: missing, expected ${show(e)}`)
          continue
        }
        subset(e, actual[k], `${at}.${k}`, tolerance)
      }
    } else if (tolerance && typeof expected === 'number' && typeof actual === 'number') {
      if (Math.abs(expected - actual) > tolerance) fail(`${at}: expected ${expected} ± ${tolerance}, got ${actual}`)
    } else if (expected !== actual) {
      fail(`${at}: expected ${show(expected)}, got ${show(actual)}`)
    }
  }

  /** The ops of conformance/README.md over one binding's API ({ Ledger, Billing, parseExpiry, ... }). */
  function ops(api) {
    const ops = {
      parse_expiry: (l, a) => ({ date: api.parseExpiry(a.label) }),
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
      lot_alerts: (l, a) => l.lotAlerts(a.on, a.since),
      expiring_within: (l, a) => l.expiringWithin(a.on, a.days, a.location),
      valuation: (l, a) => l.valuation(a.location),
      cost_layers: (l, a) => l.costLayers(a.product, a.batch, a.location),
      trace_batch: (l, a) => l.traceBatch(a.product, a.batch),
      trace_document: (l, a) => l.traceDocument(a.reference),
      document: (l, a) => l.document(a.reference),
      events_since: (l, a) => l.eventsSince(a.seq),
      available_to_promise: (l, a) => ({ qty: l.availableToPromise(a.product, a.location, a.date, a.minShelfLifeDays) }),
      replay: (l) => ({ digest_equal: api.Ledger.fromEvents(l.events()).digest() === l.digest() }),
      // billing: `credits` are issued in order, each with the earlier notes as `previous`
      tax_rules: (l, a) => (a.format === 'toml' ? api.Billing.fromToml(a.text) : api.Billing.fromJson(a.text)).rules(),
      price_invoice: (l, a) => new api.Billing(a.rules).priceInvoice(a.invoice),
      compute_taxes: (l, a) => api.computeTaxes(a.request),
      reprice: (l, a) => api.reprice(a.request),
      compute_document: (l, a) => api.computeDocument(a.request),
      price_document: (l, a) => new api.Billing(a.rules).priceDocument(a.request),
      credit_note: (l, a) => credits(new api.Billing(a.rules).priceInvoice(a.invoice), a.credits).pop(),
      settle_payments: (l, a) => api.settlePayments(a.currency, a.due, a.tenders),
      amount_in_words: (l, a) => ({ words: api.amountInWords(a.amount, a.currency, a.style) }),
      next_invoice_number: (l, a) => api.nextInvoiceNumber(a.series, a.date, a.last),
      check_invoice_numbers: (l, a) => api.checkInvoiceNumbers(a.series, a.numbers),
      daily_summary: (l, a) => {
        const billing = new api.Billing(a.rules)
        const invoices = a.invoices.map((i) => billing.priceInvoice(i))
        const notes = a.credits.flatMap((c) => credits(invoices[c.invoice], [c.request]))
        return api.dailySummary(invoices, notes)
      },
    }
    const engine = (a) => (a.sources ? api.Interactions.load(a.sources) : a.knowledgeBase ? new api.Interactions(a.knowledgeBase) : api.Interactions.sample())
    // The request is the arguments without the knowledge base they name.
    const request = ({ sources, knowledgeBase, ...rest }) => rest
    Object.assign(ops, {
      screen: (l, a) => engine(a).screen(request(a)),
      check_new: (l, a) => engine(a).checkNew(request(a)),
      screen_many: (l, a) => engine(a).screenMany(a.requests),
      explain: (l, a) => engine(a).explain(a.rule),
      resolve: (l, a) => engine(a).resolve(a.text, a.limit),
      load_knowledge_base: (l, a) => {
        const e = engine(a)
        return { stats: e.stats(), reports: e.loadReports() }
      },
      stats: (l, a) => engine(a).stats(),
      edge_list: (l, a) => engine(a).edgeList(),
      adjacency_pair: (l, a) => {
        const m = engine(a).adjacency()
        const [i, j] = [m.drugs.indexOf(a.a), m.drugs.indexOf(a.b)]
        return { ab: m.weights[i][j], ba: m.weights[j][i], size: m.drugs.length }
      },
      memberships: (l, a) => engine(a).memberships().filter((m) => m.drug === a.drug),
      predict_links: (l, a) => engine(a).predictLinks(a.drug, a.limit),
      // forecasting: stateless functions
      forecast: (l, a) => api.forecast(a),
      forecast_long: (l, a) => api.forecastLong(a),
      backtest: (l, a) => api.backtest(a),
      classify: (l, a) => api.classify(a.series),
      suggest_orders: (l, a) => api.suggestOrders(a.positions),
      average_monthly_consumption: (l, a) => api.averageMonthlyConsumption(a.request),
    })
    return ops
    function credits(invoice, requests) {
      const notes = []
      for (const r of requests) notes.push(api.creditNote(invoice, { ...r, previous: notes.slice() }))
      return notes
    }
  }

  /** A function that runs one case and throws an Error saying what differed. */
  function runner(api) {
    const OPS = ops(api)
    const build = (setup) => {
      const l = new api.Ledger()
      if (!setup) return l
      l.loadCatalog(toJs(setup.catalog || {}))
      for (const p of setup.postings || []) l.post(toJs(p))
      for (const d of setup.dispenses || []) l.dispense(toJs(d))
      for (const c of setup.status_changes || []) l.setBatchStatus(toJs(c))
      return l
    }
    const check = (op, args, ledger, expect, expectError, tolerance) => {
      if (!OPS[op]) fail(`unknown op ${op}`)
      if (expectError) {
        let caught = null
        try {
          OPS[op](ledger, toJs(args))
        } catch (e) {
          caught = e
        }
        if (caught === null) fail(`expected error ${expectError.code}, got a result`)
        if (!(caught instanceof Error)) fail(`thrown value is not an Error: ${show(caught)}`)
        if (caught.name !== 'ApothecaError') fail(`error name ${caught.name}, expected ApothecaError (${caught.message})`)
        if (caught.code !== expectError.code) fail(`expected error ${expectError.code}, got ${caught.code}: ${caught.message}`)
      } else {
        subset(expect, fromJs(OPS[op](ledger, toJs(args))), '$', tolerance)
      }
    }
    return function runCase(c) {
      const ledger = build(c.input.setup)
      check(c.op, c.input.args, ledger, c.expect, c.expect_error, c.tolerance || 0)
      ;(c.after || []).forEach((s, i) => {
        try {
          check(s.op, s.args, ledger, s.expect, s.expect_error)
        } catch (e) {
          fail(`after[${i}] ${s.op}: ${e.message}`)
        }
      })
    }
  }

  /** Whether this build lacks what case `c` of `capability` needs: a capability build of the
   *  web package (`capabilities()`), the TOML parser or an optional feature. */
  function unsupported(api, c, capability) {
    if (capability && typeof api.capabilities === 'function' && !api.capabilities().includes(capability)) return true
    if (c.requires === 'toml') return !(api.Billing && api.Billing.fromToml)
    return Boolean(c.requires) && typeof api.features === 'function' && !api.features().includes(c.requires)
  }

  /** Runs every case; returns per-capability counts and the failures. */
  function runAll(api, cases) {
    const runCase = runner(api)
    const tally = {}
    const failures = []
    for (const { capability, case: c } of cases) {
      const t = (tally[capability] = tally[capability] || { passed: 0, failed: 0, skipped: 0 })
      if (unsupported(api, c, capability)) {
        t.skipped++
        continue
      }
      try {
        runCase(c)
        t.passed++
      } catch (e) {
        t.failed++
        failures.push(`${capability}/${c.id}: ${e.message}`)
      }
    }
    return { tally, failures }
  }

  return { runner, runAll, unsupported, toJs, fromJs }
})
