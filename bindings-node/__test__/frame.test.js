// Long frames over Arrow IPC: apache-arrow tables in and out, statsforecast's shapes, the
// same numbers as the JSON API, per-series outcomes, progress and AbortSignal.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const arrow = require('apache-arrow')
const apotheca = require('..')

const N = 20
const T = 24
const y = Array.from({ length: N }, (_, s) => Array.from({ length: T }, (_, t) => (s * 7 + t * 3) % 5))

function longTable (series = y, extra = {}) {
  const ids = []; const ds = []; const vals = []
  series.forEach((row, s) => row.forEach((v, t) => {
    ids.push(`SKU${String(s).padStart(3, '0')}`)
    ds.push(new Date(Date.UTC(2024, t, 1)))
    vals.push(v)
  }))
  return arrow.tableFromArrays({ unique_id: ids, ds: arrow.vectorFromArray(ds, new arrow.DateDay()), y: Float64Array.from(vals), ...extra })
}

const ipc = (table) => arrow.tableToIPC(table, 'stream')
const spec = (models, rest = {}) => ({ models: models.map((m) => (typeof m === 'string' ? { model: { name: m } } : m)), horizon: 3, ...rest })

test('forecastFrameAsync: statsforecast columns and the JSON API numbers', async () => {
  const out = arrow.tableFromIPC(await apotheca.forecastFrameAsync(ipc(longTable()), spec(['croston_sba', { model: { name: 'ses_optimized' }, alias: 'SES' }], { levels: [80], onError: 'raise' })))
  assert.deepEqual(out.schema.fields.map((f) => f.name), ['unique_id', 'ds', 'CrostonSBA', 'CrostonSBA-lo-80', 'CrostonSBA-hi-80', 'SES', 'SES-lo-80', 'SES-hi-80'])
  assert.equal(out.numRows, N * 3)
  const ref = apotheca.forecast({ series: y.map((row, i) => ({ id: String(i), y: row })), model: { name: 'croston_sba' }, horizon: 3, levels: [80] })
  assert.deepEqual([...out.getChild('CrostonSBA').toArray()], ref.flatMap((f) => f.mean))
  assert.deepEqual([...out.getChild('CrostonSBA-lo-80').toArray()], ref.flatMap((f) => f.intervals[0].lo))
  assert.equal(out.getChild('unique_id').get(3), 'SKU001')
  assert.equal(new Date(out.getChild('ds').get(0)).toISOString().slice(0, 10), '2026-01-01')
})

test('crossValidationFrameAsync and fittedFrameAsync', async () => {
  const cv = arrow.tableFromIPC(await apotheca.crossValidationFrameAsync(ipc(longTable()), spec(['naive'], { onError: 'raise' }), 2, 1))
  assert.deepEqual(cv.schema.fields.map((f) => f.name), ['unique_id', 'ds', 'cutoff', 'y', 'Naive'])
  assert.equal(cv.numRows, N * 2 * 3)
  const fit = arrow.tableFromIPC(await apotheca.fittedFrameAsync(ipc(longTable()), spec(['ses_optimized'], { onError: 'raise' })))
  assert.deepEqual(fit.schema.fields.map((f) => f.name), ['unique_id', 'ds', 'y', 'SESOpt'])
  assert.equal(fit.numRows, N * T)
})

test('one short series falls back, is nulled or fails the call, as asked', async () => {
  const short = [...y, [1, 2, 0]]
  const fb = arrow.tableFromIPC(await apotheca.forecastFrameAsync(ipc(longTable(short)), spec(['holt'])))
  const last = fb.numRows - 1
  assert.equal(fb.getChild('Holt-model').get(last), 'ses_optimized')
  assert.equal(fb.getChild('Holt-error').get(last), 'INVALID_SERIES')
  assert.equal(fb.getChild('Holt-error').get(0), null)
  const nul = arrow.tableFromIPC(await apotheca.forecastFrameAsync(ipc(longTable(short)), spec(['holt'], { onError: 'null' })))
  assert.equal(nul.getChild('Holt').get(last), null)
  await assert.rejects(apotheca.forecastFrameAsync(ipc(longTable(short)), spec(['holt'], { onError: 'raise' })), (e) => e.code === 'INVALID_SERIES' && /SKU020/.test(e.message))
})

test('progress is reported and an AbortSignal stops the call with CANCELLED', async () => {
  const seen = []
  await apotheca.forecastFrameAsync(ipc(longTable()), spec([{ model: { name: 'auto_ets', season: 12 } }]), (done, total) => seen.push([done, total]))
  await new Promise((resolve) => setImmediate(resolve))
  assert.ok(seen.length > 0)
  assert.deepEqual(seen.at(-1), [N, N])
  const big = Array.from({ length: 3000 }, (_, s) => Array.from({ length: 48 }, (_, t) => (s + t * 3) % 7))
  const ctrl = new AbortController()
  const started = Date.now()
  const p = apotheca.forecastFrameAsync(ipc(longTable(big)), spec([{ model: { name: 'auto_ets', season: 12 } }], { threads: 1 }), null, ctrl.signal)
  setTimeout(() => ctrl.abort(), 20)
  await assert.rejects(p, (e) => e.code === 'CANCELLED' || e.name === 'AbortError')
  assert.ok(Date.now() - started < 60_000)
})

test('bad input rejects with a typed error and a path', async () => {
  await assert.rejects(apotheca.forecastFrameAsync(new Uint8Array([1, 2, 3]), spec(['naive'])), (e) => e.code === 'MALFORMED_INPUT' && e.details.path === 'table')
  await assert.rejects(apotheca.forecastFrameAsync(ipc(longTable()), { ...spec(['naive']), colour: 1 }), (e) => e.code === 'MALFORMED_INPUT' && /colour/.test(e.message))
  await assert.rejects(apotheca.forecastFrameAsync(ipc(longTable()), spec(['naive'], { targetCol: 'qty' })), (e) => e.code === 'MALFORMED_INPUT' && e.details.path === 'qty')
  await assert.rejects(apotheca.crossValidationFrameAsync(ipc(longTable()), spec(['naive']), 0), (e) => e.code === 'INVALID_INPUT')
})
