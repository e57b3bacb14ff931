/** Entry point of the action's main step (bundled to dist/main/index.js). */
import { runMain } from './action/main-step.js'
import { createStepDeps } from './action/step-deps.js'

await runMain(createStepDeps())
