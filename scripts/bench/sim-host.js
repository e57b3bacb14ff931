/**
 * A child process that hosts the simulator for the benchmarks, so that the server never shares an
 * event loop (or, on a 2-core machine, a core) with the client being measured. The parent drives
 * it over IPC: `{ id, op, args }` in, `{ id, ok, value | error }` out. See processes.js.
 */
import { startSimulator } from '../../lib/simulator/index.js'

let sim
let counts = { reads: 0, writes: 0, byRoute: {} }

function resetCounts() {
  counts = { reads: 0, writes: 0, byRoute: {} }
}

/** Counted from the simulator's own log entries as they are made: what it really served. */
function onRequest(entry) {
  if (entry.method === 'GET') counts.reads++
  else counts.writes++
  const key = `${entry.route} ${entry.status}`
  counts.byRoute[key] = (counts.byRoute[key] ?? 0) + 1
}

const ops = {
  /** A fresh simulator (the previous one is closed), so budgets and tokens never carry over. */
  async start({ options = {}, alignToHourStart = false }) {
    if (sim) await sim.close()
    resetCounts()
    sim = await startSimulator({ ...options, onRequest })
    // A rate-limit window is a fixed clock hour; a run that straddles the hour would get a fresh
    // budget half way. Start the simulated clock at the top of the current hour instead.
    if (alignToHourStart) sim.state.clock.set(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 1000)
    return { url: sim.url }
  },
  addToken(seed) {
    return sim.state.addToken(seed)
  },
  addUser(seed) {
    return sim.state.addUser(seed)
  },
  /** Seeds `count` tokens and returns their ids and access tokens (the leaked values of scenario 4). */
  addTokenPairs({ count, seed }) {
    return sim.state.addTokens(count, seed).map(token => ({ id: token.id, access_token: token.access_token }))
  },
  /** Seeds `count` tokens and returns only their ids. */
  addTokenIds({ count, seed }) {
    return sim.state.addTokens(count, seed).map(token => token.id)
  },
  writesUsed(email) {
    return sim.state.writesUsed(email)
  },
  /** How many of `ids` are live tokens. */
  countLive(ids) {
    let live = 0
    for (const id of ids) if (sim.state.token(id) !== undefined) live++
    return live
  },
  isLive(accessToken) {
    return sim.state.findByAccessToken(accessToken) !== undefined
  },
  counts() {
    return counts
  },
  resetCounts() {
    resetCounts()
    return true
  },
  /** CPU time this process has used (µs), to turn requests served into a per-core capacity. */
  cpu() {
    const { user, system } = process.cpuUsage()
    return user + system
  },
  async close() {
    if (sim) await sim.close()
    sim = undefined
    return true
  }
}

process.on('message', async ({ id, op, args }) => {
  try {
    const value = await ops[op](args)
    process.send({ id, ok: true, value })
  } catch (error) {
    process.send({ id, ok: false, error: error instanceof Error ? error.message : String(error) })
  }
})
process.on('disconnect', () => {
  void (sim ? sim.close() : Promise.resolve()).then(() => process.exit(0))
})
