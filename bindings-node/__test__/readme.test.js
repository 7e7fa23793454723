// The README's JavaScript examples run as tests.
'use strict'
const { test } = require('node:test')
const fs = require('node:fs')
const path = require('node:path')
const Module = require('node:module')

test('README examples run', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
  if (blocks.length === 0) throw new Error('no js example found in README.md')
  for (const code of blocks) {
    const m = new Module(path.join(__dirname, 'readme-example.js'))
    m.paths = module.paths
    // The package name resolves to this folder, as it would once installed.
    const source = code.replaceAll("require('@apotheca/node')", `require(${JSON.stringify(path.join(__dirname, '..'))})`)
    m._compile(`module.exports = (async () => {\n${source}\n})()`, m.id)
    await m.exports
  }
})
