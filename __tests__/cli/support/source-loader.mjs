/**
 * Preloaded (node --import) so a test can run `src/cli/bin.ts` as a child process, the way a user
 * runs the built `fastly-tokens`, without a build step: see source-hooks.mjs.
 */
import { register } from 'node:module'

register(new URL('./source-hooks.mjs', import.meta.url))
