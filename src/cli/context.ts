import { FastlyTokensClient } from '../client/index.js'
import type { RetryInfo } from '../http/retry-policy.js'
import { logText } from '../text/log-text.js'
import { UsageError } from './exit-codes.js'
import type { CliIo } from './io.js'
import { ProgressLine } from './progress-line.js'

/** Flags every command takes. */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  'api-url': { type: 'string' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

export interface GlobalFlags {
  json: boolean
  apiUrl?: string
  progress: boolean
}

/** What a command gets: its parsed flags, the streams, and a way to build the API client. */
export class CommandContext {
  private readonly clients: FastlyTokensClient[] = []

  constructor(
    readonly io: CliIo,
    readonly flags: GlobalFlags
  ) {}

  get now(): () => number {
    return this.io.now ?? Date.now
  }

  /**
   * The client for this run. `FASTLY_API_TOKEN` is the only way in for an API token: a flag would
   * put it in the shell history and the process list. The endpoint is `--api-url`, else
   * `FASTLY_API_ENDPOINT`, else production; the client refuses plain http except to loopback.
   */
  client(options: { needsToken: boolean; why?: string }): FastlyTokensClient {
    const token = this.io.env.FASTLY_API_TOKEN
    if (options.needsToken && (token === undefined || token.trim() === '')) {
      throw new UsageError(`set FASTLY_API_TOKEN to an API token${options.why ? ` (${options.why})` : ''}`)
    }
    let client: FastlyTokensClient
    try {
      client = new FastlyTokensClient({
        ...this.io.clientOptions,
        retry: { ...this.io.clientOptions?.retry, ...this.retryLine() },
        ...(this.flags.apiUrl === undefined ? {} : { baseUrl: this.flags.apiUrl }),
        env: this.io.env
      })
    } catch (error) {
      // An http:// endpoint off loopback, a malformed URL or token: the user's input, not the API.
      throw new UsageError((error as Error).message)
    }
    this.clients.push(client)
    return client
  }

  /**
   * On a terminal, a line per retry (`waiting for the API (GET /tokens), attempt 2/4`), so a
   * server that does not answer is not silence; off a terminal the final error says it all.
   */
  private retryLine(): { onRetry?: (info: RetryInfo) => void } {
    if (!this.io.stderr.isTTY) return {}
    const given = this.io.clientOptions?.retry?.onRetry
    return {
      onRetry: info => {
        given?.(info)
        this.io.stderr.write(
          `\rwaiting for the API (${info.method} ${logText(info.path)}), attempt ${info.attempt}/${info.maxAttempts}\x1b[K\n`
        )
      }
    }
  }

  /** stdout: the result. JSON with --json, text otherwise. */
  print(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
  }

  /** stderr: notes and warnings for the human, never part of the result. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`)
  }

  /** A progress line on stderr when it is a terminal, or with --progress; else budget waits only. */
  progress(label: string): ProgressLine {
    const full = this.flags.progress || this.io.stderr.isTTY === true
    return new ProgressLine(this.io.stderr, label, this.now, !full)
  }

  async close(): Promise<void> {
    for (const c of this.clients.splice(0)) await c.close()
  }
}

export interface Command {
  name: string
  /** One line for the command list. */
  summary: string
  /** The full `--help` text. */
  help: string
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>
  run(ctx: CommandContext, values: Record<string, unknown>, positionals: string[]): Promise<number>
}
