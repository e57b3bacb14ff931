#!/usr/bin/env node
import { runBrokerCli } from './cli.js'

process.exitCode = await runBrokerCli(process.argv.slice(2), {
  stdout: text => void process.stdout.write(text),
  stderr: text => void process.stderr.write(text),
  env: process.env,
  stopSignal: new Promise(resolve => {
    process.once('SIGTERM', resolve)
    process.once('SIGINT', resolve)
  })
})
