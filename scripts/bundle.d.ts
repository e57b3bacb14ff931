/** Types of scripts/bundle.js, for the TypeScript tests. */
export const SIZE_BUDGET_BYTES: number
export function bundle(outDir?: string, options?: { quiet?: boolean }): Record<string, number>
