/**
 * The bulk engine under every fault the simulator injects, on every endpoint it calls: the lists
 * (GET /tokens, and GET /customer/{id}/tokens for a superuser), GET /tokens/self, the per-id
 * lookups and the bulk DELETE /tokens, with both bulk policies. revokeMany runs in-process against
 * the simulator over loopback; the client's waits and the engine's budget waits advance the
 * simulator's clock instead of sleeping, so a 429 "until the next hour" costs nothing.
 *
 * After every scenario, whatever the fault:
 * - one outcome per distinct id, in input order; never `revoked` (or verified) for a token that is
 *   still alive; never `revoked` for an id that never existed;
 * - every token that was to be revoked and is still alive is reported `failed` or `left` (or
 *   `forbidden` when it is not the caller's to revoke);
 * - `complete` and `leftIds` agree, and the writes reported are the writes the server saw;
 * - the caller's own token is untouched, and no access token appears anywhere in the report.
 * And per scenario the outcome docs/module.md's incident section promises: transient faults are
 * absorbed (everything revoked and verified), a failing list falls back to lookups, a failing bulk
 * endpoint ends in `failed`, a spent write budget ends in `left` and a second run finishes.
 */
import { describe, it, expect } from '@jest/globals'
import { FastlyTokensClient } from '../../src/client/index.js'
import { revokeMany, type RevokeReport } from '../../src/revoke/index.js'
import {
  DEMO_CUSTOMER_ID,
  startSimulator,
  type BulkPolicy,
  type FaultRule,
  type Simulator
} from '../../src/simulator/index.js'
import { findLeaks } from './support/leak-scan.js'

const DEMO = 'demo@example.com'
const ADMIN = 'admin@example.com'
const OTHER = '2fa@example.com'
/** 12:00:05 UTC: well inside a rate-limit window, so the next reset is an hour away. */
const START = Date.UTC(2030, 0, 15, 12, 0, 5)
const HOUR = 3_600_000
/** The client gives up on an answer after this long; the beyond-timeout faults exceed it. */
const TIMEOUT_MS = 250
const BOGUS = ['bogusId00000000000000001', 'bogusId00000000000000002']
const MALFORMED = 'not-an-id!'

type Caller = 'user' | 'superuser'
/** What the scenario must end with, beyond the invariants. */
type Expect =
  /** every leaked token revoked and verified, bogus ids not-found, the other user's token settled by role */
  | 'settled'
  /** as settled, except bogus ids and the other user's token may be `failed` (nothing could be read about them) */
  | 'settled-unread'
  /** the bulk endpoint never worked: every leaked token `failed`, still alive */
  | 'leaked-failed'
  /** the write budget ran out: leaked tokens `left`, and a second run after the reset finishes */
  | 'leaked-left'

interface Variant {
  name: string
  rule: Omit<FaultRule, 'route'>
  /** Overrides of the default expectation per route. */
  expect?: Partial<Record<string, Expect>>
  deadlineMs?: number
}

const TRANSIENT: Variant[] = [
  { name: 'latency 30 ms', rule: { kind: 'latency', ms: 30 } },
  { name: '503 twice', rule: { kind: 'status5xx', status: 503, times: 2 } },
  { name: 'dropped connection twice', rule: { kind: 'drop', times: 2 } },
  { name: 'slow body', rule: { kind: 'slowBody', ms: 40 } },
  { name: 'malformed JSON once', rule: { kind: 'malformedJson', times: 1 } },
  { name: '429 once, reset within the deadline', rule: { kind: 'rateLimit', times: 1 } }
]

/** An answer the client gives up on: real time passes, so only on the list and the bulk endpoint. */
const TIMEOUTS: Variant[] = [
  { name: 'latency beyond the timeout, once', rule: { kind: 'latency', ms: TIMEOUT_MS * 2, times: 1 } },
  { name: 'slow body beyond the timeout, once', rule: { kind: 'slowBody', ms: TIMEOUT_MS * 2, times: 1 } }
]

const PERSISTENT: Variant[] = [
  {
    // A lookup that fails through all of one call's retries, then works again: the id goes to the
    // bulk write unread, and only the verification read comes back.
    name: 'a burst of nine 503s (longer than one call retries), then fine',
    rule: { kind: 'status5xx', status: 503, times: 9 },
    expect: { 'DELETE /tokens': 'leaked-failed', 'GET /tokens/{token_id}': 'settled-unread' }
  },
  {
    name: '502 always',
    rule: { kind: 'status5xx', status: 502 },
    expect: { 'DELETE /tokens': 'leaked-failed', 'GET /tokens/{token_id}': 'settled-unread' }
  },
  {
    name: 'dropped connection always',
    rule: { kind: 'drop' },
    expect: { 'DELETE /tokens': 'leaked-failed', 'GET /tokens/{token_id}': 'settled-unread' }
  },
  {
    name: 'malformed JSON always',
    rule: { kind: 'malformedJson' },
    expect: { 'GET /tokens/{token_id}': 'settled-unread' }
  },
  {
    name: '429 always',
    rule: { kind: 'rateLimit' },
    expect: { 'DELETE /tokens': 'leaked-left', 'GET /tokens/{token_id}': 'settled-unread' }
  },
  {
    name: '429 once, reset after the deadline',
    rule: { kind: 'rateLimit', times: 1 },
    deadlineMs: 10 * 60_000,
    expect: { 'DELETE /tokens': 'leaked-left', 'GET /tokens/{token_id}': 'settled-unread' }
  }
]

