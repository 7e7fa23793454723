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
    for (const [cap, t] of Object.entries(result.conformance.tally)) console.log(`wasm-browser conformance ${cap}: ${t.passed} passed, ${t.failed} failed`)
    console.log(`wasm-browser hostile: ${result.hostile.passed} passed, ${result.hostile.failed} failed`)
    assert.deepEqual(result.conformance.failures, [])
    assert.deepEqual(result.hostile.failures, [])
    assert.match(result.userAgent, /Chrome/)
  } finally {
    await browser.close()
    server.close()
  }
})
