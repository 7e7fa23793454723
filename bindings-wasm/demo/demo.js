// The offline pharmacy counter: @apotheca/wasm in a page, four panels over one engine each
// (dispense, invoice, interactions, forecast). Everything below runs in the browser.
import init, { Ledger, Billing, Interactions, forecast, parseExpiry } from '../pkg-web/apotheca.js'

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
const esc = (v) => String(v).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
const cell = (v, numeric) => `<td${numeric ? ' class="n"' : ''}>${esc(v ?? '—')}</td>`
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

// Invoice: the counter's MRPs include 5 % GST (medicines, HSN 3004). Same state: CGST + SGST;
// another state: IGST. Cash rounding to the rupee, the amount in words.
const billing = new Billing({ rules: [{ category: '3004', effectiveFrom: '2025-09-22',
  components: [{ name: 'GST', kind: 'gst', rate: '5' }] }] })
const MRP = { AMOX500: '4.62', PCM500: '1.36', LANTUS: '862.00' }
$('bill').addEventListener('submit', (ev) => {
  ev.preventDefault()
  const lines = Object.entries(MRP)
    .map(([product, mrp]) => ({ product, qty: Number($(`bill-${product}`).value), unitPrice: mrp, mrp, priceIncludesTax: true, taxCategory: '3004' }))
    .filter((l) => l.qty > 0)
  try {
    const inv = billing.priceInvoice({
      date: $('date').value, currency: 'INR', sellerRegion: 'KA', placeOfSupply: $('supply').value, lines, words: 'indian',
      rounding: $('cash').checked ? { cash: { increment: '1.00' } } : {},
    })
    $('bill-result').className = 'ok'
    $('bill-result').textContent = `${inv.supply === 'inter_state' ? 'Inter-state' : 'Intra-state'} supply: grand total ₹${inv.totals.grandTotal}`
    table($('bill-lines'), [['Medicine'], ['Qty', 1], ['MRP', 1], ['Taxable', 1], ['GST', 1], ['Total', 1]],
      inv.lines.map((l) => [l.product, l.qty, l.mrp, l.taxable, l.tax, l.total]))
    table($('bill-taxes'), [['Tax'], ['Amount', 1]], inv.taxes.map((t) => [t.name, t.amount]))
    const t = inv.totals
    table($('bill-totals'), [['Taxable value'], ['Tax', 1], ['Before rounding', 1], ['Round off', 1], ['Grand total', 1]],
      [[t.taxable, t.tax, t.totalBeforeRoundOff, t.roundOff, t.grandTotal]])
    $('bill-words').textContent = inv.amountInWords ?? ''
  } catch (e) {
    $('bill-result').className = 'error'
    $('bill-result').textContent = `${e.code}: ${e.message}`
    for (const id of ['bill-lines', 'bill-taxes', 'bill-totals']) $(id).innerHTML = ''
    $('bill-words').textContent = ''
  }
})
$('bill').requestSubmit()

// Interactions: names suggested as you type (exact, else near spellings), then the list screened.
const kb = Interactions.sample()
const meds = []
const showList = () => {
  $('drug-list').innerHTML = meds.map((m) => `<li>${esc(m)}</li>`).join('')
}
const add = (name) => {
  const text = name.trim()
  if (text && !meds.includes(text)) meds.push(text)
  $('drug').value = ''
  $('suggest').innerHTML = ''
  showList()
}
$('drug').addEventListener('input', () => {
  const text = $('drug').value.trim()
  const found = text.length < 2 ? [] : kb.resolve(text, 5).candidates
  $('drug-names').innerHTML = found.map((c) => `<option value="${esc(c.name)}">`).join('')
  $('suggest').innerHTML = found.map((c) => `<li><button type="button" data-name="${esc(c.name)}">${esc(c.name)}</button> <span class="note">(${esc(c.how)}: ${esc(c.matched)})</span></li>`).join('')
})
$('suggest').addEventListener('click', (ev) => {
  const name = ev.target.closest('button')?.dataset.name
  if (name) add(name)
})
$('add-drug').addEventListener('click', () => add($('drug').value))
$('clear-drugs').addEventListener('click', () => { meds.length = 0; showList(); $('alerts').innerHTML = ''; $('screen-result').textContent = '' })
$('screen').addEventListener('submit', (ev) => {
  ev.preventDefault()
  if ($('drug').value.trim()) add($('drug').value)
  try {
    const s = kb.screen({ medications: meds })
    const unknown = s.unknown.length ? ` Not recognised: ${s.unknown.join(', ')}.` : ''
    $('screen-result').className = s.alerts.length ? 'error' : 'ok'
    $('screen-result').textContent = (s.alerts.length ? `${s.alerts.length} alert(s) for ${meds.length} medicines.` : `No alert for ${meds.length} medicines.`) + unknown
    table($('alerts'), [['Severity'], ['Kind'], ['Drugs'], ['What to know']],
      s.alerts.map((a) => [a.severity, a.kind.replaceAll('_', ' '), a.entries.join(' + '), a.message]))
    for (const row of $('alerts').rows) row.cells[0]?.classList.add(row.cells[0].textContent)
  } catch (e) {
    $('screen-result').className = 'error'
    $('screen-result').textContent = `${e.code}: ${e.message}`
  }
})

