/**
 * The human-readable report: one Markdown table per scenario (so a run can be pasted into the
 * docs/performance.md as is), each row with our figure, the peers' and the floor's from the same run.
 * Times are `median (min–max)`: the spread is the machine's noise.
 */
import { formatCount, formatMiB, formatMs, formatRatio, formatSummary } from './stats.js'

function table(headers, rows) {
  const line = cells => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}

function incident(r) {
  const s = r.setup
  const o = r.ours
  const outcomes = Object.entries(o.outcomes)
    .filter(([kind]) => kind !== 'revoked')
    .map(([kind, n]) => `${formatCount(n)} ${kind}`)
    .join(', ')
  const bulk = r.officialBulk
  const one = r.officialOneByOne
  return [
    `### 1. Incident revocation`,
    '',
    `${formatCount(s.ids)} ids (${formatCount(s.bogus)} well-formed but unknown), ${s.latencyMs} ms added per request, ` +
      `bulk cap ${s.maxBulkIds} (not told to the clients), ${s.bulkPolicy}, ${formatCount(s.writeLimitPerHour)} writes/hour; ` +
      `a fresh simulator per run, ${s.runs} runs each. Each client runs in a fresh process; an idle one (Node and undici ` +
      `loaded) peaks at ${formatMiB(s.idleWorkerRssKiB)}.`,
    '',
    table(
      ['who', 'revoked (verified)', 'write requests', 'reads', 'wall time', 'peak RSS', 'vs floor'],
      [
        [
          'ours: `revokeMany`',
          `${formatCount(o.revokedPerSimulator)} of ${formatCount(s.good)} (${formatCount(o.verified)} verified); ${outcomes}`,
          `${formatCount(o.writes.median)} (cap learned: ${o.learnedCap ?? 'n/a'})`,
          formatCount(o.reads),
          formatSummary(o.wallMs),
          formatMiB(o.maxRssKiB.median),
          `writes ${formatRatio(o.writesVsFloor)}, time ${formatRatio(o.timeVsMeasuredFloor)}`
        ],
        [
          'floor: told the cap, bare undici',
          `${formatCount(r.floor.measured.runs.at(-1).revokedPerSimulator)} (list after)`,
          formatCount(r.floor.writes),
          '2',
          `${formatSummary(r.floor.measured.wallMs)}; latency alone ${formatMs(r.floor.latencyMs)}`,
          formatMiB(r.floor.measured.maxRssKiB.median),
          '1.00x'
        ],
        [
          'official `fastly`: `bulkRevokeTokens`, all ids in one request',
          `${formatCount(bulk.revoked)}: HTTP ${bulk.answer.status ?? 'none'} "${bulk.answer.message ?? ''}"`,
          formatCount(bulk.writes),
          '0',
          formatSummary(bulk.wallMs),
          formatMiB(bulk.maxRssKiB.median),
          'revokes nothing'
        ],
        [
          'official `fastly`: `revokeToken`, one id per request',
          `${formatCount(one.revoked)} of ${formatCount(s.good)} after ${formatCount(one.sent - (one.stoppedBy ? 1 : 0))} requests ` +
            `(${formatCount(one.notFound)} 404), then ${one.stoppedBy ? `HTTP ${one.stoppedBy.status}` : 'done'}`,
          formatCount(one.writes),
          '0',
          `${formatSummary(one.wallMs)}; all ${formatCount(s.ids)}: ≈ ${formatMs(one.extrapolatedMs)} (${one.windowsNeeded} hourly windows)`,
          formatMiB(one.maxRssKiB.median),
          `needs ${formatCount(s.ids)} writes: ${formatRatio(s.ids / r.floor.writes)}`
        ]
      ]
    )
  ].join('\n')
}

