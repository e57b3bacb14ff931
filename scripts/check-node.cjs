/**
 * Run first by `npm start`, `npm test`, `npm run bundle` and `npm run bench`: stops with one
 * message when the node running the npm scripts is older than package.json's `engines`, instead
 * of letting undici fail to import with a stack trace. The node devDependency normally puts Node 24
 * first on PATH (docs/development.md says why); this is for when it is missing, typically after
 * `npm ci --ignore-scripts`, which skips the script that fetches its binary.
 *
 * CommonJS and old syntax on purpose: the point is to run on the node that cannot run the rest.
 */
'use strict'
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose, see above */
var fs = require('fs')
var path = require('path')

/** The problem with `version` for a project that needs `engines` (undefined when it is fine). */
function nodeProblem(version, engines, hasLocalNode) {
  var needed = /(\d+)/.exec(engines || '')
  var have = /^v?(\d+)/.exec(version)
  if (!needed || !have || Number(have[1]) >= Number(needed[1])) return undefined
  var lines = [
    'This project needs Node ' + needed[1] + ' or newer (package.json engines: "' + engines + '"),',
    'but the npm scripts run on node ' + version + '.'
  ]
  if (hasLocalNode) {
    lines.push(
      'node_modules/.bin/node exists but is not the node running the scripts: run them through npm',
      '(npm start, npm test), which puts node_modules/.bin first on PATH.'
    )
  } else {
    lines.push(
      'Node ' + needed[1] + ' normally comes from the `node` devDependency, whose install script puts it in',
      'node_modules/.bin; it is missing, most likely because npm ran with --ignore-scripts',
      '(or ignore-scripts=true in an .npmrc), which skips that script.',
      'Fix: run `npm ci` again without --ignore-scripts, or put Node ' +
        needed[1] +
        ' on PATH (.node-version).'
    )
  }
  return lines.join('\n')
}

module.exports = { nodeProblem: nodeProblem }

if (require.main === module) {
  var root = path.join(__dirname, '..')
  var engines = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines
  var problem = nodeProblem(
    process.version,
    engines && engines.node,
    fs.existsSync(path.join(root, 'node_modules', '.bin', 'node'))
  )
  if (problem) {
    process.stderr.write(problem + '\n')
    process.exit(1)
  }
}
