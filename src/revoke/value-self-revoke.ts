import type { FastlyTokensClient } from '../client/index.js'
import type { RateLimitState } from '../types.js'
import { WriteBudget } from './budget.js'
import { isApiGone, isNotTheApi, notTheApiLine, type ShapedFailure } from './endpoint-proof.js'
import { describeFailure } from './refusal.js'
import type { ValueLedger } from './value-ledger.js'
import type { ValueRead } from './value-reads.js'
import { scrubValue } from './value-scrub.js'

/**
 * Values that revoke themselves (DELETE /tokens/self with the value): when there is no admin
 * token, or for ids the admin token may not revoke. Each such write is paid from the budget of
 * the value's owner, so each owner (known from the free read) gets a WriteBudget of its own: one
 * owner's spent hour leaves a value "left" with the reset time in its reason, and never holds up
 * another owner's values. The budget reads the rate-limit headers when the answers carry them and
 * otherwise learns only from a 429: no decision depends on the headers being there.
 */

export interface SelfRevokeTarget {
  index: number
  value: string
  /** The value is of token shape (only then can a 401/404 mean "gone"). */
  tokenShaped: boolean
  read?: ValueRead
}

export interface SelfRevokeOptions {
  deadline?: number
  signal?: AbortSignal
  verify?: boolean
  concurrency?: number
  reserveWrites?: number
  now: () => number
  sleep: (ms: number) => Promise<void>
}

/** 429s in a row for one value after which it is left for a second run. */
const MAX_RATE_LIMITED = 3

interface Owner {
  label: string
  budget: WriteBudget
  source: { rateLimit: RateLimitState | undefined }
}

export async function revokeValuesThemselves(
  base: FastlyTokensClient,
  targets: readonly SelfRevokeTarget[],
  options: SelfRevokeOptions,
  ledger: ValueLedger
): Promise<void> {
  const owners = new Map<string, Owner>()
  const ownerOf = (t: SelfRevokeTarget): Owner => {
    const userId = t.read?.kind === 'token' ? t.read.token.user_id : undefined
    const key = userId ?? `value#${t.index}`
    let owner = owners.get(key)
    if (!owner) {
      const source: Owner['source'] = { rateLimit: undefined }
      owner = {
        label: userId === undefined ? 'its owner' : `user ${userId}`,
        source,
        budget: new WriteBudget(source, {
          deadline: options.deadline,
          reserve: options.reserveWrites,
          now: options.now,
          sleep: options.sleep,
          signal: options.signal,
          onWait: until => {
            ledger.waitingUntil = until
            ledger.progress()
          }
        })
      }
      owners.set(key, owner)
    }
    return owner
  }
  let stop: { outcome: 'left' | 'failed'; reason: string } | undefined
  const queue = [...targets]

  const revokeOne = async (t: SelfRevokeTarget): Promise<void> => {
    const owner = ownerOf(t)
    const known =
      t.read?.kind === 'token'
        ? { tokenId: t.read.token.id, name: t.read.token.name, userId: t.read.token.user_id }
        : {}
    for (let limited = 0; ;) {
      if (stop) return ledger.settle(t.index, { ...known, outcome: stop.outcome, reason: stop.reason })
      if (options.signal?.aborted) {
        return ledger.settle(t.index, { ...known, outcome: 'left', reason: 'not sent: the run was stopped' })
      }
      const decision = await owner.budget.acquire()
      ledger.waitingUntil = undefined
      if (!decision.go) {
        return ledger.settle(t.index, {
          ...known,
          outcome: 'left',
          reason: `not sent: ${decision.why} (the budget of ${owner.label})`
        })
      }
      const leaked = base.withToken(t.value)
      try {
        // Never cut off by an interruption: its answer decides this value's outcome.
        await leaked.revokeTokenCurrent({ deadline: options.deadline, waitSignal: options.signal })
        ledger.writes += 1
        owner.source.rateLimit = leaked.rateLimit ?? owner.source.rateLimit
      } catch (error) {
        const failure = error as ShapedFailure & { attempts?: number; resetAt?: Date }
        ledger.writes += failure.attempts ?? 1
        owner.source.rateLimit = leaked.rateLimit ?? owner.source.rateLimit
        const reason = scrubValue(describeFailure(failure), t.value)
        if (failure.status === 429 || failure.name === 'RateLimitError') {
          owner.budget.onRateLimited(failure.resetAt)
          if (++limited < MAX_RATE_LIMITED) continue
          const until = failure.resetAt ? ` until ${failure.resetAt.toISOString()}` : ''
          return ledger.settle(t.index, {
            ...known,
            outcome: 'left',
            reason: `not sent: the write budget of ${owner.label} is spent${until}; rerun after it resets`
          })
        }
        if (failure.code === 'deadline' || failure.code === 'aborted') {
          return ledger.settle(t.index, { ...known, outcome: 'left', reason: `not sent: ${reason}` })
        }
        if (isNotTheApi(failure)) {
          const line = notTheApiLine('DELETE /tokens/self with a leaked value', reason)
          ledger.stoppedBy ??= line
          stop = { outcome: 'failed', reason: 'not sent: an earlier answer was not the Fastly API’s' }
          return ledger.settle(t.index, { ...known, outcome: 'failed', reason: line })
        }
        if (isApiGone(failure)) {
          return ledger.settle(t.index, {
            ...known,
            outcome: t.tokenShaped ? 'already-gone' : 'malformed',
            reason: t.tokenShaped ? reason : `not of token shape, and the API does not know it (${reason})`
          })
        }
        return ledger.settle(t.index, { ...known, outcome: 'failed', reason })
      } finally {
        await leaked.close()
      }
      // The read back is not cut off by an interruption: it is what proves the revocation.
      const check = await verifySelfRevoked(base, t.value, { deadline: options.deadline }, options, ledger)
      return ledger.settle(t.index, { ...known, ...check })
    }
  }

  const worker = async (): Promise<void> => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
      await revokeOne(t)
      ledger.progress()
    }
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, targets.length))
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/** After a 204: the proof is that the value no longer authenticates (the API's own 401). */
async function verifySelfRevoked(
  base: FastlyTokensClient,
  value: string,
  call: { deadline?: number; signal?: AbortSignal },
  options: { verify?: boolean },
  ledger: ValueLedger
): Promise<{ outcome: 'revoked' | 'failed'; verified?: boolean; reason?: string }> {
  if (options.verify === false)
    return { outcome: 'revoked', verified: false, reason: 'not verified: verification was turned off' }
  const leaked = base.withToken(value)
  ledger.reads += 1
  try {
    await leaked.getTokenCurrent(call)
    return {
      outcome: 'failed',
      reason: 'DELETE /tokens/self answered 204, but the value still authenticates'
    }
  } catch (error) {
    const failure = error as ShapedFailure
    if (isApiGone(failure)) return { outcome: 'revoked', verified: true }
    return {
      outcome: 'revoked',
      verified: false,
      reason: `not verified: ${scrubValue(describeFailure(failure), value)}`
    }
  } finally {
    await leaked.close()
  }
}
