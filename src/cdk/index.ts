/**
 * `cognito-trigger-pack/cdk`: the pack's deployment as an AWS CDK construct
 * (docs/cdk.md). aws-cdk-lib and constructs are optional peer dependencies:
 * only this entry point imports them.
 */
export type { AttachProperties } from './attach-triggers.js';
export type { CognitoTriggerPackProps, PackMode } from './props.js';
export { type AttachOptions, CognitoTriggerPack, type PackUserPoolProps } from './trigger-pack.js';
