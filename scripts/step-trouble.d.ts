/** Types of scripts/step-trouble.js (the demo's account of a step that did not exit 0). */
import type { StepResult } from './run-action.js'

export interface StepTrouble {
  kind: 'failed' | 'crashed'
  lines: string[]
}

export function stepTrouble(
  result: Pick<StepResult, 'step' | 'exitCode' | 'signal' | 'stderr' | 'commands'>,
  options?: { node?: string }
): StepTrouble | undefined
