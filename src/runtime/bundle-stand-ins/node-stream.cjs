// Stands in for `readable-stream` (v3) inside the Lambda bundles. That
// package is a copy of Node's own stream classes for old runtimes (its
// READABLE_STREAM=disable switch exports Node's instead); Lambda's Node 22
// has them built in, so the bundle carries no second copy.
const { Stream, Readable, Writable, Duplex, Transform, PassThrough, finished, pipeline } = require('node:stream');

module.exports = { Stream, Readable, Writable, Duplex, Transform, PassThrough, finished, pipeline };
