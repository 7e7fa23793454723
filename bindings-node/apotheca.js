// @apotheca/node's entry: the native binding (index.js, written by napi-rs) with the runtime
// `ApothecaError` class and `isApothecaError` guard.
'use strict'
const native = require('./index.js')
const { ApothecaError, isApothecaError } = require('./errors.js')

module.exports = Object.assign(Object.create(null), native, { ApothecaError, isApothecaError })