/** Applied, then failed: the request revoked its ids but the answer says otherwise. */
const AMBIGUOUS: Variant[] = [
  { name: '503 after applying, once', rule: { kind: 'status5xx', status: 503, phase: 'after', times: 1 } },
  { name: 'dropped after applying, once', rule: { kind: 'drop', phase: 'after', times: 1 } }
]

interface Scenario {
  label: string
  route: string
  caller: Caller
  policy: BulkPolicy
  variant: Variant
}

function scenarios(): Scenario[] {
  const out: Scenario[] = []
  const add = (route: string, caller: Caller, policies: BulkPolicy[], variants: Variant[]) => {
    for (const policy of policies)
      for (const variant of variants)
        out.push({
          label: `${route}: ${variant.name} (${caller}, ${policy})`,
          route,
          caller,
          policy,
          variant
        })
  }
  const both: BulkPolicy[] = ['all-or-nothing', 'skip-unknown']
  add('GET /tokens', 'user', ['all-or-nothing'], [...TRANSIENT, ...TIMEOUTS, ...PERSISTENT])
  add('GET /customer/{customer_id}/tokens', 'superuser', ['all-or-nothing'], [...TRANSIENT, ...PERSISTENT])
  add('GET /tokens/self', 'user', ['all-or-nothing'], [...TRANSIENT, ...PERSISTENT])
  add('GET /tokens/{token_id}', 'user', both, [
    ...TRANSIENT.filter(v => v.rule.kind !== 'latency'),
    ...PERSISTENT
  ])
  add('DELETE /tokens', 'user', both, [...TRANSIENT, ...TIMEOUTS, ...PERSISTENT, ...AMBIGUOUS])
  add(
    'DELETE /tokens',
    'superuser',
    ['all-or-nothing'],
    [...TRANSIENT.slice(2, 4), ...PERSISTENT.slice(0, 1), ...AMBIGUOUS]
  )
  return out
}

interface World {
  sim: Simulator
  client: FastlyTokensClient
  callerId: string
  callerKey: string
  leaked: Array<{ id: string; access_token: string }>
  foreign: { id: string; access_token: string }
  ids: string[]
  now(): number
  sleep(ms: number): Promise<void>
}

async function startWorld(s: Scenario): Promise<World> {
  // maxBulkIds below the id count: the engine learns the cap, so the bulk endpoint sees several requests.
  const sim = await startSimulator({ seed: 99, bulkPolicy: s.policy, maxBulkIds: 4, logLimit: 5_000 })
  sim.state.clock.set(START)
  const now = () => sim.state.clock.now()
  const sleep = async (ms: number) => sim.state.clock.advance(ms)
  const caller = sim.state.addToken({
    user: s.caller === 'user' ? DEMO : ADMIN,
    name: 'responder',
    scope: 'global'
  })
  const leaked = sim.state.addTokens(8, { user: DEMO, name: 'leaked' })
  const foreign = sim.state.addToken({ user: OTHER, name: 'someone-else' })
  const client = new FastlyTokensClient({
    apiToken: caller.access_token,
    baseUrl: sim.url,
    env: {},
    timeoutMs: TIMEOUT_MS,
    retry: { maxAttempts: 3, baseDelayMs: 50, sleep, now }
  })
  const ids = [leaked[0]!.id, BOGUS[0]!, ...leaked.slice(1, 5).map(t => t.id), MALFORMED, foreign.id]
  ids.push(...leaked.slice(5).map(t => t.id), BOGUS[1]!, leaked[2]!.id)
  return {
    sim,
    client,
    callerId: caller.id,
    callerKey: caller.access_token,
    leaked,
    foreign,
    ids,
    now,
    sleep
  }
}

function outcomeOf(report: RevokeReport, id: string) {
  return report.outcomes.find(o => o.id === id)!
}

