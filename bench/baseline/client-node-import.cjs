// Benchmark row (not shipped): only the baseline's top-level Encryption SDK
// import, to show what loading @aws-crypto/client-node alone costs.
require('@aws-crypto/client-node');

exports.handler = async () => undefined;
