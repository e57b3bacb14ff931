/** Builds clients for the scripted-server tests: no real waits, fixed jitter, no inherited env. */
import { afterEach } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { FastlyTokensClient, type FastlyTokensClientOptions } from '../../src/client/index.js'
import { startScriptedServer, type Script, type ScriptedServer } from '../http/scripted-server.js'

export const API_TOKEN = 'apiTokenSecret_0123456789abcdefXY'

export const PACKAGE_JSON_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version

/** Records every wait the client asks for instead of waiting. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = []
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms)
    }
  }
}

export function testClient(url: string, options: FastlyTokensClientOptions = {}): FastlyTokensClient {
  return new FastlyTokensClient({
    baseUrl: url,
    apiToken: API_TOKEN,
    env: {},
    ...options,
    retry: { sleep: async () => {}, random: () => 0.5, ...options.retry }
  })
}

/**
 * A scripted server and a client pointed at it, per test; everything opened (also through
 * `track`) is closed after each test, clients before servers. Call it once at a file's top level.
 */
export function useScriptedApi(): {
  setUp(
    script: Script,
    options?: FastlyTokensClientOptions
  ): Promise<{ server: ScriptedServer; client: FastlyTokensClient }>
  track<T extends { close(): Promise<void> }>(opened: T): T
} {
  const opened: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.close()
  })
  const track = <T extends { close(): Promise<void> }>(o: T): T => {
    opened.push(o)
    return o
  }
  return {
    track,
    async setUp(script, options = {}) {
      const server = track(await startScriptedServer(script))
      return { server, client: track(testClient(server.url, options)) }
    }
  }
}

/** The settled rejection of a promise, for asserting on error fields. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to fail, but it succeeded')
}
