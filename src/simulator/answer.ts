/**
 * What a route decides; the server turns it into bytes. `body` undefined means no body and no
 * Content-Type (the 204s), anything else is sent as application/json.
 */
export interface Answer {
  status: number
  body?: unknown
}

export function jsonAnswer(status: number, body: unknown): Answer {
  return { status, body }
}

export function noContent(): Answer {
  return { status: 204 }
}

export function isAnswer(value: object): value is Answer {
  return 'status' in value
}
