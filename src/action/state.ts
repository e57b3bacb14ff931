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

/**
 * A mint request on its way: saved before POST /tokens (or the broker request) is sent and
 * cleared once its outcome is handled, so that when main ends before the answer (a cancelled job
 * whose grace ran out, a killed process) post knows what may exist and can look for it.
 */
export interface PendingMintState {
  name: string
  scope: string
  services: string[]
  /** The expiry asked for (the API's timestamp form). */
  expiresAt: string
  /** Epoch ms on main's clock, just before the request left. */
  sentAt: number
  apiUrl: string
}

/** Why post has nothing to revoke. */
export type PostState =
  | { kind: 'minted'; minted: MintedTokenState }
  /** main sent a mint request and ended before its answer */
  | { kind: 'pending'; pending: PendingMintState }
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
  revokedByMain: 'revoked-by-main',
  pendingMint: 'pending-mint'
} as const

export function savePendingMint(runner: Runner, pending: PendingMintState): void {
  runner.saveState(KEY.pendingMint, JSON.stringify(pending))
}

export function clearPendingMint(runner: Runner): void {
  runner.saveState(KEY.pendingMint, '')
}

function readPendingMint(text: string): PendingMintState | undefined {
  if (!text) return undefined
  try {
    const value = JSON.parse(text) as PendingMintState
    const ok =
      typeof value.name === 'string' &&
      typeof value.scope === 'string' &&
      Array.isArray(value.services) &&
      typeof value.expiresAt === 'string' &&
      typeof value.sentAt === 'number' &&
      typeof value.apiUrl === 'string'
    return ok ? value : undefined
  } catch {
    return undefined
  }
}

/** Also ends the pending mint: post owns the token from here. */
export function saveMintedToken(runner: Runner, state: MintedTokenState): void {
  runner.saveState(KEY.token, state.token)
  runner.saveState(KEY.tokenId, state.tokenId)
  runner.saveState(KEY.expiresAt, state.expiresAt)
  runner.saveState(KEY.apiUrl, state.apiUrl)
  runner.saveState(KEY.revoke, String(state.revoke))
  runner.saveState(KEY.pendingMint, '')
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
  if (!token) {
    const pending = readPendingMint(runner.getState(KEY.pendingMint))
    return pending ? { kind: 'pending', pending } : { kind: 'none' }
  }
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
