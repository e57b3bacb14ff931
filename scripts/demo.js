/**
 * `npm start`: the action's main job on the embedded simulator. Starts the simulator with its demo
 * accounts, runs dist/main then dist/post exactly as a runner does (scripts/run-action.js), prints
 * the log as the runner would show it (masked), the outputs and the job summary, then proves the
 * token is gone. Exits non-zero when anything deviates from that story.
 */
import { runStep } from './run-action.js'
import { stepTrouble } from './step-trouble.js'

const { startSimulator } = await import('../lib/simulator/index.js').catch(error => {
  console.error(`The simulator in lib/ did not load: ${error.message}`)
  console.error('Run the demo as `npm start`, which builds lib/ first and runs on Node 24.')
  process.exit(2)
})

const problems = []
const expect = (ok, what) => {
  if (!ok) problems.push(what)
}
const rule = title => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 72 - title.length))}`)
const indent = text => (text.trim() === '' ? '  (empty)' : text.trimEnd().replace(/^/gm, '  '))
/** A step that did not exit 0: its own error, or a crash with its stderr and what to do. */
const explain = result => {
  const trouble = stepTrouble(result)
  if (trouble) console.log(trouble.lines.join('\n').replace(/^/gm, '  '))
}

const sim = await startSimulator({ port: 0 })
try {
  const inputs = {
    username: 'demo@example.com',
    password: 'demo-password',
    scope: 'global',
    'expires-in': '15m',
    'api-url': sim.url
  }
  console.log(`Simulator on ${sim.url} (demo account demo@example.com)`)
  console.log('The step inputs:')
  for (const [name, value] of Object.entries(inputs))
    console.log(`  ${name}: ${name === 'password' ? '***' : value}`)

  const main = await runStep({ step: 'main', inputs })
  rule(`main step: exit ${main.exitCode}, ${main.durationMs.toFixed(0)} ms (log as the runner shows it)`)
  console.log(indent(main.log))
  explain(main)
  const masks = main.commands.filter(c => c.command === 'add-mask').length
  console.log(
    `  (${masks} values registered with ::add-mask:: before use, the password first, then the token: a runner shows them as ***)`
  )
  expect(masks >= 2, `main registered ${masks} masks, expected the password and the token`)
  const token = main.outputs.token
  rule('outputs')
  for (const [name, value] of Object.entries(main.outputs))
    console.log(`  ${name}: ${name === 'token' ? '***' : value}`)
  console.log(
    `  (FASTLY_API_TOKEN exported for later steps: ${main.env.FASTLY_API_TOKEN === token ? 'yes, ***' : 'no'})`
  )
  expect(main.exitCode === 0, `main exited ${main.exitCode}`)
  expect(
    Boolean(token && main.outputs['token-id'] && main.outputs['expires-at']),
    'main set no token outputs'
  )
  expect(
    Boolean(token) && sim.state.findByAccessToken(token) !== undefined,
    'the token is not live after main'
  )
  expect(
    !token || !main.stdout.split('\n').some(l => l.includes(token) && !l.startsWith('::add-mask::')),
    'the token showed unmasked in the log'
  )

  const post = await runStep({ step: 'post', inputs, state: main.state })
  rule(`post step: exit ${post.exitCode}, ${post.durationMs.toFixed(0)} ms`)
  console.log(indent(post.log))
  explain(post)
  expect(post.exitCode === 0, `post exited ${post.exitCode}`)

  rule('job summary')
  console.log(indent(main.summary + post.summary))

  rule('is the token gone?')
  if (token) {
    const answer = await fetch(`${sim.url}/tokens/self`, { headers: { 'Fastly-Key': token } })
    await answer.arrayBuffer()
    console.log(`  GET /tokens/self with the token -> ${answer.status} ${answer.statusText}`)
    expect(
      answer.status === 401,
      `GET /tokens/self with the revoked token answered ${answer.status}, expected 401`
    )
  }
} finally {
  await sim.close()
}

if (problems.length > 0) {
  console.error(`\nDemo deviated:\n${problems.map(p => `  - ${p}`).join('\n')}`)
  process.exitCode = 1
} else {
  console.log('\nThe token was minted, masked, handed over and revoked: the demo ran as expected.')
}
