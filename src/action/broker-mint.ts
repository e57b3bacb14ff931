/**
 * The keyless mint: an OIDC ID token from the runner, masked; the broker's `POST /v1/token`
 * (module's requestBrokerToken, which retries the broker's 429/503 within the deadline); the
 * Fastly token masked first; then the same hand-over as a password mint: verified with GET
 * /tokens/self against api-url, outputs, FASTLY_API_TOKEN, state, and post's DELETE /tokens/self.
 * An answer lost after the request left is reported like a lost mint; the broker revokes what it
 * minted but could not deliver, so what may remain is bounded by the expiry asked for.
 */
import { BrokerError, requestBrokerToken } from '../broker/request.js'
import type { FastlyTokensClient } from '../client/index.js'
import { formatDuration } from '../input/index.js'
import { logText } from '../text/log-text.js'
import type { BrokerConfig } from './broker-inputs.js'
import { checkCancelled } from './cancellation.js'
import { describeFailure } from './failure.js'
import { handOver } from './hand-over.js'
import type { ActionConfig } from './inputs.js'
import { maskValue } from './masking.js'
import { askedExpiry, tokenMismatches } from './mint.js'
import { MAIN_DEADLINE_MS, type StepDeps } from './step-deps.js'

const USER_AGENT = 'github-action'

function lostAnswer(url: string, expiresAt: string, what: string): string {
  return (
    `${what}: the broker (${logText(url)}) revokes a token it minted but could not deliver; a token ` +
    `whose Fastly answer never reached the broker stays valid until ${expiresAt} at the latest. Its ` +
    'audit log names the token (look for this run), and `fastly-tokens revoke --id <id>` revokes it.'
  )
}

export async function brokerMintAndHandOver(
  deps: StepDeps,
  config: ActionConfig,
  broker: BrokerConfig,
  base: FastlyTokensClient
): Promise<{ own?: FastlyTokensClient; failure?: string }> {
  const { runner } = deps
  const services =
    broker.services.length === 0 ? "the policy's services" : broker.services.map(logText).join(', ')
  runner.info(
    `Asking the broker ${logText(broker.url)} for a token (ID token audience "${logText(broker.audience)}"): scope ${broker.scope}, ${services}, expires in ${formatDuration(broker.expiresInMs)}`
  )
  let idToken: string
  try {
    idToken = await runner.getIDToken(broker.audience)
  } catch (error) {
    return { failure: `${describeFailure(error)}. No request was sent to the broker.` }
  }
  // @actions/core registers it too; masked here as well, so the order never depends on it.
  maskValue(runner, idToken)
  checkCancelled(deps.cancellation, 'before the broker request was sent; nothing was minted')

  const expiresAt = askedExpiry(broker, deps.now())
  const undoGraceWarning = deps.cancellation?.onGraceEnd(() =>
    runner.warning(
      lostAnswer(
        broker.url,
        expiresAt,
        'The job was cancelled and the grace ended before the broker answered'
      ),
      { title: 'A token may have been minted' }
    )
  )
  let token
  try {
    token = await requestBrokerToken({
      brokerUrl: broker.url,
      idToken,
      scope: broker.scope,
      ...(broker.services.length > 0 ? { services: broker.services } : {}),
      expiresIn: Math.round(broker.expiresInMs / 1000),
      deadline: deps.now() + MAIN_DEADLINE_MS,
      userAgent: USER_AGENT
    })
  } catch (error) {
    undoGraceWarning?.()
    const reason = describeFailure(error)
    if (error instanceof BrokerError && error.mayHaveTakenEffect)
      runner.warning(
        lostAnswer(broker.url, expiresAt, `The broker request failed after it was sent (${reason})`),
        {
          title: 'A token may have been minted'
        }
      )
    return { failure: `The broker gave no token: ${reason}` }
  }
  undoGraceWarning?.()
  // Masked before anything else is done with it, the policy line included.
  maskValue(runner, token.access_token)
  runner.info(`The broker's policy "${logText(token.policy)}" allowed token ${logText(token.id)}`)
  // Without services asked, the policy's are what the token must have.
  const asked = {
    scope: broker.scope,
    services: broker.services.length > 0 ? broker.services : token.services
  }
  const result = await handOver(deps, config, base, token, self => tokenMismatches(asked, expiresAt, self))
  return result.ok ? { own: result.own } : { failure: result.reason }
}
