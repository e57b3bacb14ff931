/**
 * Lets Node 24 run the CLI from its TypeScript sources in a child process, as a user runs the
 * built one: the sources import `./x.js`, which exists only as `./x.ts` until built. Types are
 * stripped by Node itself (--experimental-transform-types); this hook only maps the extension.
 */
import { registerHooks } from 'node:module'

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (specifier.endsWith('.js') && (specifier.startsWith('.') || specifier.startsWith('/'))) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
      }
      throw error
    }
  }
})
