/**
 * What the demo tells a person when a step did not exit 0. A step that fails on purpose reports
 * why itself (an `::error::` line, then exit 1); anything else (an uncaught exception, a module
 * that does not load, a signal) is a crash, whose only account is on stderr, so that is shown,
 * masked as the runner would mask it, with what to do next.
 */

const NEEDED_MAJOR = 24

/** Every value the step registered with ::add-mask:: (and each line of a multi-line one). */
function maskedValues(commands) {
  const values = commands
    .filter(c => c.command === 'add-mask')
    .flatMap(c => [c.message, ...c.message.split(/\r?\n/)])
    .map(v => v.trim())
    .filter(Boolean)
  return [...new Set(values)].sort((a, b) => b.length - a.length)
}

function masked(text, commands) {
  let out = text
  for (const value of maskedValues(commands)) out = out.replaceAll(value, '***')
  return out
}

const indent = text => text.trimEnd().replace(/^/gm, '  ')

// A crash in a minified bundle quotes its source line: one line of hundreds of kilobytes. Each
// line is cut, and the lines are capped, so the error and its stack stay readable.
const LINE_CHARS = 200
const MAX_LINES = 40

function clipped(text) {
  const lines = text.trimEnd().split(/\r?\n/)
  const shown = lines
    .slice(0, MAX_LINES)
    .map(line =>
      line.length > LINE_CHARS
        ? `${line.slice(0, LINE_CHARS)}… (${line.length - LINE_CHARS} more characters)`
        : line
    )
  if (lines.length > MAX_LINES) shown.push(`… (${lines.length - MAX_LINES} more lines)`)
  return shown.join('\n')
}

/**
 * undefined when the step exited 0; otherwise `{ kind: 'failed' | 'crashed', lines }`, the lines
 * to print. `node` is the version the step ran on (the demo's own, since runStep uses it).
 */
export function stepTrouble(result, { node = process.version } = {}) {
  if (result.exitCode === 0) return undefined
  const stderr = clipped(masked(result.stderr, result.commands))
  const reported = result.exitCode === 1 && result.commands.some(c => c.command === 'error')
  if (reported) {
    const lines = [`${result.step} step failed and said why (its error is in the log above).`]
    if (stderr.trim()) lines.push('Its stderr:', indent(stderr))
    return { kind: 'failed', lines }
  }
  const how = result.signal ? `was killed by ${result.signal}` : `exited ${result.exitCode}`
  const lines = [
    `${result.step} step crashed: it ${how} without reporting a failure of its own.`,
    ...(stderr.trim()
      ? ['Its stderr:', indent(stderr)]
      : ['Its stderr was empty too: the process died before it could say anything.']),
    'What to do:'
  ]
  const major = Number(/^v?(\d+)/.exec(node)?.[1])
  if (major < NEEDED_MAJOR) {
    lines.push(
      `  The step ran on node ${node}; the action's bundles need Node ${NEEDED_MAJOR} (the runner's node24).`,
      '  Run the demo through npm (npm start): npm puts the Node 24 of node_modules/.bin first on PATH.',
      '  If node_modules/.bin/node is missing, run npm ci again without --ignore-scripts.'
    )
  } else {
    lines.push(
      '  If dist/ is missing or was built from other sources: npm run bundle, then npm start again.',
      '  Otherwise it is a bug in the action: report it with the stderr above (secrets are masked).'
    )
  }
  return { kind: 'crashed', lines }
}
