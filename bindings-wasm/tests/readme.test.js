// The README's example runs (against the Node build; `init` is the browser loader, a no-op here).
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

test('README example runs', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
  const [, code] = readme.match(/```js\n([\s\S]*?)```/) || []
  assert.ok(code, 'README.md has a js example')
  const pkg = JSON.stringify(path.join(__dirname, '..', 'pkg-node', 'apotheca.js'))
  const body = code
    .replace(/import init, \{ ([^}]*) \} from '@apotheca\/wasm'/, (_, names) => `const { ${names} } = require(${pkg}); const init = async () => {}`)
  const failures = []
  const consoleProxy = { assert: (ok, ...msg) => ok || failures.push(msg.join(' ') || 'console.assert failed'), log: () => {} }
  await new Function('require', 'console', `return (async () => {\n${body}\n})()`)(require, consoleProxy)
  assert.deepEqual(failures, [])
})