// Forecast: a year of made-up monthly sales per medicine, three months ahead with an 80 % band,
// drawn as an SVG chart (no chart library).
const SALES = {
  AMOX500: [120, 98, 85, 60, 42, 38, 45, 52, 70, 96, 130, 142],
  PCM500: [310, 295, 280, 260, 240, 255, 300, 340, 330, 310, 320, 335],
  LANTUS: [0, 2, 0, 0, 3, 0, 1, 0, 0, 2, 0, 4],
}
for (const [id, name] of [['AMOX500', 'Mox 500 (amoxicillin)'], ['PCM500', 'Crocin 500 (paracetamol)'], ['LANTUS', 'Lantus (insulin glargine)']]) {
  $('fc-product').add(new Option(name, id))
}
const MONTHS = ['Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb']
function chart(history, mean, lo, hi) {
  const W = 640, H = 240, L = 44, R = 12, T = 14, B = 28
  const all = [...history, ...hi.map((v) => v ?? 0)]
  const top = Math.max(1, ...all) * 1.1
  const n = history.length + mean.length
  const x = (i) => L + (i * (W - L - R)) / (n - 1)
  const y = (v) => T + (1 - v / top) * (H - T - B)
  const pts = (vals, from) => vals.map((v, i) => `${x(from + i).toFixed(1)},${y(v ?? 0).toFixed(1)}`).join(' ')
  const last = history.length - 1
  // Out along the upper bounds, back along the lower ones.
  const band = `${pts([history[last], ...hi], last)} ${pts([history[last], ...lo], last).split(' ').reverse().join(' ')}`
  const ticks = [0, top / 2, top].map((v) => `<line class="axis" x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}"/><text x="4" y="${y(v) + 4}">${Math.round(v)}</text>`).join('')
  const labels = MONTHS.slice(0, n).map((m, i) => `<text x="${x(i) - 9}" y="${H - 8}">${m}</text>`).join('')
  $('fc-chart').innerHTML = ticks + labels +
    `<polygon class="band" points="${band}"/>` +
    `<polyline class="history" data-points="${history.length}" points="${pts(history, 0)}"/>` +
    `<polyline class="forecast" data-points="${mean.length}" points="${pts([history[last], ...mean], last)}"/>`
}
$('fc').addEventListener('submit', (ev) => {
  ev.preventDefault()
  const id = $('fc-product').value
  try {
    const [f] = forecast({ series: [{ id, y: SALES[id] }], model: { name: $('fc-model').value }, horizon: 3, levels: [80] })
    const band = f.intervals[0]
    $('fc-result').className = 'ok'
    $('fc-result').textContent = `${id}: ${f.method ?? f.model.name} — about ${Math.round(f.mean.reduce((s, v) => s + (v ?? 0), 0))} units in the next 3 months`
    chart(SALES[id], f.mean, band.lo, band.hi)
    table($('fc-table'), [['Month'], ['Forecast', 1], ['80 % low', 1], ['80 % high', 1]],
      f.mean.map((m, i) => [MONTHS[12 + i], m?.toFixed(1), band.lo[i]?.toFixed(1), band.hi[i]?.toFixed(1)]))
  } catch (e) {
    $('fc-result').className = 'error'
    $('fc-result').textContent = `${e.code}: ${e.message}`
  }
})
$('fc').requestSubmit()
document.body.dataset.ready = 'true'