function expectInvariants(w: World, s: Scenario, report: RevokeReport, writesBefore: number): void {
  const distinct = [...new Set(w.ids)]
  expect(report.outcomes.map(o => o.id)).toEqual(distinct)
  const live = new Set(w.sim.state.tokens().map(t => t.id))
  for (const o of report.outcomes) {
    if (o.outcome === 'revoked' || o.verified)
      expect({ id: o.id, live: live.has(o.id) }).toEqual({ id: o.id, live: false })
    if (live.has(o.id)) expect(['failed', 'left', 'forbidden']).toContain(o.outcome)
  }
  for (const id of BOGUS) expect(outcomeOf(report, id).outcome).not.toBe('revoked')
  expect(outcomeOf(report, MALFORMED).outcome).toBe('malformed')
  // The other user's token is not the user's to revoke: whatever happened, it is not claimed revoked.
  if (s.caller === 'user') {
    expect(live.has(w.foreign.id)).toBe(true)
    expect(['forbidden', 'failed', 'not-found']).toContain(outcomeOf(report, w.foreign.id).outcome)
  }
  expect(live.has(w.callerId)).toBe(true)
  expect(report.leftIds).toEqual(report.outcomes.filter(o => o.outcome === 'left').map(o => o.id))
  expect(report.complete).toBe(report.leftIds.length === 0)
  const serverWrites = w.sim.state.requests().filter(r => r.method !== 'GET').length - writesBefore
  expect(report.writes).toBe(serverWrites)
  const secrets = Object.fromEntries([
    ['caller', w.callerKey],
    ...w.leaked.map((t, i) => [`leaked ${i}`, t.access_token]),
    ['foreign', w.foreign.access_token]
  ])
  const empty = { stdout: '', stderr: '', summary: '', files: { outputs: '', state: '', env: '' } }
  expect(findLeaks({ ...empty, extra: { report: JSON.stringify(report) } }, secrets)).toEqual([])
}

function expectSettled(w: World, s: Scenario, report: RevokeReport, unread: boolean): void {
  for (const t of w.leaked)
    expect(outcomeOf(report, t.id)).toMatchObject({ outcome: 'revoked', verified: true })
  for (const id of BOGUS)
    expect(unread ? ['not-found', 'failed'] : ['not-found']).toContain(outcomeOf(report, id).outcome)
  const foreign = outcomeOf(report, w.foreign.id)
  if (s.caller === 'superuser') expect(foreign).toMatchObject({ outcome: 'revoked', verified: true })
  else expect(unread ? ['forbidden', 'failed'] : ['forbidden']).toContain(foreign.outcome)
  expect(report.complete).toBe(true)
}

/**
 * The simulator logs a request when its answer is complete; a delayed or slow answer the client
 * gave up on (or, for a 204, did not need to wait for) is logged later. Let those finish before
 * counting what the server saw.
 */
async function settle(s: Scenario): Promise<void> {
  const ms = s.variant.rule.ms
  if (ms !== undefined && !s.route.startsWith('GET '))
    await new Promise(resolve => setTimeout(resolve, ms + 50))
}

async function run(s: Scenario): Promise<void> {
  {
    const w = await startWorld(s)
    try {
      w.sim.state.faults = [{ route: s.route, ...s.variant.rule }]
      const writesBefore = w.sim.state.requests().filter(r => r.method !== 'GET').length
      const progress: number[] = []
      const report = await revokeMany(w.client, w.ids, {
        ...(s.caller === 'superuser' ? { customerId: DEMO_CUSTOMER_ID } : {}),
        deadline: START + (s.variant.deadlineMs ?? 2 * HOUR),
        now: w.now,
        sleep: w.sleep,
        onProgress: p => progress.push(p.done)
      })
      await settle(s)
      expectInvariants(w, s, report, writesBefore)
      expect(progress.at(-1)).toBe(report.outcomes.length)

      const expectation = s.variant.expect?.[s.route] ?? 'settled'
      switch (expectation) {
        case 'settled':
        case 'settled-unread':
          expectSettled(w, s, report, expectation === 'settled-unread')
          break
        case 'leaked-failed':
          for (const t of w.leaked) {
            expect(outcomeOf(report, t.id)).toMatchObject({
              outcome: 'failed',
              reason: expect.stringMatching(/\S/)
            })
            expect(w.sim.state.token(t.id)).toBeDefined()
          }
          expect(report.complete).toBe(true)
          break
        case 'leaked-left': {
          expect(report.complete).toBe(false)
          for (const t of w.leaked) expect(report.leftIds).toContain(t.id)
          // A second run once the window has reset (and the fault has passed) finishes the job.
          w.sim.state.faults = []
          await w.sleep(2 * HOUR)
          const again = await revokeMany(w.client, report.leftIds, {
            deadline: w.now() + HOUR,
            now: w.now,
            sleep: w.sleep
          })
          for (const t of w.leaked)
            expect(outcomeOf(again, t.id)).toMatchObject({ outcome: 'revoked', verified: true })
          expect(again.complete).toBe(true)
          break
        }
      }
    } finally {
      await w.client.close()
      await w.sim.close()
    }
  }
}

describe('revokeMany under injected faults', () => {
  it.each(scenarios().map(s => [s.label, s] as const))('%s', (_label, s) => run(s))
})
