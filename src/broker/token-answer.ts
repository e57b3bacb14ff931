/** What the broker answers: the shapes of `POST /v1/token`, read defensively. */

/** A token the broker minted for the caller (`200` of `POST /v1/token`). */
export interface BrokerToken {
  /** The Fastly API token. Mask it before anything else. */
  access_token: string
  id: string
  /** `gha/<repository>/run-<run_id>-<run_attempt>/<workflow>`, trimmed to the API's limit. */
  name: string
  /** Space-delimited scopes, as the API writes them. */
  scope: string
  /** `[]`: every service the minting user can reach. */
  services: string[]
  /** RFC 3339 UTC. */
  expires_at: string
  /** The name of the policy that allowed it. */
  policy: string
}

/** The body of every refusal. */
export interface BrokerErrorBody {
  error: string
  message: string
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string')
}

/** The 200 body as a BrokerToken, or undefined when any field is missing or of the wrong kind. */
export function readBrokerToken(body: string): BrokerToken | undefined {
  let data: unknown
  try {
    data = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof data !== 'object' || data === null) return undefined
  const d = data as Record<string, unknown>
  const strings = ['access_token', 'id', 'name', 'scope', 'expires_at', 'policy'] as const
  if (!strings.every(key => typeof d[key] === 'string')) return undefined
  if (!isStringArray(d.services)) return undefined
  if (!/^[\x21-\x7e]+$/.test(d.access_token as string)) return undefined
  return {
    access_token: d.access_token as string,
    id: d.id as string,
    name: d.name as string,
    scope: d.scope as string,
    services: d.services,
    expires_at: d.expires_at as string,
    policy: d.policy as string
  }
}

/** `{"error","message"}`, when the body has that shape. */
export function readBrokerErrorBody(body: string): Partial<BrokerErrorBody> {
  try {
    const data = JSON.parse(body) as unknown
    if (typeof data !== 'object' || data === null) return {}
    const d = data as Record<string, unknown>
    return {
      ...(typeof d.error === 'string' ? { error: d.error } : {}),
      ...(typeof d.message === 'string' ? { message: d.message } : {})
    }
  } catch {
    return {}
  }
}
