#!/usr/bin/env node
import { processCliIo, runSimulatorCli } from './cli.js'
process.exitCode = await runSimulatorCli(process.argv.slice(2), processCliIo())
