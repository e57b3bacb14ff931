/**
 * `GET /metrics` in the Prometheus text format (version 0.0.4): mints by policy, refusals by
 * reason, request latency as a histogram, Fastly's write budget as last reported, requests in
 * flight, undelivered tokens and JWKS fetches. Label values come from the config (policy names)
 * or from the broker's own fixed reason codes, never from a caller.
 */
import type { RateLimitState } from '../types.js'

const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

export class BrokerMetrics {
  readonly mints = new Map<string, number>()
  readonly refusals = new Map<string, number>()
  readonly undelivered = new Map<string, number>()
  readonly #buckets = LATENCY_BUCKETS_S.map(() => 0)
  #latencyCount = 0
  #latencySum = 0
  jwksFetches = 0
  inFlight = 0
  /** Fastly's write budget as last reported (read when rendered). */
  budget: () => RateLimitState | undefined = () => undefined

  minted(policy: string): void {
    this.mints.set(policy, (this.mints.get(policy) ?? 0) + 1)
  }

  refused(reason: string): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1)
  }

  lostDelivery(outcome: 'revoked' | 'revoke_failed'): void {
    this.undelivered.set(outcome, (this.undelivered.get(outcome) ?? 0) + 1)
  }

  observe(seconds: number): void {
    this.#latencyCount++
    this.#latencySum += seconds
    LATENCY_BUCKETS_S.forEach((bound, i) => {
      if (seconds <= bound) this.#buckets[i] = (this.#buckets[i] ?? 0) + 1
    })
  }

  render(): string {
    const lines: string[] = []
    const family = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    const counter = (name: string, help: string, key: string, values: Map<string, number>) => {
      family(name, 'counter', help)
      for (const [k, v] of values) lines.push(`${name}{${key}="${label(k)}"} ${v}`)
    }
    counter('fastly_broker_mints_total', 'Tokens minted and delivered, by policy.', 'policy', this.mints)
    counter('fastly_broker_refusals_total', 'Requests refused, by reason.', 'reason', this.refusals)
    counter(
      'fastly_broker_undelivered_tokens_total',
      'Tokens minted but not delivered, by what became of them.',
      'outcome',
      this.undelivered
    )
    family('fastly_broker_request_duration_seconds', 'histogram', 'Time to answer POST /v1/token.')
    LATENCY_BUCKETS_S.forEach((bound, i) =>
      lines.push(`fastly_broker_request_duration_seconds_bucket{le="${bound}"} ${this.#buckets[i]}`)
    )
    lines.push(
      `fastly_broker_request_duration_seconds_bucket{le="+Inf"} ${this.#latencyCount}`,
      `fastly_broker_request_duration_seconds_sum ${this.#latencySum}`,
      `fastly_broker_request_duration_seconds_count ${this.#latencyCount}`
    )
    family('fastly_broker_requests_in_flight', 'gauge', 'Token requests being handled now.')
    lines.push(`fastly_broker_requests_in_flight ${this.inFlight}`)
    family(
      'fastly_broker_jwks_fetches_total',
      'counter',
      "Fetches of the issuer's discovery document and JWKS."
    )
    lines.push(`fastly_broker_jwks_fetches_total ${this.jwksFetches}`)
    const budget = this.budget()
    if (budget !== undefined) {
      family(
        'fastly_broker_fastly_ratelimit_remaining',
        'gauge',
        'Fastly writes left in the window, as last reported.'
      )
      lines.push(`fastly_broker_fastly_ratelimit_remaining ${budget.remaining}`)
      family(
        'fastly_broker_fastly_ratelimit_reset_seconds',
        'gauge',
        "When Fastly's write window resets (epoch seconds)."
      )
      lines.push(`fastly_broker_fastly_ratelimit_reset_seconds ${budget.resetEpochSeconds}`)
    }
    return `${lines.join('\n')}\n`
  }
}
