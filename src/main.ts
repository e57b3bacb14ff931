/** Entry point of the action's main step (bundled to dist/main/index.js). runMain never rejects: it reports failures itself. */
import { runMain } from './action/main-step.js'
import { createStepDeps } from './action/step-deps.js'

void runMain(createStepDeps())
