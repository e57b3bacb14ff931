/**
 * The name of a brokered token comes from the verified claims, never from the request, so the
 * Fastly account's token list says where every token went:
 * `gha/<repository>/run-<run_id>-<run_attempt>/<workflow>`. Workflow names are free text: control
 * characters become `?`, and the name is cut to the API's limit (255 characters, the limit the
 * action enforces on its own `name` input; neither the API reference nor the simulator names
 * another). The cut falls in the workflow part, so the repository and run always survive.
 */
export const MAX_TOKEN_NAME_LENGTH = 255

export function brokeredTokenName(claims: {
  repository: string
  run_id: string
  run_attempt: string
  workflow: string
}): string {
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu, '?')
  const name = `gha/${clean(claims.repository)}/run-${clean(claims.run_id)}-${clean(claims.run_attempt)}/${clean(claims.workflow)}`
  const chars = [...name]
  return chars.length <= MAX_TOKEN_NAME_LENGTH ? name : chars.slice(0, MAX_TOKEN_NAME_LENGTH).join('')
}
