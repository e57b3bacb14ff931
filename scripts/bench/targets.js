/**
 * The targets the benchmarks exist to check, each with the measured figure and whether it was
 * met. Reported, never enforced: a missed target is a finding to explain, not a failed command.
 */

const n = value => value.toLocaleString('en-US')
const check = (target, measured, met) => ({ target, measured, met })
const x = value => (value === null || value === undefined ? 'n/a' : `${value.toFixed(2)}x`)

export function evaluateTargets(scenarios) {
  const out = []
  const incident = scenarios.incident
  if (incident && !incident.error) {
    const { good, ids, maxBulkIds: cap } = incident.setup
    const bound = Math.ceil(good / cap) + Math.ceil(Math.log2(ids / cap)) + 1
    const o = incident.ours
    out.push(
      check(
        'incident: every real id revoked and verified',
        `${n(o.verified)} of ${n(good)} verified, ${n(o.revokedPerSimulator)} gone from the simulator`,
        o.verified === good && o.revokedPerSimulator === good
      ),
      check(
        `incident: write requests <= ceil(${n(good)} / cap) + ceil(log2(${n(ids)} / cap)) + 1 = ${bound} (cap ${cap})`,
        `${o.writes.max} (floor ${incident.floor.writes})`,
        o.writes.max <= bound
      )
    )
  }
  const values = scenarios.values
  if (values && !values.error) {
    const { setup, bulk } = values
    out.push(
      check(
        `values: every one of ${n(setup.values)} leaked values revoked and verified`,
        `${n(bulk.verified)} verified, ${n(bulk.revokedPerSimulator)} gone from the simulator`,
        bulk.verified === setup.values && bulk.revokedPerSimulator === setup.values
      ),
      check(
        `values: write requests <= ceil(${n(setup.values)} / cap) + 2 = ${setup.targetWrites} (cap ${setup.maxBulkIds})`,
        `${bulk.writes.max} (one write per value: ${n(values.oneByOne.writes.median)})`,
        bulk.writes.max <= setup.targetWrites
      )
    )
  }
  const client = scenarios.client
  if (client && !client.error) {
    out.push(
      check(
        'client, in a row: within 1.25x of the bare undici loop',
        x(client.ours.sequentialVsFloor),
        client.ours.sequentialVsFloor <= 1.25
      ),
      check(
        `client, ${client.setup.inFlight} in flight: within 1.25x of the bare undici loop`,
        x(client.ours.concurrentVsFloor),
        client.ours.concurrentVsFloor <= 1.25
      ),
      check(
        'client: ahead of the official client (wall time, in a row / in flight)',
        `${x(client.oursVsOfficial.sequential)} / ${x(client.oursVsOfficial.concurrent)} of its time`,
        client.oursVsOfficial.sequential < 1 && client.oursVsOfficial.concurrent < 1
      ),
      check(
        'simulator: at least 1,000 requests/s',
        `${n(Math.round(client.simulator.servedRequestsPerSecond.median))} requests/s`,
        client.simulator.servedRequestsPerSecond.median >= 1000
      )
    )
  }
  const action = scenarios.action
  if (action && !action.error) {
    const { ratios, bundles } = action
    const biggest = Math.max(...[bundles.main, bundles.post].flatMap(b => b.files.map(f => f.bytes)))
    out.push(
      check(
        'action, main: within 1.2x of the floor',
        `${x(ratios.mainVsFloor)} (${x(ratios.mainVsTwoRequestFloor)} of the two-request floor)`,
        ratios.mainVsFloor <= 1.2
      ),
      check('action, post: within 1.2x of the floor', x(ratios.postVsFloor), ratios.postVsFloor <= 1.2),
      check(
        'action: each bundle file under 1 MB',
        `largest ${(biggest / 1024).toFixed(0)} KiB`,
        bundles.main.underBudget && bundles.post.underBudget
      )
    )
  }
  const broker = scenarios.broker
  if (broker && !broker.error) {
    for (const latency of broker.setup.latenciesMs) {
      const b = broker.byLatency[latency]
      out.push(
        check(
          `broker: a mint through it within 1.3x of a direct mint, ${broker.setup.inFlight} in flight (simulator latency ${latency} ms)`,
          x(b.brokerVsDirect),
          b.brokerVsDirect !== null && b.brokerVsDirect <= 1.3
        )
      )
    }
    out.push(
      check(
        'broker: at least 5,000 ID-token verifications/s on one core',
        `${n(Math.round(broker.verification.perSecond.median))}/s (${n(Math.round(broker.verification.perCoreFromCpu.median))}/s per core of CPU time)`,
        broker.verification.perSecond.median >= 5000
      )
    )
  }
  return out
}
