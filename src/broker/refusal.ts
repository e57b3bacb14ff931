/** A refused token request, as the caller sees it: `{"error","message"}` with a status. */
export class Refusal extends Error {
  override name = 'Refusal'
  readonly status: number
  /** The `error` field: a fixed code, also the metrics label and the audit reason. */
  readonly code: string
  readonly retryAfterS?: number

  constructor(status: number, code: string, message: string, retryAfterS?: number) {
    super(message)
    this.status = status
    this.code = code
    if (retryAfterS !== undefined) this.retryAfterS = retryAfterS
  }
}
