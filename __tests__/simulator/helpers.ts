/**
 * Plain HTTP against a running simulator (undici's request, nothing of the project's client),
 * plus readers for the recorded fixtures and a shape descriptor to compare bodies with them.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import type { CreatedToken } from '../../src/types.js'
import type { Simulator, SimulatorOptions } from '../../src/simulator/index.js'
import { startSimulator } from '../../src/simulator/index.js'
import { decodeBase32, totpAt } from '../../src/simulator/totp.js'

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json(): unknown
}

export interface CallOptions {
  key?: string
  headers?: Record<string, string>
  form?: Record<string, string | string[]>
  json?: unknown
  body?: string
}

export async function call(
  sim: Simulator,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<Reply> {
  // Like every real client, send a User-Agent (undici's request sends none by itself).
  const headers: Record<string, string> = { 'user-agent': 'simulator-tests/1.0', ...options.headers }
  if (options.key !== undefined) headers['fastly-key'] = options.key
  let body: string | undefined = options.body
  if (options.form) {
    const form = new URLSearchParams()
    for (const [name, value] of Object.entries(options.form)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(name, item)
    }
    body = form.toString()
    headers['content-type'] ??= 'application/x-www-form-urlencoded'
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers['content-type'] ??= 'application/json'
  }
  const response = await request(sim.url + path, { method: method as 'GET', headers, body })
  const text = await response.body.text()
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as unknown
  }
}

/** Form fields of the demo user's password grant. */
export const DEMO_LOGIN = { username: 'demo@example.com', password: 'demo-password' }
export const ADMIN_LOGIN = { username: 'admin@example.com', password: 'admin-password' }

/** Mints a token through HTTP with a password grant. */
export async function createViaPassword(
  sim: Simulator,
  form: Record<string, string | string[]> = {},
  login = DEMO_LOGIN
): Promise<CreatedToken> {
  const reply = await call(sim, 'POST', '/tokens', { form: { ...login, name: 'test token', ...form } })
  if (reply.status !== 200) throw new Error(`create failed: ${reply.status} ${reply.text}`)
  return reply.json() as CreatedToken
}

export function bulkBody(ids: string[]): string {
  return JSON.stringify({ data: ids.map(id => ({ type: 'token', id })) })
}

export const BULK_HEADERS = { 'content-type': 'application/vnd.api+json; ext=bulk' }

export function otpFor(secret: string, atMs: number): string {
  return totpAt(decodeBase32(secret), atMs)
}

/** A simulator on a fixed clock (2021-11-02T18:46:13Z, the recorded create time) unless told otherwise. */
export const START_MS = Date.UTC(2021, 10, 2, 18, 46, 13)

export function fixedClock(start = START_MS): { now(): number } {
  return { now: () => start }
}

export async function withSim<T>(options: SimulatorOptions, run: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ clock: fixedClock(), ...options })
  try {
    return await run(sim)
  } finally {
    await sim.close()
  }
}

// ---- recorded fixtures -------------------------------------------------------------------

interface Interaction {
  request: { method: string; url: string; headers: Record<string, string[]>; body: string }
  response: { status: number; headers: Record<string, string[]>; body: string }
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'recorded')

export function recorded(name: string): Interaction[] {
  const parsed = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as {
    interactions: Interaction[]
  }
  return parsed.interactions
}

/** A response header from a fixture, by case-insensitive name. */
export function recordedHeader(interaction: Interaction, name: string): string | undefined {
  const key = Object.keys(interaction.response.headers).find(k => k.toLowerCase() === name.toLowerCase())
  return key ? interaction.response.headers[key]![0] : undefined
}

/**
 * The shape of a JSON value: for objects the keys in order with the kind of each value, for
 * arrays the shape of the first element. `null` and strings are different kinds, so a field
 * that is null in the record must be null here too.
 */
export type Shape = string | Shape[] | { [key: string]: Shape }

export function shapeOf(value: unknown): Shape {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])]
  if (typeof value === 'object') {
    const shape: Record<string, Shape> = {}
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) shape[key] = shapeOf(item)
    return shape
  }
  return typeof value
}

/** Keys in order, to compare orders (toEqual ignores key order). */
export function keysOf(value: unknown): string[] {
  return Object.keys(value as object)
}
