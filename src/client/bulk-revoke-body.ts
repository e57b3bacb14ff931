import type { BulkRevokeBody } from '../types.js'
import { encodePathId } from './path-id.js'

/**
 * The JSON:API bulk body of `DELETE /tokens`, byte for byte as go-fastly sends it (recorded):
 * `type` before `id` and a trailing newline. Ids are checked like path ids (same API, same ids)
 * before anything is sent; an empty list or a repeated id is refused, because neither can be what
 * the caller meant and the API's answer to them is not documented.
 */
export function encodeBulkRevokeBody(tokenIds: unknown): string {
  if (!Array.isArray(tokenIds)) throw new TypeError('tokenIds must be an array of token id strings')
  if (tokenIds.length === 0) {
    throw new TypeError('tokenIds is empty: bulkRevokeTokens needs at least one token id to revoke')
  }
  const seen = new Map<string, number>()
  const body: BulkRevokeBody = { data: [] }
  tokenIds.forEach((id: unknown, index) => {
    encodePathId(`tokenIds[${index}]`, id, 'token')
    const first = seen.get(id as string)
    if (first !== undefined) throw new TypeError(`tokenIds[${index}] repeats tokenIds[${first}]`)
    seen.set(id as string, index)
    body.data.push({ type: 'token', id: id as string })
  })
  return `${JSON.stringify(body)}\n`
}
