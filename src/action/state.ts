/**
 * What the main step hands to the post step, typed in one place. The runner keeps state between
 * the two processes (GITHUB_STATE in main, STATE_<name> in post). The token itself goes to state
 * only after it was masked; the api-token never does (post reads it from its input again).
 */
import type { Runner } from './runner.js'

export interface MintedTokenState {
  token: string
  tokenId: string
  /** RFC 3339, or '' for a token that never expires (refused by main, kept for robustness). */
  expiresAt: string
  apiUrl: string
  /** The post step revokes it (the `revoke` input). */
  revoke: boolean
}

/** Why post has nothing to revoke. */
export type PostState =
  | { kind: 'minted'; minted: MintedTokenState }
  /** main never minted (failed before, or a revoke-only/audit run) */
  | { kind: 'none' }
  /** main minted, then revoked it itself (verification failed) */
  | { kind: 'revoked-by-main'; tokenId: string }

const KEY = {
  token: 'token',
  tokenId: 'token-id',
  expiresAt: 'expires-at',
  apiUrl: 'api-url',
  revoke: 'revoke',
  revokedByMain: 'revoked-by-main'
} as const

export function saveMintedToken(runner: Runner, state: MintedTokenState): void {
  runner.saveState(KEY.token, state.token)
  runner.saveState(KEY.tokenId, state.tokenId)
  runner.saveState(KEY.expiresAt, state.expiresAt)
  runner.saveState(KEY.apiUrl, state.apiUrl)
  runner.saveState(KEY.revoke, String(state.revoke))
}

/** Main already revoked the token: post must neither retry nor complain. */
export function saveRevokedByMain(runner: Runner): void {
  runner.saveState(KEY.revokedByMain, 'true')
  runner.saveState(KEY.token, '')
}

export function loadPostState(runner: Runner): PostState {
  const tokenId = runner.getState(KEY.tokenId)
  if (runner.getState(KEY.revokedByMain) === 'true') return { kind: 'revoked-by-main', tokenId }
  const token = runner.getState(KEY.token)
  if (!token) return { kind: 'none' }
  return {
    kind: 'minted',
    minted: {
      token,
      tokenId,
      expiresAt: runner.getState(KEY.expiresAt),
      apiUrl: runner.getState(KEY.apiUrl),
      revoke: runner.getState(KEY.revoke) !== 'false'
    }
  }
}
