/**
 * The audit log: one JSON line per decision, on stdout by default. It carries who asked (the
 * verified claims that identify a job), what was decided and why, and the token's id, never a
 * secret: no ID token, no Fastly token, no password. Claims are written only once verified; a
 * refused token contributes nothing of its own. JSON escapes control characters; U+2028/U+2029
 * are escaped too, since some log readers split lines on them.
 */
export const AUDIT_CLAIMS = [
  'repository',
  'ref',
  'environment',
  'workflow',
  'run_id',
  'run_attempt',
  'actor',
  'sha',
  'event_name'
] as const

export interface AuditEntry {
  decision: 'allow' | 'deny'
  /** `minted`, or the refusal's code (`token_expired`, `policy_scope`, `rate_limited`...). */
  reason: string
  status: number
  policy?: string
  claims?: Record<string, unknown>
  token_id?: string
  scope?: string
  services?: string[]
  expires_at?: string
  /** What happened to a token that could not be delivered: `revoked` or `revoke_failed`. */
  undelivered?: 'revoked' | 'revoke_failed'
}

export type AuditSink = (line: string) => void

export function auditLine(entry: AuditEntry, now: Date): string {
  const record: Record<string, unknown> = {
    time: now.toISOString(),
    decision: entry.decision,
    reason: entry.reason,
    status: entry.status
  }
  if (entry.policy !== undefined) record.policy = entry.policy
  for (const claim of AUDIT_CLAIMS) {
    const value = entry.claims?.[claim]
    if (typeof value === 'string') record[claim] = value
  }
  if (entry.token_id !== undefined) record.token_id = entry.token_id
  if (entry.scope !== undefined) record.scope = entry.scope
  if (entry.services !== undefined) record.services = entry.services
  if (entry.expires_at !== undefined) record.expires_at = entry.expires_at
  if (entry.undelivered !== undefined) record.undelivered = entry.undelivered
  return JSON.stringify(record)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
