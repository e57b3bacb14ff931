/** The keyless world the action's end-to-end tests start: the runner's endpoint hands out an ID
 *  token the broker trusts, and the broker mints it on the simulator. */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { requestBrokerToken } from '../../src/broker/index.js'
import { startKeylessWorld, type KeylessWorld } from '../support/keyless-world.js'

let world: KeylessWorld
beforeAll(async () => {
  world = await startKeylessWorld()
})
afterAll(() => world.close())

it("trades the runner endpoint's ID token for a token on the simulator", async () => {
  const env = world.runnerEnv()
  const answer = await fetch(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=fastly-token-broker`, {
    headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` }
  })
  const { value } = (await answer.json()) as { value: string }
  const token = await requestBrokerToken({ brokerUrl: world.brokerUrl, idToken: value, scope: 'global:read' })
  expect(world.sim.state.token(token.id)).toMatchObject({ scope: 'global:read', name: token.name })
  expect(token.policy).toBe('acme-shop')
})
