/** Entry point of the action's main step (bundled to dist/main/index.js). runMain never rejects: it reports failures itself. */
import { deferCancellation } from './action/cancellation.js'
import { runMain } from './action/main-step.js'
import { createStepDeps } from './action/step-deps.js'

const deps = createStepDeps()
const { cancellation, release } = deferCancellation(deps.runner)
void runMain({ ...deps, cancellation }).finally(release)
