/**
 * Masking: every secret input is registered with the runner (`::add-mask::`) before anything else
 * happens, so that no later line (an error, a debug line, an echo in a user's script) can show it.
 * A multi-line secret is also masked line by line: the runner matches masks within single log lines.
 */
import { cleanPastedValue, looksLikeTokenValue, tokenValuesIn } from '../input/index.js'
import type { Runner } from './runner.js'

/** Inputs whose whole value is secret. */
const SECRET_INPUTS = ['password', 'otp', 'totp-secret', 'api-token'] as const

/** The value and, when it spans lines, each non-blank line of it. */
export function maskPieces(value: string): string[] {
  const pieces = new Set<string>()
  const whole = value.trim()
  if (whole) pieces.add(whole)
  for (const line of value.split(/\r?\n/)) {
    const piece = line.trim()
    if (piece) pieces.add(piece)
  }
  return [...pieces]
}

/** Masks every secret input; returns the number of values masked (for a debug line). */
export function maskSecretInputs(runner: Runner): number {
  const masked = new Set<string>()
  const mask = (value: string) => {
    for (const piece of maskPieces(value)) {
      if (!masked.has(piece)) {
        runner.setSecret(piece)
        masked.add(piece)
      }
    }
  }
  for (const name of SECRET_INPUTS) {
    mask(runner.getInput(name))
    // The raw form too (core.getInput trims): a password is sent exactly as given, blanks and all.
    const raw = runner.getRawInput(name)
    if (raw.trim() !== '' && raw !== raw.trim() && !masked.has(raw)) {
      runner.setSecret(raw)
      masked.add(raw)
    }
  }
  // A TOTP secret may be pasted with blanks or lowercase; mask the form the action will use too.
  const totp = runner.getInput('totp-secret')
  if (totp) mask(totp.replace(/[\s-]/g, '').toUpperCase())
  // Every line, also one the engine will call malformed: a malformed line may still hold a real
  // token. And the value the engine will send once it strips what a paste wraps it in (`"V"`,
  // `KEY=V`, `Bearer V`), with every run of the token alphabet long enough to be a secret.
  for (const line of runner.getRawInput('revoke-token-values').split(/\r?\n/)) {
    mask(line)
    const cleaned = cleanPastedValue(line)
    if (cleaned.kind !== 'malformed') mask(cleaned.value)
    for (const run of tokenValuesIn(line)) mask(run)
  }
  // A leaked value pasted into the ids list by mistake, in any wrapping, must not be echoed.
  for (const entry of runner.getInput('revoke-token-ids').split(/[\s,]+/)) {
    const runs = tokenValuesIn(entry)
    if (runs.length > 0 || looksLikeTokenValue(entry)) mask(entry)
    for (const run of runs) mask(run)
  }
  return masked.size
}

/** Values the action computes or receives that are secret too (the minted token, a computed OTP). */
export function maskValue(runner: Runner, value: string): void {
  for (const piece of maskPieces(value)) runner.setSecret(piece)
}
