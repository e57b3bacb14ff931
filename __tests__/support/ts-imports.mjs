// Lets Node run the TypeScript sources as they are (with --experimental-transform-types): a
// relative `./x.js` import, as the sources write them for the emitted lib/, resolves to `./x.ts`
// when only the .ts exists. Used to start src/broker/bin.ts as a child process in tests without
// a build step.
import { existsSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (
      (specifier.startsWith('./') || specifier.startsWith('../')) &&
      specifier.endsWith('.js') &&
      context.parentURL
    ) {
      const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL)
      if (candidate.protocol === 'file:' && existsSync(fileURLToPath(candidate))) {
        return nextResolve(candidate.href, context)
      }
    }
    return nextResolve(specifier, context)
  }
})
