/**
 * Stands in for `@aws-sdk/credential-provider-node` inside the Lambda
 * bundles. Lambda hands a function its role's credentials in environment
 * variables, so the full default chain (profiles, SSO, web identity,
 * instance metadata, and the STS/SSO clients it pulls in) is dead weight in
 * a bundle: about 150 KB and its load time at every cold start.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
