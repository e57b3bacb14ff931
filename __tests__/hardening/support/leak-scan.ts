/**
 * The leak scanner every hardening scenario ends with. Stricter than the runner's own masking on
 * purpose: the runner only hides the exact registered value, so a secret printed base64-encoded,
 * URL-encoded or JSON-escaped would reach the log in clear. Here a secret, in any of those forms,
 * may appear in stdout only inside its own `::add-mask::` line; never in stderr, the job summary or
 * an error text; and in the output/state/env files only as the whole value of a key that is its
 * sanctioned home (the minted token's `token` output, `token` state and `FASTLY_API_TOKEN`), and
 * then only if the step masked it.
 */
import { parseFileCommandBlocks } from '../../../scripts/run-action.js'
import type { StepResult } from '../../../scripts/run-action.js'

/** Everything a step leaves behind that a person or a later step could read. */
export interface StepArtifacts {
  stdout: string
  stderr: string
  summary: string
  files: { outputs: string; state: string; env: string }
  /** Any other text to search (an engine report, a thrown error's message and stack). */
  extra?: Record<string, string>
}

/** The keys of each runner file where a secret may sit, as the whole value. */
export interface SecretHomes {
  outputs?: string[]
  state?: string[]
  env?: string[]
}

/** The minted token's sanctioned homes; no other secret has any. */
export const TOKEN_HOMES: SecretHomes = { outputs: ['token'], state: ['token'], env: ['FASTLY_API_TOKEN'] }

export interface SecretSpec {
  value: string | undefined
  homes?: SecretHomes
  /**
   * Also flag any run of this many characters of the secret (a truncated answer quoted in an
   * error would show a prefix of the token it held). Off by default.
   */
  fragmentLength?: number
}

export type Secrets = Record<string, string | undefined | SecretSpec>

/** Below this a "secret" is too short to search for without false alarms (and no test uses one). */
const MIN_SECRET_LENGTH = 4
/** Base64 cores shorter than this would match by chance in the base64-looking token values. */
const MIN_ENCODED_CORE = 6

function escapeCommandData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replaceAll(':', '%3A').replaceAll(',', '%2C')
}

/**
 * The part of base64(prefix + secret) that depends on the secret's bytes alone, for each of the
 * three alignments the secret can have inside a longer encoded text. Whatever surrounds the secret
 * when it is encoded, one of these three cores appears in the encoding.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const cores: string[] = []
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes])
      .toString('base64')
      .replace(/=+$/, '')
    const from = Math.ceil((8 * k) / 6)
    const to = Math.floor((8 * (k + bytes.length)) / 6)
    const core = encoded.slice(from, to)
    if (core.length >= MIN_ENCODED_CORE) {
      cores.push(core, core.replaceAll('+', '-').replaceAll('/', '_'))
    }
  }
  return cores
}

/** Every spelling of a secret this scanner looks for. */
export function secretForms(secret: string): string[] {
  const forms = [
    secret,
    escapeCommandData(secret),
    escapeCommandProperty(secret),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret, 'utf8').toString('hex'),
    ...base64Cores(secret)
  ]
  return [...new Set(forms)].filter(form => form.length >= MIN_SECRET_LENGTH)
}

function fragments(secret: string, length: number): string[] {
  const out = new Set<string>()
  for (let i = 0; i + length <= secret.length; i++) out.add(secret.slice(i, i + length))
  return [...out]
}

/** The pieces a multi-line secret is masked as (the runner matches masks within a line). */
function maskPieces(secret: string): string[] {
  return [secret, ...secret.split(/\r?\n/)].map(p => p.trim()).filter(p => p !== '')
}

function normalise(spec: string | undefined | SecretSpec): SecretSpec {
  return typeof spec === 'object' ? spec : { value: spec }
}

/** Turns each occurrence into `<label>` so a finding can be printed without printing the secret. */
function censor(text: string, forms: string[], label: string): string {
  const sorted = [...forms].sort((a, b) => b.length - a.length)
  let out = text
  for (const form of sorted) out = out.replaceAll(form, `<${label}>`)
  return out.length > 300 ? `${out.slice(0, 300)}…` : out
}

/**
 * Every place a secret shows where it must not, as readable findings (the secret itself censored).
 * An empty list means clean.
 */
export function findLeaks(artifacts: StepArtifacts, secrets: Secrets): string[] {
  const findings: string[] = []
  const lines = artifacts.stdout.split(/\r?\n/)
  for (const [label, raw] of Object.entries(secrets)) {
    const spec = normalise(raw)
    const secret = spec.value
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue
    const forms = [
      ...secretForms(secret),
      ...(spec.fragmentLength ? fragments(secret, spec.fragmentLength) : [])
    ]
    const contains = (text: string) => forms.some(form => text.includes(form))
    const maskLines = new Set(maskPieces(secret).map(piece => `::add-mask::${escapeCommandData(piece)}`))

    let masked = false
    lines.forEach((line, index) => {
      if (maskLines.has(line)) {
        masked = true
        return
      }
      // The runner never shows an add-mask line; one that registers a larger secret (a multi-line
      // password holding this line of it) is not a leak, but it does not mask this one alone either.
      if (line.startsWith('::add-mask::')) return
      if (contains(line)) {
        const when = masked ? 'after its add-mask' : 'before any add-mask'
        findings.push(`${label} in stdout line ${index + 1} (${when}): ${censor(line, forms, label)}`)
      }
    })
    if (contains(artifacts.stderr))
      findings.push(`${label} in stderr: ${censor(artifacts.stderr, forms, label)}`)
    if (contains(artifacts.summary)) findings.push(`${label} in the job summary`)
    for (const [where, text] of Object.entries(artifacts.extra ?? {})) {
      if (contains(text)) findings.push(`${label} in ${where}: ${censor(text, forms, label)}`)
    }

    const homes = spec.homes ?? {}
    for (const file of ['outputs', 'state', 'env'] as const) {
      const text = artifacts.files[file]
      if (!contains(text)) continue
      let blocks: Array<[string, string]>
      try {
        blocks = parseFileCommandBlocks(text)
      } catch {
        findings.push(`${label} in the ${file} file, which is not a valid file-command file`)
        continue
      }
      let rest = text
      let flagged = false
      for (const [key, value] of blocks) {
        if (contains(key)) {
          flagged = true
          findings.push(`${label} in a key of the ${file} file`)
        }
        if (!contains(value)) continue
        if ((homes[file] ?? []).includes(key) && value === secret) {
          rest = rest.replace(`\n${value}\n`, '\n\n')
          if (!masked) findings.push(`${label} written to ${file} "${key}" but never masked by this step`)
        } else {
          flagged = true
          findings.push(`${label} in ${file} "${key}": ${censor(value, forms, label)}`)
        }
      }
      // Whatever the block parser did not see (a broken delimiter, text outside blocks) counts too.
      if (!flagged && contains(rest)) findings.push(`${label} in the ${file} file outside its blocks`)
    }
  }
  return findings
}

/** A step's artifacts, as the runner emulation returns them. */
export function artifactsOf(step: StepResult, extra?: Record<string, string>): StepArtifacts {
  return {
    stdout: step.stdout,
    stderr: step.stderr,
    summary: step.summary,
    files: { outputs: step.raw.output, state: step.raw.state, env: step.raw.env },
    ...(extra ? { extra } : {})
  }
}