function client(r) {
  const s = r.setup
  const row = (label, f, floor) => [
    label,
    formatSummary(f.sequentialMicrosPerRequest, us => `${us.toFixed(0)} µs`),
    floor ? '1.00x' : formatRatio(f.sequentialVsFloor),
    formatSummary(f.concurrentRequestsPerSecond, n => formatCount(Math.round(n))),
    floor ? '1.00x' : formatRatio(f.concurrentVsFloor),
    `${f.sequentialCpuMicrosPerRequest.median.toFixed(0)} µs / ${f.concurrentCpuMicrosPerRequest.median.toFixed(0)} µs` +
      (floor ? '' : ` (${formatRatio(f.sequentialCpuVsFloor)} / ${formatRatio(f.concurrentCpuVsFloor)})`)
  ]
  return [
    `### 2. Client overhead`,
    '',
    `GET /tokens/self, ${formatCount(s.requests)} in a row and ${formatCount(s.requests)} with ${s.inFlight} in flight, no added ` +
      `latency; the simulator in its own process; each client in a fresh process (${formatCount(s.warmup)} requests of warm-up), ` +
      `${s.rounds} rounds in rotating order. "vs floor" compares the wall time for the ${formatCount(s.requests)} requests.`,
    '',
    table(
      [
        'client',
        'in a row: time per request',
        'vs floor',
        `${s.inFlight} in flight: requests/s`,
        'vs floor',
        'client CPU per request, in a row / in flight'
      ],
      [
        row('floor: bare `undici.request` + JSON parse', r.bare, true),
        row('ours: `getTokenCurrent`', r.ours),
        row('official `fastly`: `getTokenCurrent`', r.official)
      ]
    ),
    '',
    `Ours vs the official client (wall time): ${formatRatio(r.oursVsOfficial.sequential)} in a row, ` +
      `${formatRatio(r.oursVsOfficial.concurrent)} with ${s.inFlight} in flight. ` +
      `The simulator served ${formatSummary(r.simulator.servedRequestsPerSecond, n => formatCount(Math.round(n)))} requests/s ` +
      `to the bare loop with ${s.inFlight} in flight, at ${r.simulator.cpuMicrosPerRequest.median.toFixed(0)} µs of its own CPU per ` +
      `request (≈ ${formatCount(r.simulator.capacityPerCore)} requests/s per core).`
  ].join('\n')
}

function action(r) {
  const w = r.wallMs
  const kib = bytes => `${(bytes / 1024).toFixed(0)} KiB`
  const size = b => b.files.map(f => `${f.name} ${kib(f.bytes)}`).join(', ')
  return [
    `### 3. Action overhead`,
    '',
    `Each step run as the runner runs it (child process, INPUT_* variables, runner files) against the simulator ` +
      `(own process, no latency), ${r.setup.reps} rounds; the floor bundle was ${r.setup.floorBuild}.`,
    '',
    table(
      ['process', 'wall time', 'vs `node -e 0`', 'vs floor', 'bundle'],
      [
        ['`node -e 0`', formatSummary(w.bare), '1.00x', formatRatio(r.ratios.bareVsFloor), '-'],
        [
          'floor: ncc -m bundle of @actions/core + one undici request',
          formatSummary(w.floor),
          formatRatio(r.ratios.floorVsBare),
          '1.00x',
          size(r.bundles.floor)
        ],
        [
          'the same floor bundle making two requests, as main does',
          formatSummary(w.floor2),
          formatRatio(r.ratios.twoRequestFloorVsBare),
          formatRatio(r.ratios.twoRequestFloorVsFloor),
          'same'
        ],
        [
          'dist/main: mint, verify, outputs',
          formatSummary(w.main),
          formatRatio(r.ratios.mainVsBare),
          `${formatRatio(r.ratios.mainVsFloor)} (${formatRatio(r.ratios.mainVsTwoRequestFloor)} of the two-request floor)`,
          size(r.bundles.main)
        ],
        [
          'dist/post: revoke with DELETE /tokens/self',
          formatSummary(w.post),
          formatRatio(r.ratios.postVsBare),
          formatRatio(r.ratios.postVsFloor),
          size(r.bundles.post)
        ]
      ]
    )
  ].join('\n')
}

