import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'node_modules/**', '.tools/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    // Spreading an array into call arguments (push(...ids), Math.max(...xs)) puts every element on
    // the stack: a list of 100k ids throws "Maximum call stack size exceeded". Use a loop or
    // concat; a spread inside an array literal is fine.
    files: ['src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression > SpreadElement, NewExpression > SpreadElement',
          message: 'No spread into call arguments: a long list overflows the stack. Use a loop or concat.'
        }
      ]
    }
  },
  {
    // Module boundary: the client, http layer, revoke engine, simulator and broker serve the CLI and
    // other programs too, so they must never pull in the GitHub Actions toolkit.
    files: [
      'src/http/**',
      'src/client/**',
      'src/revoke/**',
      'src/simulator/**',
      'src/cli/**',
      'src/text/**',
      'src/broker/**',
      'src/index.ts'
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@actions/*'] }]
    }
  },
  {
    // The shared input parsers serve both front ends, so they reach into neither of them.
    files: ['src/input/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@actions/*', '../action/*', '../cli/*'] }]
    }
  }
)
