#!/usr/bin/env node
/** `fastly-tokens`: the terminal front end. All behaviour lives in runCli (run.ts). */
import { quietOnClosedPipe } from './pipe-output.js'
import { runCli } from './run.js'

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: quietOnClosedPipe(process.stdout),
  stderr: quietOnClosedPipe(process.stderr),
  stdin: process.stdin,
  // The first SIGINT/SIGTERM ends a revoke gracefully (report and left-file written, exit 5); the
  // handler is removed then, so a second one ends the process at once, as the user expects.
  onInterrupt: handler => {
    const once = (signal: NodeJS.Signals) => {
      off()
      handler(signal)
    }
    const off = () => {
      process.off('SIGINT', once)
      process.off('SIGTERM', once)
    }
    process.on('SIGINT', once)
    process.on('SIGTERM', once)
    return off
  }
})
