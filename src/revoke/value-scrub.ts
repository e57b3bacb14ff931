/**
 * A leaked value out of a text meant for a report: the client redacts its own secrets already,
 * and this is the second belt for text that came back from the API or was built around a value.
 */
export function scrubValue(text: string, value: string): string {
  return value.length > 0 ? text.split(value).join('***') : text
}
