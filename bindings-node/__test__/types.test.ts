// Type-checked with `tsc --noEmit --strict`: the published types describe real usage.
import { Ledger, parseExpiry, type DispenseResult, type ErrorCode, type IsoDate, type Decimal, type ApothecaError } from '..'

const ledger = new Ledger()
ledger.loadCatalog({
  locations: [{ id: 'MAIN', name: 'Main Street' }],
  products: [{ id: 'AMOX500', name: 'Mox 500', genericName: 'Amoxicillin 500 mg', form: 'capsule', packSize: 10, schedule: 'prescription', taxCategory: '3004', storage: 'ambient' }],
  batches: [{ product: 'AMOX500', batch: 'A1', expiry: parseExpiry('EXP 01/2027'), unitCost: '2.10', mrp: '4.62' }],
})
ledger.post({ key: 'grn', date: '2026-11-20', lines: [{ type: 'receipt', product: 'AMOX500', batch: 'A1', location: 'MAIN', qty: 30 }] })
const done: DispenseResult = ledger.dispense({ key: 'rx', date: '2026-11-20', product: 'AMOX500', location: 'MAIN', qty: 21, policy: { minShelfLifeDays: 7 } })
const expiry: IsoDate | null = done.allocation.picks[0].expiry
const cost: Decimal | undefined = done.posting.lines[0].costFifo
const left: number = ledger.stockTotals({ product: 'AMOX500' }).available
async function later(): Promise<number> {
  const r = await ledger.dispenseAsync({ key: 'rx2', date: '2026-11-20', product: 'AMOX500', location: 'MAIN', qty: 1 })
  return r.allocation.allocated
}
function codeOf(e: unknown): ErrorCode | undefined {
  return e instanceof Error && e.name === 'ApothecaError' ? (e as ApothecaError).code : undefined
}
void [expiry, cost, left, later, codeOf]

// Billing: a typed invoice in, typed totals out.
import { Billing, creditNote, type PricedInvoice } from '..'
const billing = new Billing({ rules: [{ category: '3004', effectiveFrom: '2025-09-22', components: [{ name: 'GST', kind: 'gst', rate: '5' }] }] })
const invoice: PricedInvoice = billing.priceInvoice({
  date: '2026-11-22', currency: 'INR', sellerRegion: 'KA', placeOfSupply: 'KA',
  rounding: { cash: { increment: '1.00' } },
  lines: [{ product: 'AMOX500', qty: 3, unitPrice: '89.50', priceIncludesTax: true, taxCategory: '3004' }],
})
const grand: Decimal = invoice.totals.grandTotal
const credited: Decimal = creditNote(invoice, { date: '2026-11-23', returns: [{ lineNo: 1, qty: 1 }] }).totals.total
void [grand, credited]

// Frames: Arrow IPC bytes in and out, with progress and an AbortSignal.
import { forecastFrameAsync, type FrameSpec, type AbortSignalLike } from '..'
async function frames(table: Uint8Array, signal: AbortSignalLike): Promise<number> {
  const frameSpec: FrameSpec = { models: [{ model: { name: 'croston_sba' } }], horizon: 3, levels: [80], onError: 'fallback' }
  const out: Uint8Array = await forecastFrameAsync(table, frameSpec, (done: number, total: number) => void [done, total], signal)
  return out.byteLength
}
void frames
