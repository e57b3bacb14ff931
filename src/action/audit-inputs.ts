/**
 * The inputs of `mode: audit`: the filters handed to the engine's auditTokens, and revoke-matching.
 * In token mode each of them is refused, so a filter set by mistake never goes unnoticed.
 */
import { parseDateOrAge, parseDayCount, parseScope } from '../input/index.js'
import type { AuditFilter } from '../revoke/index.js'
import type { InputReader } from './input-reader.js'

const FILTER_INPUTS = [
  'audit-name',
  'audit-scope',
  'audit-created-before',
  'audit-expired',
  'audit-unused-days',
  'audit-never-expires'
] as const

export interface AuditConfig {
  filter: AuditFilter
  revokeMatching: boolean
}

export function parseAuditInputs(input: InputReader, now: number): AuditConfig {
  const filter: AuditFilter = {}
  const nameGlob = input.read('audit-name')
  if (nameGlob) filter.nameGlob = nameGlob
  const scopeText = input.read('audit-scope')
  if (scopeText) {
    const scope = parseScope(scopeText)
    if (scope.ok) filter.scope = scope.value
    else input.fail('audit-scope', scope.problem)
  }
  const createdBefore = input.read('audit-created-before')
  if (createdBefore) {
    const date = parseDateOrAge(createdBefore, now)
    if (date.ok) filter.createdBefore = date.value
    else input.fail('audit-created-before', date.problem)
  }
  const expired = input.optionalBool('audit-expired')
  if (expired !== undefined) filter.expired = expired
  const neverExpires = input.optionalBool('audit-never-expires')
  if (neverExpires !== undefined) filter.neverExpires = neverExpires
  const unused = input.read('audit-unused-days')
  if (unused) {
    const days = parseDayCount(unused)
    if (days.ok) filter.unusedForDays = days.value
    else input.fail('audit-unused-days', days.problem)
  }
  const revokeMatching = input.bool('revoke-matching', false)
  if (revokeMatching && Object.keys(filter).length === 0) {
    input.fail(
      'revoke-matching',
      'needs at least one audit filter (audit-name, audit-scope, ...): it would revoke every token'
    )
  }
  return { filter, revokeMatching }
}

/** Token mode: every audit input must be unset. */
export function refuseAuditInputs(input: InputReader): void {
  for (const name of FILTER_INPUTS) if (input.read(name)) input.fail(name, 'only used with mode: audit')
  if (input.bool('revoke-matching', false)) input.fail('revoke-matching', 'only used with mode: audit')
}
