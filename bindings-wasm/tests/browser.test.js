// @apotheca/wasm in headless Chromium: a page served on 127.0.0.1 loads the web build and runs
// the shared conformance runner and hostile-input table in the browser.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const fs = require('node:fs')
const path = require('node:path')
const loadCases = require('../../conformance/runners/load-cases.js')

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const ROOTS = {
  '/runners/': path.join(__dirname, '..', '..', 'conformance', 'runners'),
  // The web package: this folder's build, or an installed one (`PKG_WEB_DIR`, the dist check).
  '/pkg-web/': process.env.PKG_WEB_DIR || path.join(__dirname, '..', 'pkg-web'),
  '/demo/': path.join(__dirname, '..', 'demo'),
}
// The invoice the counter prices by default: 21 × 4.62 + 15 × 1.36 = 117.42 with 5 % GST inside
// (CGST 2.80 + SGST 2.80 on 111.82), rounded to the rupee.
const EXPECTED = { grandTotal: '117.00', words: 'Rupees One Hundred Seventeen Only' }
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' }

function serve() {
  const cases = JSON.stringify(loadCases())
  const server = http.createServer((req, res) => {
    const url = req.url.split('?')[0]
    let file = null
    if (url === '/' || url === '/index.html') file = path.join(__dirname, 'browser', 'index.html')
    for (const [prefix, dir] of Object.entries(ROOTS)) if (url.startsWith(prefix)) file = path.join(dir, path.basename(url))
    if (url === '/cases.json') return res.writeHead(200, { 'content-type': TYPES['.json'] }).end(cases)
    if (url === '/demo/') file = path.join(ROOTS['/demo/'], 'index.html')
    if (!file || !fs.existsSync(file)) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' })
    fs.createReadStream(file).pipe(res)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

test('conformance and hostile inputs in headless Chromium', { timeout: 120_000 }, async () => {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (cargo xtask test installs it with apt)`)
  const { chromium } = require('playwright-core')
  const server = await serve()
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  try {
    const page = await browser.newPage()
    await page.goto(`http://127.0.0.1:${server.address().port}/`)
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 })
    const result = await page.evaluate(() => window.__result)
    assert.equal(result.error, undefined, result.error)
    for (const [cap, t] of Object.entries(result.conformance.tally)) console.log(`wasm-browser conformance ${cap}: ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped (not in this build)` : ""}`)
    console.log(`wasm-browser hostile: ${result.hostile.passed} passed, ${result.hostile.failed} failed`)
    assert.deepEqual(result.conformance.failures, [])
    assert.deepEqual(result.hostile.failures, [])
    assert.match(result.userAgent, /Chrome/)
  } finally {
    await browser.close()
    server.close()
  }
})

// Screenshots of each panel of the counter page, kept after the run.
const SHOTS = process.env.SCREENSHOT_DIR || path.join(__dirname, '..', '..', 'target', 'screenshots')
const rows = (page, sel) => page.$$eval(`${sel} tr`, (trs) => trs.slice(1).map((r) => [...r.cells].map((c) => c.textContent)))

test('the offline pharmacy counter: dispense, invoice, interactions and forecast in the browser', { timeout: 120_000 }, async () => {
  const { chromium } = require('playwright-core')
  const server = await serve()
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } })
    const requests = []
    page.on('request', (r) => requests.push(r.url()))
    await page.goto(`http://127.0.0.1:${server.address().port}/demo/`)
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 })
    // The default request: 21 amoxicillin with 7 days' minimum shelf life on 2026-11-20.
    assert.equal(await page.textContent('#result'), 'RX-1: dispensed 21 of 21')
    const picks = await page.$$eval('#picks tr', (rows) => rows.slice(1).map((r) => [...r.cells].map((c) => c.textContent)))
    assert.deepEqual(picks.map((r) => [r[0], r[1], r[3]]), [['picked', 'AMX23110', '14'], ['picked', 'AMX24017', '7']])
    // Paracetamol: the October batch is expired on the document date; FEFO passes it over and says why.
    await page.selectOption('#product', 'PCM500')
    await page.fill('#qty', '10')
    await page.click('#rx button[type=submit]')
    assert.equal(await page.textContent('#result'), 'RX-2: dispensed 10 of 10')
    const second = await rows(page, '#picks')
    assert.deepEqual(second.map((r) => [r[0], r[1], r[4]]), [['picked', 'CR5119', 'earliest expiry'], ['passed over', 'CR4470', 'expired']])
    fs.mkdirSync(SHOTS, { recursive: true })
    await page.locator('#panel-dispense').screenshot({ path: path.join(SHOTS, 'counter-dispense.png') })

    // Invoice: 21 Mox 500 and 15 Crocin 500 at MRP, GST inside; within the state CGST = SGST.
    assert.match(await page.textContent('#bill-result'), /^Intra-state supply: grand total ₹/)
    const intra = await rows(page, '#bill-taxes')
    assert.deepEqual(intra, [['CGST', '2.80'], ['SGST', '2.80']])
    const [totals] = await rows(page, '#bill-totals')
    assert.equal(Number(totals[1]), intra.reduce((s, r) => s + Number(r[1]), 0), 'tax = CGST + SGST')
    assert.equal(totals[4], EXPECTED.grandTotal)
    assert.equal(await page.textContent('#bill-words'), EXPECTED.words)
    await page.locator('#panel-invoice').screenshot({ path: path.join(SHOTS, 'counter-invoice.png') })
    // To another state: one IGST at 5 % of 111.82 = 5.591, rounded once (the two halves above
    // are each 2.7955, rounded up).
    await page.selectOption('#supply', 'TN')
    await page.click('#bill button[type=submit]')
    assert.match(await page.textContent('#bill-result'), /^Inter-state supply/)
    assert.deepEqual(await rows(page, '#bill-taxes'), [['IGST', '5.59']])

    // Interactions: a misspelling suggests the drug; warfarin with a brand of ibuprofen alerts.
    await page.fill('#drug', 'warfrin')
    await page.waitForSelector('#suggest li button')
    assert.deepEqual(await page.$$eval('#suggest li button', (b) => b.map((x) => x.dataset.name.toLowerCase())).then((n) => n.slice(0, 1)), ['warfarin'])
    await page.click('#suggest li button')
    await page.fill('#drug', 'Brufen')
    await page.click('#add-drug')
    assert.deepEqual((await page.$$eval('#drug-list li', (l) => l.map((x) => x.textContent.toLowerCase()))), ['warfarin', 'brufen'])
    await page.click('#screen button[type=submit]')
    assert.match(await page.textContent('#screen-result'), /^2 alert\(s\) for 2 medicines\./)
    const alerts = await rows(page, '#alerts')
    assert.deepEqual(alerts.map((a) => [a[0], a[1], a[2]]), [['major', 'interaction', 'Brufen + Warfarin'], ['moderate', 'additive risk', 'Brufen + Warfarin']])
    await page.locator('#panel-screen').screenshot({ path: path.join(SHOTS, 'counter-interactions.png') })

    // Forecast: a year of sales and three months drawn, with the band.
    assert.match(await page.textContent('#fc-result'), /^AMOX500: /)
    assert.equal(await page.getAttribute('#fc-chart polyline.history', 'data-points'), '12')
    assert.equal(await page.getAttribute('#fc-chart polyline.forecast', 'data-points'), '3')
    assert.ok((await page.getAttribute('#fc-chart polygon.band', 'points')).split(' ').length >= 8)
    const drawn = await rows(page, '#fc-table')
    assert.equal(drawn.length, 3)
    for (const [, mean, lo, hi] of drawn) assert.ok(Number(lo) <= Number(mean) && Number(mean) <= Number(hi), drawn)
    await page.selectOption('#fc-product', 'LANTUS')
    await page.selectOption('#fc-model', 'croston_sba')
    await page.click('#fc button[type=submit]')
    assert.match(await page.textContent('#fc-result'), /^LANTUS: croston_sba/)
    await page.locator('#panel-forecast').screenshot({ path: path.join(SHOTS, 'counter-forecast.png') })
    if (process.env.DEMO_SCREENSHOT) await page.screenshot({ path: process.env.DEMO_SCREENSHOT, fullPage: true })
    assert.ok(requests.every((u) => u.startsWith(`http://127.0.0.1:${server.address().port}/`)), 'the page only loads its own files')
  } finally {
    await browser.close()
    server.close()
  }
})
