import { parseArgs } from 'node:util'
import { expiredTokenOf, FastlyApiError, PACKAGE_VERSION } from '../client/index.js'
import { guardLines, logText } from '../text/log-text.js'
import { auditCommand } from './commands/audit.js'
import { createCommand } from './commands/create.js'
import { listCommand } from './commands/list.js'
import { revokeCommand } from './commands/revoke.js'
import { CommandContext, GLOBAL_OPTIONS, type Command } from './context.js'
import { EXIT, UsageError } from './exit-codes.js'
import { mainHelp } from './help.js'
import { PromptCancelled } from './hidden-input.js'
import type { CliIo } from './io.js'

export const COMMANDS: readonly Command[] = [createCommand, listCommand, revokeCommand, auditCommand]

/** Global flags may come before the command too: `fastly-tokens --json list`. */
function splitCommand(argv: readonly string[]): { name?: string; args: string[] } {
  const before: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('-')) return { name: arg, args: [...before, ...argv.slice(i + 1)] }
    before.push(arg)
    if (arg === '--api-url') before.push(argv[++i] ?? '')
  }
  return { args: before }
}

/** A flag name as people type them; anything else after a dash may be a secret, so not echoed. */
const FLAG_NAME = /^--?[a-z][a-z0-9-]{0,39}$/

/**
 * parseArgs' refusal in the CLI's words. Its messages name the option it stumbled on, and an
 * unknown "option" is whatever followed a dash: a value starting with `-` given to no flag, or
 * half of a password. So an unknown option is echoed only when it looks like a flag's name.
 */
function argsProblem(error: unknown): string {
  const e = error as { code?: string; message?: string }
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = /^Unknown option '([^']*)'/.exec(e.message ?? '')?.[1]
    return name !== undefined && FLAG_NAME.test(name)
      ? `unknown option ${name}`
      : 'an unknown option, not printed in case it is a secret'
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return 'an unexpected argument, not printed in case it is a secret'
  const ambiguous = /^Option '([^']*)' argument is ambiguous/.exec(e.message ?? '')
  if (ambiguous) return `${ambiguous[1]}: its value starts with a dash; write ${ambiguous[1]}=VALUE`
  // The other refusals (a value missing, a switch given a value) name only the option.
  return (e.message ?? String(error)).split('\n')[0]!
}

/** An error's message for stderr: its outside parts are logText'd where it is built; guarded here too. */
function problemText(error: unknown): string {
  const expired = expiredTokenOf(error)
  if (expired) {
    return `expired: the API token ${logText(expired.tokenId)} expired at ${logText(expired.expiredAt)}; mint a new one (fastly-tokens create)`
  }
  return guardLines(error instanceof Error ? error.message : String(error))
}

/**
 * The `fastly-tokens` command line, callable in-process: it turns arguments into module calls and
 * their results into text or JSON, and returns the exit code. No API logic lives here.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { name, args } = splitCommand(argv)
  if (name === undefined) {
    if (args.includes('--version')) {
      io.stdout.write(`${PACKAGE_VERSION}\n`)
      return EXIT.ok
    }
    const help = mainHelp(COMMANDS)
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(help)
      return EXIT.ok
    }
    io.stderr.write(`${help}\nerror: no command given\n`)
    return EXIT.usage
  }
  const command = COMMANDS.find(c => c.name === name)
  if (!command) {
    // Not echoed: in `fastly-tokens --password hunter2 create` the "command" is a password.
    io.stderr.write(
      `error: unknown command, not printed in case it is a secret (commands: ${COMMANDS.map(c => c.name).join(', ')})\n`
    )
    return EXIT.usage
  }

  let ctx: CommandContext | undefined
  try {
    let parsed
    try {
      parsed = parseArgs({
        args,
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true
      })
    } catch (error) {
      throw new UsageError(argsProblem(error))
    }
    const { values, positionals } = parsed
    if (values.help === true) {
      io.stdout.write(`${command.help}\n`)
      return EXIT.ok
    }
    // Not echoed: a stray word is as likely half of a password with a space as a typo.
    if (positionals.length > 0) {
      throw new UsageError(
        `${positionals.length} unexpected argument(s), not printed in case one is a secret: ${command.name} takes options only`
      )
    }
    ctx = new CommandContext(io, {
      json: values.json === true,
      progress: values.progress === true,
      ...(typeof values['api-url'] === 'string' ? { apiUrl: values['api-url'] } : {})
    })
    return await command.run(ctx, values as Record<string, unknown>, positionals)
  } catch (error) {
    if (error instanceof PromptCancelled) {
      io.stderr.write('error: cancelled at the prompt; nothing was sent\n')
      return EXIT.usage
    }
    if (error instanceof UsageError) {
      io.stderr.write(
        `error: ${guardLines(error.message)}\nRun "fastly-tokens ${command.name} --help" for the options.\n`
      )
      return EXIT.usage
    }
    if (error instanceof FastlyApiError) {
      io.stderr.write(`error: ${problemText(error)}\n`)
      return EXIT.api
    }
    // The module refuses bad input with a TypeError before any request: still the user's input.
    if (error instanceof TypeError || error instanceof RangeError) {
      io.stderr.write(`error: ${problemText(error)}\n`)
      return EXIT.usage
    }
    io.stderr.write(`internal error: ${problemText(error)}\n`)
    return EXIT.internal
  } finally {
    await ctx?.close()
  }
}
