/**
 * One measured run in a process of its own: receives `{ scenario, job, params }`, runs
 * `jobs[job](params)` from that scenario's module and answers with the result and the process's
 * peak RSS. Each job imports what it needs itself, so a run of the official client never carries
 * this project's module in its memory figure, nor the reverse.
 */
const SCENARIOS = {
  incident: './incident.js',
  client: './client-overhead.js',
  action: './action-overhead.js',
  values: './values.js',
  broker: './broker.js'
}

// The parent disconnects once it has the answer; open keep-alive sockets must not hold the process.
process.on('disconnect', () => process.exit(0))

process.once('message', async ({ scenario, job, params }) => {
  try {
    const { jobs } = await import(SCENARIOS[scenario])
    if (typeof jobs?.[job] !== 'function') throw new Error(`no job ${job} in scenario ${scenario}`)
    const value = await jobs[job](params)
    process.send({ ok: true, value: { result: value, maxRssKiB: process.resourceUsage().maxRSS } })
  } catch (error) {
    process.send({
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error)
    })
  }
})
