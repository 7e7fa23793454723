// Reads every conformance case from disk as { capability, case }, sorted by path (Node only).
'use strict'
const fs = require('node:fs')
const path = require('node:path')

module.exports = function loadCases() {
  const root = path.join(__dirname, '..')
  const out = []
  for (const dir of fs.readdirSync(root).sort()) {
    const full = path.join(root, dir)
    if (dir === 'runners' || !fs.statSync(full).isDirectory()) continue
    for (const file of fs.readdirSync(full).filter((f) => f.endsWith('.json')).sort()) {
      out.push({ capability: dir, case: JSON.parse(fs.readFileSync(path.join(full, file), 'utf8')) })
    }
  }
  return out
}
