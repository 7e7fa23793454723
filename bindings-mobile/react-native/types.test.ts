// Type-checked with `tsc -p .` against the generated TypeScript: quantities are numbers, so a
// record goes through JSON.stringify as it is (a bigint would throw).
import { type Pick, type StockTotals, PickReason } from '../generated/react-native/ts/apotheca'

const pick: Pick = { batch: 'B-1', expiry: '2027-01-31', qty: 21, reason: PickReason.EarliestExpiry, shortDated: false }
const totals: StockTotals = { onHand: 30, reserved: 0, blocked: 0, available: 30, inTransit: 0 }
export const wire: string = JSON.stringify({ pick, totals })
export const left: number = totals.available - pick.qty
