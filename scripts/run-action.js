/**
 * Runs the action's bundled steps the way a GitHub Actions runner does, for the end-to-end tests
 * and `npm start`: one child process per step (`node dist/<step>/index.js`), inputs as INPUT_<NAME>
 * variables with action.yml's defaults filled in, fresh GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV /
 * GITHUB_STEP_SUMMARY files per step, the main step's saved state handed to post as STATE_<name>,
 * and the stdout workflow-command stream parsed back. Plain JavaScript so that it runs without a
 * build, exactly like the runner runs dist/.
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The runner's name for an input's variable: blanks to `_`, upper-cased, hyphens kept. */
function inputVariable(name) {
  return `INPUT_${name.replaceAll(' ', '_').toUpperCase()}`
}

/**
 * The `inputs:` defaults of an action.yml. A deliberately small reader for the shape this
 * repository's action.yml has (two-space indentation, `default:` scalars), not a YAML parser.
 */
export function readInputDefaults(actionYmlText) {
  const defaults = {}
  let inInputs = false
  let current
  for (const line of actionYmlText.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inInputs = line.startsWith('inputs:')
      continue
    }
    if (!inInputs) continue
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line)
    if (name) {
      current = name[1]
      continue
    }
    const def = /^ {4}default:\s*(.*)$/.exec(line)
    if (def && current) {
      let value = def[1].trim()
      if (/^'.*'$/.test(value)) value = value.slice(1, -1).replaceAll("''", "'")
      else if (/^".*"$/.test(value)) value = JSON.parse(value)
      defaults[current] = value
    }
  }
  return defaults
}

/** `name<<delimiter` blocks (and plain `name=value` lines) of a file command file, in order, repeats kept. */
export function parseFileCommandBlocks(text) {
  const blocks = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const body = []
      i++
      while (i < lines.length && lines[i] !== delimiter) body.push(lines[i++])
      if (i >= lines.length) throw new Error(`unterminated file command block for ${name}`)
      blocks.push([name, body.join('\n')])
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) throw new Error(`malformed file command line: ${line.slice(0, 40)}`)
    blocks.push([line.slice(0, eq), line.slice(eq + 1)])
  }
  return blocks
}

/** The values as the runner ends up with them: the last block of a name wins. */
function parseFileCommands(text) {
  return Object.fromEntries(parseFileCommandBlocks(text))
}

function unescapeData(text) {
  return text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%')
}

function unescapeProperty(text) {
  return unescapeData(text.replaceAll('%3A', ':').replaceAll('%2C', ','))
}

/** One stdout line as the runner reads it: a workflow command, or plain log text. */
function parseLine(line) {
  const match = /^::([A-Za-z][A-Za-z0-9-]*)(?: ([^:]*))?::(.*)$/.exec(line)
  if (!match) return { command: undefined, message: line, raw: line }
  const properties = {}
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=')
    if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1))
  }
  return { command: match[1], properties, message: unescapeData(match[3]), raw: line }
}

/**
 * The log as the runner would show it: masks applied (each registered value, and each line of a
 * multi-line one, becomes ***), add-mask lines hidden, debug lines shown only in debug mode.
 */
function renderLog(stdout, { debug = false } = {}) {
  const secrets = []
  const shown = []
  for (const line of stdout.split(/\r?\n/)) {
    if (line === '') continue
    const parsed = parseLine(line)
    if (parsed.command === 'add-mask') {
      for (const piece of [parsed.message, ...parsed.message.split(/\r?\n/)]) {
        if (piece.trim()) secrets.push(piece.trim())
      }
      secrets.sort((a, b) => b.length - a.length)
      continue
    }
    if (parsed.command === 'debug' && !debug) continue
    let text =
      parsed.command === undefined
        ? parsed.message
        : parsed.command === 'group'
          ? `▶ ${parsed.message}`
          : parsed.command === 'endgroup'
            ? ''
            : `${parsed.command === 'debug' ? '##[debug]' : `${parsed.command[0].toUpperCase()}${parsed.command.slice(1)}: `}${parsed.message}`
    if (text === '') continue
    for (const secret of secrets) text = text.replaceAll(secret, '***')
    shown.push(text)
  }
  return shown.join('\n')
}

