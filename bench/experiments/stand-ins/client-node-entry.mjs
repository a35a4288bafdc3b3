// Experiment stand-in (not shipped): src/runtime/sender-mode/decrypt-code.ts's three narrow
// Encryption SDK imports served through @aws-crypto/client-node instead, so
// the benchmark can rebuild a sender with that step switched off.
export * from '@aws-crypto/client-node';
