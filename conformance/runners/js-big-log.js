// Restores the 1,000,000-event log that `cargo xtask test` writes to target/big-log.json, as
// JSON text (one value across the boundary, not a million objects), and exports it again.
// Node only (it reads a file); shared by @apotheca/node and @apotheca/wasm.
'use strict'
const fs = require('node:fs')
const path = require('node:path')

module.exports = function restoreBigLog (api, t) {
  const file = process.env.APOTHECA_BIG_LOG || path.join(__dirname, '..', '..', 'target', 'big-log.json')
  if (!fs.existsSync(file)) {
    t.skip(`${file} is missing: \`cargo xtask test\` writes it`)
    return
  }
  const text = fs.readFileSync(file, 'utf8')
  const [digest, head, count] = fs.readFileSync(file + '.digest', 'utf8').trim().split(' ')
  const l = api.Ledger.fromEventsJson(text, head)
  if (l.digest() !== digest) throw new Error('the restored ledger has another digest')
  const again = l.eventsJson()
  if (again.length !== text.length) throw new Error(`exported ${again.length} characters, read ${text.length}`)
  const last = l.eventsJson(Number(count) - 1)
  if (JSON.parse(last).length !== 1) throw new Error('eventsJson(start) did not start at start')
}
