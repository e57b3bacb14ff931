/**
 * The client the steps build takes its credential from the inputs alone. A FASTLY_API_TOKEN exported
 * by an earlier step (or by this action's previous use in the job) sits in the environment of every
 * later step; were the client to fall back to it, as the module's client does by design, a step
 * given no api-token would act as whoever that token belongs to.
 */
import { describe, it, expect } from '@jest/globals'
import { FastlyTokensClient } from '../../src/client/index.js'
import { createStepDeps } from '../../src/action/step-deps.js'
import { startSimulator } from '../../src/simulator/index.js'

describe('createStepDeps', () => {
  it('builds clients that ignore FASTLY_API_TOKEN and FASTLY_API_ENDPOINT from the environment', async () => {
    const sim = await startSimulator({ seed: 5 })
    const clients: FastlyTokensClient[] = []
    try {
      const earlier = sim.state.addToken({ user: 'demo@example.com', name: 'earlier-step', scope: 'global' })
      const env = { FASTLY_API_TOKEN: earlier.access_token, FASTLY_API_ENDPOINT: 'https://elsewhere.invalid' }
      // The control: the module's own client, given that environment, does use the token.
      const plain = new FastlyTokensClient({ baseUrl: sim.url, env })
      clients.push(plain)
      expect((await plain.getTokenCurrent()).id).toBe(earlier.id)

      const step = createStepDeps(env).createClient({ baseUrl: sim.url })
      clients.push(step)
      await expect(step.getTokenCurrent()).rejects.toThrow(/needs an API token/)
      expect(sim.state.requests().filter(r => r.tokenId === earlier.id)).toHaveLength(1)

      // With api-token given, that is the credential, and the endpoint is the api-url.
      const given = sim.state.addToken({ user: 'demo@example.com', name: 'api-token input' })
      const withInput = createStepDeps(env).createClient({ baseUrl: sim.url, apiToken: given.access_token })
      clients.push(withInput)
      expect((await withInput.getTokenCurrent()).id).toBe(given.id)
    } finally {
      await Promise.allSettled(clients.map(c => c.close()))
      await sim.close()
    }
  })
})
