/**
 * `npm run bench`: the benchmarks of issue 6, side by side with the official client, against the
 * simulator over loopback. Prints one Markdown table per scenario; `--json` prints one JSON object
 * instead. Progress goes to stderr either way, so stdout stays clean for a pipe.
 *
 *   node scripts/bench/index.js [--json] [--quick] [--scenario N]...
 *
 * Scenarios: 1 incident revocation, 2 client overhead, 3 action overhead, 4 leaked values in bulk, 5 the
 * broker. --quick runs fewer
 * repetitions (about a minute in all); the default takes a few minutes on a 2-core machine.
 * Benchmarks, not tests: nothing here passes or fails on a time.
 */
import { availableParallelism, cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import * as action from './action-overhead.js'
import * as broker from './broker.js'
import * as client from './client-overhead.js'
import * as incident from './incident.js'
import * as values from './values.js'
import { runWorker, SimHost } from './processes.js'
import { renderTables } from './table.js'
import { evaluateTargets } from './targets.js'

const SCENARIOS = [
  ['incident', incident],
  ['client', client],
  ['action', action],
  ['values', values],
  ['broker', broker]
]

const USAGE = `usage: node scripts/bench/index.js [--json] [--quick] [--scenario N]...
  --json        one JSON object on stdout instead of the tables
  --quick       fewer repetitions (about a minute)
  --scenario N  only scenario N (1 incident revocation, 2 client overhead, 3 action overhead,
                4 leaked values in bulk, 5 broker); repeatable`

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  })
  const chosen = new Set()
  for (const text of values.scenario ?? []) {
    const n = Number(text)
    if (!Number.isInteger(n) || n < 1 || n > SCENARIOS.length) {
      throw new TypeError(`--scenario: expected 1 to ${SCENARIOS.length}, got ${JSON.stringify(text)}`)
    }
    chosen.add(n)
  }
  return { ...values, scenarios: chosen.size === 0 ? SCENARIOS.map((_, i) => i + 1) : [...chosen].sort() }
}

function describeMachine() {
  const model = cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  return `Node ${process.versions.node}, ${availableParallelism()} cores (${model}), ${Math.round(totalmem() / 2 ** 30)} GiB`
}

async function main() {
  let options
  try {
    options = parseOptions(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const args = process.argv.slice(2)
  const results = {
    meta: {
      date: new Date().toISOString(),
      machine: describeMachine(),
      command: `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
      quick: options.quick
    },
    scenarios: {}
  }
  const host = new SimHost()
  const started = performance.now()
  const progress = message =>
    process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${message}\n`)
  const ctx = { host, quick: options.quick, runWorker, progress }
  try {
    for (const n of options.scenarios) {
      const [name, scenario] = SCENARIOS[n - 1]
      try {
        results.scenarios[name] = await scenario.run(ctx)
      } catch (error) {
        // One broken scenario should not hide the others' figures; the exit code still says so.
        progress(`${name} failed: ${error.stack ?? error}`)
        results.scenarios[name] = { error: error.message ?? String(error) }
        process.exitCode = 1
      }
    }
  } finally {
    await host.stop()
  }
  results.targets = evaluateTargets(results.scenarios)
  results.meta.totalSeconds = Math.round((performance.now() - started) / 1000)
  process.stdout.write(options.json ? `${JSON.stringify(results, null, 2)}\n` : renderTables(results))
}

await main()
