/**
 * fastly-token-action as a library: the typed Tokens API client, its errors, the shared API
 * types and the incident revoke engine. The simulator is a separate entry point
 * (`fastly-token-action/simulator`) so that programs which only call the API never load it.
 */
export * from './types.js'
export * from './client/index.js'
export * from './revoke/index.js'
