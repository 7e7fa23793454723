// The offline demo: @apotheca/wasm in a page. Everything below runs in the browser.
import init, { Ledger, parseExpiry } from '../pkg-web/apotheca.js'

await init()

const ledger = new Ledger()
ledger.loadCatalog({
  locations: [{ id: 'MAIN', name: 'Main Street' }],
  products: [
    { id: 'AMOX500', name: 'Mox 500', genericName: 'Amoxicillin 500 mg', form: 'capsule', packSize: 10, schedule: 'prescription', taxCategory: '3004', storage: 'ambient' },
    { id: 'PCM500', name: 'Crocin 500', genericName: 'Paracetamol 500 mg', form: 'tablet', packSize: 15, schedule: 'otc', taxCategory: '3004', storage: 'ambient' },
    { id: 'LANTUS', name: 'Lantus SoloStar', genericName: 'Insulin glargine 100 IU/ml', form: 'injection', packSize: 1, soldLoose: false, schedule: 'prescription', taxCategory: '3004', storage: 'cold_chain' },
  ],
  batches: [
    { product: 'AMOX500', batch: 'AMX23110', expiry: parseExpiry('EXP 11/2026'), unitCost: '2.00', mrp: '4.40' },
    { product: 'AMOX500', batch: 'AMX24017', expiry: parseExpiry('EXP 01/2027'), unitCost: '2.10', mrp: '4.62' },
    { product: 'AMOX500', batch: 'AMX25003', expiry: parseExpiry('EXP 09/2027'), unitCost: '2.05', mrp: '4.62' },
    { product: 'PCM500', batch: 'CR4470', expiry: parseExpiry('EXP 10/2026'), unitCost: '0.58', mrp: '1.30' },
    { product: 'PCM500', batch: 'CR5119', expiry: parseExpiry('DEC 2026'), unitCost: '0.62', mrp: '1.36' },
    { product: 'LANTUS', batch: 'LG4Q21', expiry: parseExpiry('EXP 01/2027'), unitCost: '612.00', mrp: '862.00' },
  ],
})
ledger.post({ key: 'opening', date: '2026-09-01', reference: 'OPENING', lines: [
  { type: 'receipt', product: 'AMOX500', batch: 'AMX23110', location: 'MAIN', qty: 14 },
  { type: 'receipt', product: 'PCM500', batch: 'CR4470', location: 'MAIN', qty: 30 },
] })
ledger.post({ key: 'grn-1', date: '2026-11-20', reference: 'GRN-0412', lines: [
  { type: 'receipt', product: 'AMOX500', batch: 'AMX24017', location: 'MAIN', qty: 60 },
  { type: 'receipt', product: 'AMOX500', batch: 'AMX25003', location: 'MAIN', qty: 200 },
  { type: 'receipt', product: 'PCM500', batch: 'CR5119', location: 'MAIN', qty: 90 },
  { type: 'receipt', product: 'LANTUS', batch: 'LG4Q21', location: 'MAIN', qty: 8 },
] })

const $ = (id) => document.getElementById(id)
const cell = (v, numeric) => `<td${numeric ? ' class="n"' : ''}>${String(v ?? '—').replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c])}</td>`
const table = (el, head, rows) => {
  el.innerHTML = `<tr>${head.map(([h, n]) => `<th${n ? ' class="n"' : ''}>${h}</th>`).join('')}</tr>` +
    rows.map((r) => `<tr>${r.map((v, i) => cell(v, head[i][1])).join('')}</tr>`).join('')
}

for (const p of [['AMOX500', 'Mox 500 (amoxicillin)'], ['PCM500', 'Crocin 500 (paracetamol)'], ['LANTUS', 'Lantus (insulin glargine)']]) {
  $('product').add(new Option(p[1], p[0]))
}

function refresh() {
  table($('stock'), [['Medicine'], ['Batch'], ['Expiry'], ['On hand', 1], ['Available', 1], ['Status']],
    ledger.stock({ location: 'MAIN' }).map((r) => [r.product, r.batch, r.expiry, r.onHand, r.available, r.status]))
  const on = $('date').value
  const rows = ledger.expiryBuckets(on).map((b) => [`${b.fromDays}–${b.toDays} days`, b.qty, b.rows.map((r) => `${r.product} ${r.batch} (${r.daysLeft} d)`).join(', ')])
  rows.push(...ledger.expired(on).map((r) => ['EXPIRED', r.onHand, `${r.product} ${r.batch} expired ${r.expiry}`]))
  table($('expiry'), [['Window'], ['Units', 1], ['Batches']], rows)
}

let n = 0
$('rx').addEventListener('submit', (ev) => {
  ev.preventDefault()
  try {
    const done = ledger.dispense({
      key: `demo-${++n}`, date: $('date').value, reference: `RX-${n}`, product: $('product').value, location: 'MAIN',
      qty: Number($('qty').value), policy: { minShelfLifeDays: Number($('minDays').value) },
    })
    const a = done.allocation
    $('result').className = 'ok'
    $('result').textContent = `RX-${n}: dispensed ${a.allocated} of ${a.requested}` + (a.shortfall ? ` — short by ${a.shortfall}` : '')
    table($('picks'), [['Picked / passed over'], ['Batch'], ['Expiry'], ['Qty', 1], ['Why']], [
      ...a.picks.map((p) => ['picked', p.batch, p.expiry, p.qty, p.reason.replaceAll('_', ' ')]),
      ...a.skipped.map((s) => ['passed over', s.batch, s.expiry, s.available, s.reason.replaceAll('_', ' ') + (s.remainingDays !== undefined ? ` (${s.remainingDays} days left)` : '')]),
    ])
  } catch (e) {
    $('result').className = 'error'
    $('result').textContent = `${e.code}: ${e.message}`
    $('picks').innerHTML = ''
  }
  refresh()
})
$('date').addEventListener('change', refresh)
refresh()
$('rx').requestSubmit()
document.body.dataset.ready = 'true'
