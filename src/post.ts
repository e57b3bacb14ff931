/** Entry point of the action's post step (bundled to dist/post/index.js); the runner runs it even when the job failed. */
import { runPost } from './action/post-step.js'
import { createStepDeps } from './action/step-deps.js'

void runPost(createStepDeps())
