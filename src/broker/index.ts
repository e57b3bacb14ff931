/**
 * The keyless broker (`fastly-token-action/broker`): a service that trades GitHub OIDC ID tokens
 * for short-lived Fastly tokens under trust policies, and the typed caller of that service.
 */
export { BrokerError, requestBrokerToken } from './request.js'
export type { BrokerErrorFields, BrokerToken, BrokerTokenRequest } from './request.js'