/**
 * Runs one step. `state` is what the main step saved (post only); `env` adds to (or, with a value
 * of undefined, removes from) the runner-like environment; `signalWhen: { signal, line }` signals the
 * step, as a runner does on cancellation, once its stdout matches `line`. Resolves, never rejects on a failing step.
 */
export async function runStep({
  step,
  inputs = {},
  env = {},
  state = {},
  debug = false,
  cwd = ROOT,
  dist = join(ROOT, 'dist'),
  actionYml = join(ROOT, 'action.yml'),
  timeoutMs = 120_000,
  signalWhen
}) {
  if (step !== 'main' && step !== 'post') throw new Error(`step must be main or post, got ${step}`)
  const dir = mkdtempSync(join(tmpdir(), `fta-${step}-`))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')

  // A clean, runner-like environment: nothing of the caller's (no FASTLY_API_TOKEN, no proxies) leaks in.
  const childEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_JOB: 'deploy',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_WORKSPACE: cwd,
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    ...files
  }
  if (debug) {
    childEnv.ACTIONS_STEP_DEBUG = 'true'
    childEnv.RUNNER_DEBUG = '1'
  }
  const defaults = readInputDefaults(readFileSync(actionYml, 'utf8'))
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) {
    if (value !== undefined) childEnv[inputVariable(name)] = String(value)
  }
  if (step === 'post') for (const [name, value] of Object.entries(state)) childEnv[`STATE_${name}`] = value
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name]
    else childEnv[name] = value
  }

  const started = performance.now()
  // stderr goes to a file, not a pipe: node prints a fatal exception with blocking-unaware writes
  // that lose the middle of a long text on a full pipe (the error line after a minified bundle's
  // source line), and that text is all a crash leaves behind.
  const errFile = join(dir, 'stderr')
  const errFd = openSync(errFile, 'w')
  const child = spawn(process.execPath, [join(dist, step, 'index.js')], {
    cwd,
    env: childEnv,
    stdio: ['pipe', 'pipe', errFd]
  })
  closeSync(errFd)
  const out = []
  child.stdout.on('data', chunk => out.push(chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  // A cancelled job: the runner signals the step while it runs (here: once a given line shows).
  let signalled = false
  if (signalWhen) {
    child.stdout.on('data', () => {
      if (!signalled && signalWhen.line.test(Buffer.concat(out).toString('utf8'))) {
        signalled = true
        child.kill(signalWhen.signal)
      }
    })
  }
  const [exitCode, signal] = await new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, sig) => resolve([code, sig]))
  })
  clearTimeout(timer)
  const durationMs = performance.now() - started

  const raw = {
    output: readFileSync(files.GITHUB_OUTPUT, 'utf8'),
    state: readFileSync(files.GITHUB_STATE, 'utf8'),
    env: readFileSync(files.GITHUB_ENV, 'utf8'),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
  }
  const stderr = readFileSync(errFile, 'utf8')
  rmSync(dir, { recursive: true, force: true })
  const stdout = Buffer.concat(out).toString('utf8')
  return {
    step,
    exitCode,
    signal,
    durationMs,
    stdout,
    stderr,
    raw,
    outputs: parseFileCommands(raw.output),
    state: parseFileCommands(raw.state),
    env: parseFileCommands(raw.env),
    summary: raw.summary,
    commands: stdout
      .split(/\r?\n/)
      .filter(line => line !== '')
      .map(parseLine),
    log: renderLog(stdout, { debug })
  }
}

/** A job: main, then post with main's state (post always runs, as under `always()`). */
export async function runJob(options) {
  const main = await runStep({ ...options, step: 'main' })
  const post = await runStep({ ...options, ...options.post, step: 'post', state: main.state })
  return { main, post }
}
