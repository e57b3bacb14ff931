/**
 * The keyless broker (`fastly-token-action/broker`): a service that trades GitHub OIDC ID tokens
 * for short-lived Fastly tokens under trust policies, and the typed caller of that service.
 */
export { startBroker } from './start.js'
export type { Broker, BrokerOptions } from './start.js'
export { runBrokerCli } from './cli.js'
export type { BrokerCliIo } from './cli.js'
export { ConfigError, DEFAULT_AUDIENCE, GITHUB_ISSUER } from './config.js'
export { CredentialError } from './credentials.js'
export { BrokerError, requestBrokerToken } from './request.js'
export type { BrokerErrorFields, BrokerToken, BrokerTokenRequest } from './request.js'
