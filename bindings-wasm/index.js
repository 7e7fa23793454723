// @apotheca/wasm's entry for browsers and bundlers: the wasm-bindgen module (apotheca.js) with
// the runtime `ApothecaError` class and `isApothecaError` guard (errors.js, shared with
// @apotheca/node).
export * from './apotheca.js'
export { default } from './apotheca.js'
export { ApothecaError, isApothecaError } from './errors.js'
