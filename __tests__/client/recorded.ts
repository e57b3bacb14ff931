/**
 * The recorded go-fastly interactions (see ../fixtures/recorded/README.md), replayed by the
 * scripted server: the client must parse exactly what the real API answered and send what the
 * reference client sent.
 */
import { readFileSync } from 'node:fs'
import type { Reply } from '../http/scripted-server.js'

export interface RecordedInteraction {
  request: {
    method: string
    url: string
    headers: Record<string, string[]>
    body: string
    form: Record<string, string[]>
  }
  response: { status: number; headers: Record<string, string[]>; body: string }
}

export function recorded(name: string): RecordedInteraction[] {
  const file = new URL(`../fixtures/recorded/${name}.json`, import.meta.url)
  return (JSON.parse(readFileSync(file, 'utf8')) as { interactions: RecordedInteraction[] }).interactions
}

/** The recorded answer, headers and body as the API sent them. */
export function replay(interaction: RecordedInteraction): Reply {
  const headers: Record<string, string | string[]> = {}
  for (const [name, values] of Object.entries(interaction.response.headers)) headers[name] = values
  return { status: interaction.response.status, headers, body: interaction.response.body }
}

/** A form body as name -> values, the way go-vcr recorded `form`. */
export function parseForm(body: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, value] of new URLSearchParams(body)) (out[name] ??= []).push(value)
  return out
}
