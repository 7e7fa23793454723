// The conformance cases through @apotheca/node, with the shared JS runner.
'use strict'
require('../../conformance/runners/node-tests.js')(require('..'), 'node')
