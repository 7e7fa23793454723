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
  '/pkg-web/': path.join(__dirname, '..', 'pkg-web'),
  '/demo/': path.join(__dirname, '..', 'demo'),
}
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

test('the offline demo page dispenses by FEFO in the browser', { timeout: 120_000 }, async () => {
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
    await page.click('button[type=submit]')
    assert.equal(await page.textContent('#result'), 'RX-2: dispensed 10 of 10')
    const second = await page.$$eval('#picks tr', (rows) => rows.slice(1).map((r) => [...r.cells].map((c) => c.textContent)))
    assert.deepEqual(second.map((r) => [r[0], r[1], r[4]]), [['picked', 'CR5119', 'earliest expiry'], ['passed over', 'CR4470', 'expired']])
    if (process.env.DEMO_SCREENSHOT) await page.screenshot({ path: process.env.DEMO_SCREENSHOT, fullPage: true })
    assert.ok(requests.every((u) => u.startsWith(`http://127.0.0.1:${server.address().port}/`)), 'the page only loads its own files')
  } finally {
    await browser.close()
    server.close()
  }
})