function values(r) {
  const s = r.setup
  const row = (label, f) => [
    label,
    `${formatCount(f.revokedPerSimulator)} of ${formatCount(s.values)} (${formatCount(f.verified)} verified)`,
    formatCount(f.writes.median),
    formatSummary(f.wallMs),
    formatMiB(f.maxRssKiB.median)
  ]
  return [
    `### 4. Leaked values in bulk`,
    '',
    `${formatCount(s.values)} leaked values of ${s.owners} owners, ${s.latencyMs} ms added per request, bulk cap ${s.maxBulkIds} ` +
      `(not told to the client), 1,000 writes per user per hour; a fresh simulator per run. Target: at most ` +
      `ceil(${formatCount(s.values)} / cap) + 2 = ${s.targetWrites} writes.`,
    '',
    table(
      ['who', 'revoked (verified)', 'write requests', 'wall time', 'peak RSS'],
      [
        row('ours: `revokeValues` with an admin token (read each value, revoke the ids in bulk)', r.bulk),
        row('one write per value: `revokeValues` without one (each value revokes itself)', r.oneByOne)
      ]
    ),
    '',
    `With the admin token: ${formatCount(r.bulk.writes.median)} writes instead of ${formatCount(r.oneByOne.writes.median)}, ` +
      `in ${formatRatio(r.bulkVsOneByOne.time)} of the time (cap learned: ${r.bulk.learnedCap ?? 'n/a'}).`
  ].join('\n')
}

function broker(r) {
  const s = r.setup
  const v = r.verification
  const perSecond = value => `${formatCount(Math.round(value))}/s`
  const rows = s.latenciesMs.map(latency => {
    const b = r.byLatency[latency]
    return [
      `${latency} ms`,
      formatSummary(b.directMsPerMint),
      formatSummary(b.brokerMsPerMint),
      `${formatSummary(b.directMintsPerSecond, perSecond)} / ${formatSummary(b.brokerMintsPerSecond, perSecond)}`,
      formatRatio(b.brokerVsDirect),
      formatSummary(b.brokerCpuMicrosPerMint, us => `${us.toFixed(0)} µs`)
    ]
  })
  return [
    '### 5. The keyless broker',
    '',
    `${formatCount(s.mints)} mints with ${s.inFlight} in flight after ${formatCount(s.warmup)} of warm-up, ${s.rounds} rounds ` +
      'alternating the order; the simulator and the broker each in a process of their own, the caller in a fresh worker; ' +
      'ID tokens signed before timing. "direct": `createToken` to the simulator; "broker": `requestBrokerToken`, ' +
      'which verifies, matches the policy and mints through the same client.',
    '',
    table(
      [
        'simulator latency',
        'direct: time per mint',
        'broker: time per mint',
        'mints/s direct / broker',
        'broker vs direct',
        'broker CPU per mint'
      ],
      rows
    ),
    '',
    `ID-token verification (RS256, key cached) on one core: ${formatSummary(v.perSecond, perSecond)}, ` +
      `${formatSummary(v.cpuMicrosPerVerification, us => `${us.toFixed(0)} µs`)} of CPU each, so ` +
      `${formatSummary(v.perCoreFromCpu, perSecond)} per core of CPU time (${v.seconds} s per run).`
  ].join('\n')
}

const SECTIONS = { incident, client, action, values, broker }

function targets(list) {
  return [
    '### Targets',
    '',
    table(
      ['target', 'measured', ''],
      list.map(t => [t.target, t.measured, t.met ? 'met' : 'missed'])
    )
  ].join('\n')
}

/** The whole report as Markdown. */
export function renderTables(results) {
  const parts = [`Benchmarks, ${results.meta.date}: ${results.meta.machine}; \`${results.meta.command}\``]
  for (const [name, result] of Object.entries(results.scenarios)) {
    parts.push(result.error ? `### ${name}\n\nFailed: ${result.error}` : SECTIONS[name](result))
  }
  if (results.targets.length > 0) parts.push(targets(results.targets))
  return parts.join('\n\n') + '\n'
}
