/**
 * Reading the config: YAML (JSON is valid YAML) through the `yaml` package's core schema, so
 * `on`/`yes` stay strings and a duplicate key is an error instead of a silent override. Before
 * any other check the whole tree is searched for a key that looks like a credential: the minting
 * secret comes from the environment only, and a password committed in a config file is exactly
 * the long-lived secret the broker exists to remove.
 */
import { readFile } from 'node:fs/promises'
import { parseDocument } from 'yaml'
import { readConfig } from './config-check.js'
import { ConfigError, type BrokerConfig } from './config.js'

const CREDENTIAL_KEY =
  /pass(word|wd)?|secret|totp|otp|credential|api[-_]?(key|token)|private[-_]?key|^token$|^username$/i

function findCredentialKey(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, entry] of value.entries()) {
      const found = findCredentialKey(entry, `${path}[${i}]`)
      if (found !== undefined) return found
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) {
      const here = path === '' ? key : `${path}.${key}`
      if (CREDENTIAL_KEY.test(key)) return here
      const found = findCredentialKey(entry, here)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** Parses YAML text; `file` names the source in every message. */
export function parseConfigText(source: string, file: string): BrokerConfig {
  const doc = parseDocument(source, { schema: 'core', uniqueKeys: true, prettyErrors: true })
  const problem = doc.errors[0]
  if (problem !== undefined) {
    const line = problem.linePos?.[0]
    throw new ConfigError(`${file}${line ? `:${line.line}` : ''}: not valid YAML (${problem.code})`)
  }
  return checkedConfig(doc.toJS({ maxAliasCount: 100 }), file)
}

/** An already parsed config (the `config` option of startBroker). */
export function checkedConfig(value: unknown, file: string): BrokerConfig {
  const credential = findCredentialKey(value, '')
  if (credential !== undefined) {
    throw new ConfigError(
      `${file}: ${credential}: looks like a credential; the broker reads its Fastly credential only from ` +
        'FASTLY_BROKER_USERNAME, FASTLY_BROKER_PASSWORD and FASTLY_BROKER_TOTP_SECRET'
    )
  }
  return readConfig(value, file)
}

export async function loadConfigFile(path: string): Promise<BrokerConfig> {
  let source: string
  try {
    source = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable'
    throw new ConfigError(`${path}: cannot read the config file (${code})`)
  }
  return parseConfigText(source, path)
}
