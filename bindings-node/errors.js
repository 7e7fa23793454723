// The runtime ApothecaError of @apotheca/node and @apotheca/wasm (one file, copied into both).
// apotheca's errors are created inside the engine as plain `Error`s named 'ApothecaError' with a
// `code` and `details`; `instanceof ApothecaError` recognises them by that mark, so no call pays
// for wrapping, and an error passed across realms (a worker, a vm context) is still recognised.

/** Whether `e` is an error thrown by apotheca (a stable `code`, `details` as data). */
function isApothecaError(e) {
  return e instanceof Error && e.name === 'ApothecaError' && typeof e.code === 'string'
}

/** What every apotheca call throws or rejects with. */
class ApothecaError extends Error {
  constructor(code, message, details) {
    super(message)
    this.name = 'ApothecaError'
    this.code = code
    this.details = details ?? {}
  }

  static [Symbol.hasInstance](e) {
    return isApothecaError(e)
  }
}

module.exports = { ApothecaError, isApothecaError }
