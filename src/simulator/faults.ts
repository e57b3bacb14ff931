import type { RandomSource } from './random.js'
import { nextUnit, seededRandom } from './random.js'

/**
 * latency: wait `ms` (default 100) before handling. status5xx: answer `status` (default 503).
 * drop: destroy the socket without an answer. slowBody: send half the body, wait `ms`
 * (default 1000), send the rest. malformedJson: cut a JSON body in half. rateLimit: a 429 with
 * the real body, whatever the budget says (repeat it with `times` for a burst).
 */
export type FaultKind = 'latency' | 'status5xx' | 'drop' | 'slowBody' | 'malformedJson' | 'rateLimit'

export interface FaultRule {
  /** `'*'` (default), a route such as `'DELETE /tokens/{token_id}'`, a concrete `'GET /tokens/self'`, or `'DELETE *'`. */
  route?: string
  kind: FaultKind
  /** Chance per matching request, 0..1, default 1. Dice come from the seeded generator. */
  probability?: number
  /** How many times the rule may fire in all; unlimited when absent. */
  times?: number
  ms?: number
  status?: number
  /**
   * For status5xx and drop: 'before' (default) fails the request without touching anything;
   * 'after' applies the request first (a revocation really happens) and then fails, the
   * ambiguous case a client must not retry blindly.
   */
  phase?: 'before' | 'after'
}

/** What happens to one request. */
export interface FaultPlan {
  delayMs: number
  failure?: { kind: 'drop' | 'status5xx' | 'rateLimit'; status: number; after: boolean }
  slowBodyMs: number
  malformedJson: boolean
  /** Kinds that fired, for the request log. */
  fired: FaultKind[]
}

const KINDS: readonly FaultKind[] = ['latency', 'status5xx', 'drop', 'slowBody', 'malformedJson', 'rateLimit']
const DEFAULT_MS = { latency: 100, slowBody: 1000 }

/** Checks a rule the moment it is installed, so a typo fails there and names the rule. */
export function validateFaultRule(rule: FaultRule, where: string): void {
  if (rule === null || typeof rule !== 'object') throw new TypeError(`${where}: expected a fault rule object`)
  if (!KINDS.includes(rule.kind)) {
    throw new TypeError(`${where}.kind: expected one of ${KINDS.join(', ')}, got ${String(rule.kind)}`)
  }
  if (rule.route !== undefined && (typeof rule.route !== 'string' || rule.route === '')) {
    throw new TypeError(`${where}.route: expected a route such as 'GET /tokens/self' or '*'`)
  }
  const p = rule.probability
  if (p !== undefined && (typeof p !== 'number' || !(p >= 0 && p <= 1))) {
    throw new TypeError(`${where}.probability: expected a number from 0 to 1, got ${String(p)}`)
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) {
    throw new TypeError(`${where}.times: expected an integer >= 0, got ${String(rule.times)}`)
  }
  if (rule.ms !== undefined && (typeof rule.ms !== 'number' || !Number.isFinite(rule.ms) || rule.ms < 0)) {
    throw new TypeError(`${where}.ms: expected milliseconds >= 0, got ${String(rule.ms)}`)
  }
  if (
    rule.status !== undefined &&
    (!Number.isInteger(rule.status) || rule.status < 500 || rule.status > 599)
  ) {
    throw new TypeError(`${where}.status: expected a 5xx status code, got ${String(rule.status)}`)
  }
  if (rule.phase !== undefined && rule.phase !== 'before' && rule.phase !== 'after') {
    throw new TypeError(`${where}.phase: expected 'before' or 'after', got ${String(rule.phase)}`)
  }
}

function routeMatches(pattern: string | undefined, routeKey: string, concrete: string): boolean {
  if (pattern === undefined || pattern === '*') return true
  if (pattern === routeKey || pattern === concrete) return true
  return pattern.endsWith(' *') && concrete.startsWith(pattern.slice(0, -1))
}

/**
 * Decides, per request, which rules fire. Rules are read in order; latency adds up, the first
 * failure (drop, status5xx, rateLimit) wins, slowBody and malformedJson shape the answer. Dice
 * are only rolled for rules that match and have `times` left, so one seed and one request
 * sequence always give the same faults.
 */
export class FaultInjector {
  #rules: FaultRule[] = []
  #fired = new WeakMap<FaultRule, number>()
  readonly #checked = new WeakSet<FaultRule>()
  #random: RandomSource

  constructor(rules: FaultRule[], seed: number) {
    this.rules = rules
    this.#random = seededRandom(seed)
  }

  /** The live list: push to add a rule, assign to replace them all. */
  get rules(): FaultRule[] {
    return this.#rules
  }
  set rules(rules: FaultRule[]) {
    if (!Array.isArray(rules)) throw new TypeError('faults: expected an array of fault rules')
    rules.forEach((rule, index) => this.#check(rule, `faults[${index}]`))
    this.#rules = rules
  }

  /** Restarts the dice and the `times` counters. */
  reseed(seed: number): void {
    this.#random = seededRandom(seed)
    this.#fired = new WeakMap()
  }

  timesFired(rule: FaultRule): number {
    return this.#fired.get(rule) ?? 0
  }

  #check(rule: FaultRule, where: string): void {
    if (this.#checked.has(rule)) return
    validateFaultRule(rule, where)
    this.#checked.add(rule)
  }

  plan(routeKey: string, concrete: string): FaultPlan | undefined {
    let plan: FaultPlan | undefined
    for (const [index, rule] of this.#rules.entries()) {
      this.#check(rule, `faults[${index}]`) // rules pushed after start are checked on first use
      if (!routeMatches(rule.route, routeKey, concrete)) continue
      const fired = this.#fired.get(rule) ?? 0
      if (rule.times !== undefined && fired >= rule.times) continue
      const failing = rule.kind === 'drop' || rule.kind === 'status5xx' || rule.kind === 'rateLimit'
      if (failing && plan?.failure) continue
      const probability = rule.probability ?? 1
      if (probability < 1 && nextUnit(this.#random) >= probability) continue
      this.#fired.set(rule, fired + 1)
      plan ??= { delayMs: 0, slowBodyMs: 0, malformedJson: false, fired: [] }
      plan.fired.push(rule.kind)
      const after = rule.phase === 'after'
      switch (rule.kind) {
        case 'latency':
          plan.delayMs += rule.ms ?? DEFAULT_MS.latency
          break
        case 'slowBody':
          plan.slowBodyMs = Math.max(plan.slowBodyMs, rule.ms ?? DEFAULT_MS.slowBody)
          break
        case 'malformedJson':
          plan.malformedJson = true
          break
        case 'drop':
          plan.failure = { kind: 'drop', status: 0, after }
          break
        case 'status5xx':
          plan.failure = { kind: 'status5xx', status: rule.status ?? 503, after }
          break
        case 'rateLimit':
          plan.failure = { kind: 'rateLimit', status: 429, after: false }
          break
      }
    }
    return plan
  }
}
