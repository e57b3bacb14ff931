/**
 * The one JSON shape of `--json` for every run that settles tokens: revoke by id, by value
 * (`--current` too), and audit (with or without --revoke-matching). Versioned, so a script can
 * check `version` and fail loudly on a shape it was not written for. docs/cli.md shows an example.
 *
 *   version     1 (bumped on any change a script could trip over)
 *   mode        "ids" | "values" | "audit"
 *   dryRun      true when nothing was written
 *   counts      outcome -> how many (only outcomes that occur)
 *   outcomes    one per input (ids, values) or match (audit), input order:
 *               { id?, position?, name?, owner?, type?, outcome, verified?, reason? }
 *               id: the token id (for a value, once a read named it); position: a value's 1-based
 *               place in the input (values are never printed); owner: the user id; type: "user"
 *               or "automation" where known. An audit without --revoke-matching has outcome
 *               "matched" for each match.
 *   writes, reads   requests spent
 *   learnedCap  the bulk size the server accepted, only when a size refusal taught it
 *   leftIds / leftPositions   what a second run has to do, when anything is left
 *   notes       what the responder should know (a refused customer list, a slow plan)
 *   scanned, tokens   audit only: tokens examined, and the full records of the matches
 *
 * The id reader (src/revoke/id-document.ts) takes this shape back: the ids of `outcomes`.
 */
import type { LeakedValuesReport, RevokeReport } from '../revoke/index.js'
import type { Token } from '../types.js'

export const JSON_REPORT_VERSION = 1

/** Unset fields (undefined) are left out of the output. */
export interface JsonOutcome {
  id?: string | undefined
  position?: number | undefined
  name?: string | undefined
  owner?: string | undefined
  type?: string | undefined
  outcome: string
  verified?: boolean | undefined
  reason?: string | undefined
}

export interface JsonReport {
  version: typeof JSON_REPORT_VERSION
  mode: 'ids' | 'values' | 'audit'
  dryRun: boolean
  counts: Record<string, number>
  outcomes: JsonOutcome[]
  writes?: number
  reads?: number
  learnedCap?: number
  leftIds?: string[]
  leftPositions?: number[]
  notes?: string[]
  scanned?: number
  tokens?: Token[]
}

/** A token's type where the record says it (automation tokens carry `type`), else a user's. */
function tokenType(token: Token | undefined): string | undefined {
  if (!token) return undefined
  return (token as { type?: string }).type ?? 'user'
}

function counted(outcomes: readonly JsonOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const o of outcomes) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1
  return counts
}

const FIELD_ORDER = ['id', 'position', 'name', 'owner', 'type', 'outcome', 'verified', 'reason'] as const

/** The fields that are set, in one fixed order, so every run's output reads the same. */
function outcome(fields: JsonOutcome): JsonOutcome {
  const out: Record<string, unknown> = {}
  for (const key of FIELD_ORDER) if (fields[key] !== undefined) out[key] = fields[key]
  return out as unknown as JsonOutcome
}

function base(
  mode: JsonReport['mode'],
  dryRun: boolean,
  outcomes: JsonOutcome[],
  requests?: { writes: number; reads: number; learnedCap?: number; capFound?: boolean; notes?: string[] }
): JsonReport {
  const report: JsonReport = {
    version: JSON_REPORT_VERSION,
    mode,
    dryRun,
    counts: counted(outcomes),
    outcomes
  }
  if (requests) {
    report.writes = requests.writes
    report.reads = requests.reads
    if (requests.capFound === true && requests.learnedCap !== undefined)
      report.learnedCap = requests.learnedCap
    if (requests.notes && requests.notes.length > 0) report.notes = requests.notes
  }
  return report
}

/** `revoke --id/--ids-file`, and the revoke part of an audit: names and owners from `known`. */
export function idsJson(
  report: RevokeReport,
  run: { dryRun: boolean },
  known?: ReadonlyMap<string, Token>
): JsonReport {
  const outcomes = report.outcomes.map(o => {
    const token = known?.get(o.id)
    return outcome({
      id: o.id,
      name: o.name ?? token?.name,
      owner: o.owner ?? token?.user_id,
      type: o.type ?? tokenType(token),
      outcome: o.outcome,
      verified: o.verified,
      reason: o.reason
    })
  })
  const json = base('ids', run.dryRun, outcomes, report)
  if (report.leftIds.length > 0) json.leftIds = report.leftIds
  return json
}

/** `revoke --value` and `--current`: values by position only. */
export function valuesJson(
  outcomes: LeakedValuesReport['outcomes'],
  run: { dryRun: boolean },
  report?: Pick<LeakedValuesReport, 'writes' | 'reads' | 'learnedCap' | 'notes' | 'leftPositions'>
): JsonReport {
  const rows = outcomes.map(o =>
    outcome({
      id: o.tokenId,
      position: o.index + 1,
      name: o.name,
      owner: o.userId,
      outcome: o.outcome,
      verified: o.verified,
      reason: o.reason
    })
  )
  // A values report's learnedCap is set only when a refusal taught it.
  const json = base(
    'values',
    run.dryRun,
    rows,
    report && { ...report, capFound: report.learnedCap !== undefined }
  )
  if (report && report.leftPositions.length > 0) json.leftPositions = report.leftPositions
  return json
}

/** `audit`: each match, "matched" or what the revocation did to it, plus the full records. */
export function auditJson(
  result: { matches: Token[]; scanned: number },
  revoke?: { report: RevokeReport; dryRun: boolean }
): JsonReport {
  const known = new Map(result.matches.map(t => [t.id, t]))
  let json: JsonReport
  if (revoke) {
    json = { ...idsJson(revoke.report, revoke, known), mode: 'audit' }
  } else {
    const outcomes = result.matches.map(t =>
      outcome({ id: t.id, name: t.name, owner: t.user_id, type: tokenType(t), outcome: 'matched' })
    )
    json = base('audit', true, outcomes)
  }
  json.scanned = result.scanned
  json.tokens = result.matches
  return json
}
