#!/usr/bin/env node
/** `fastly-tokens`: the terminal front end. All behaviour lives in runCli (run.ts). */
import { quietOnClosedPipe } from './pipe-output.js'
import { runCli } from './run.js'

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: quietOnClosedPipe(process.stdout),
  stderr: quietOnClosedPipe(process.stderr),
  stdin: process.stdin
})
