/** One benchmark result. */
export interface BenchResult {
  name: string
  opsPerSec: number
  baseline: string | null
  ratio: number | null
  /** For a benchmark of one whole job (reverify-10k-licences): its median duration. */
  seconds?: number
  /** For a latency benchmark (checkin-openid4vp): median and 95th percentile, milliseconds. */
  medianMs?: number
  p95Ms?: number
  /** The share of its time that signature work takes, estimated from the raw rates of this run. */
  signatureShare?: number
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** Ops/s of `op` run again and again for about `roundMs` milliseconds. */
async function timedRound(op: () => unknown | Promise<unknown>, roundMs: number): Promise<number> {
  let n = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < roundMs) {
    await op()
    n++
    elapsed = performance.now() - start
  }
  return (n * 1000) / elapsed
}

/** Ops/s of a synchronous operation over about `ms` milliseconds (no await between calls). */
export function burstRate(op: () => unknown, ms: number): number {
  let n = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < ms) {
    op()
    n++
    elapsed = performance.now() - start
  }
  return (n * 1000) / elapsed
}

/** Ops/s of one round over `perRound` distinct items, from `start`. */
async function itemsRound<T>(
  op: (item: T) => Promise<unknown>,
  items: readonly T[],
  start: number,
  perRound: number,
) {
  const t0 = performance.now()
  for (let i = start; i < start + perRound; i++) await op(items[i]!)
  return (perRound * 1000) / (performance.now() - t0)
}

/**
 * Runs `op` in `rounds` timed rounds of about `roundMs` each and returns the median ops/s.
 *
 * @example
 * const rate = await medianOpsPerSec({ op: () => sign(), rounds: 5, roundMs: 500 })
 */
export async function medianOpsPerSec(options: {
  op: () => unknown | Promise<unknown>
  rounds?: number
  roundMs?: number
  warmup?: number
}): Promise<number> {
  for (let i = 0; i < (options.warmup ?? 3); i++) await options.op()
  const rates: number[] = []
  for (let r = 0; r < (options.rounds ?? 5); r++)
    rates.push(await timedRound(options.op, options.roundMs ?? 500))
  return median(rates)
}

/**
 * Median ops/s over rounds of `perRound` distinct items (for single-use inputs such as
 * presentations with their own nonce); one item warms up.
 *
 * @example
 * const rate = await medianOverItems({ items: presentations, perRound: 200, op: verify })
 */
export async function medianOverItems<T>(options: {
  items: readonly T[]
  perRound: number
  op: (item: T) => Promise<unknown>
}): Promise<number> {
  const { items, perRound, op } = options
  await op(items[0]!)
  const rates: number[] = []
  for (let start = 1; start + perRound <= items.length; start += perRound)
    rates.push(await itemsRound(op, items, start, perRound))
  return median(rates)
}

/** What a ratio benchmark reports: median rate, median baseline rate, median of the rounds' ratios. */
export interface RatioMeasurement {
  opsPerSec: number
  baselinePerSec: number
  ratio: number
}

/**
 * Rounds of `round`, each right after a short burst of `baseline`, so that each round's ratio
 * (`rate × perOp ÷ baseline rate`) compares the two under the same conditions: on a noisy machine
 * the speed drifts within a run.
 */
async function withBaseline(options: {
  rounds: number
  round: (index: number) => Promise<number>
  baseline: () => unknown
  perOp: number
}): Promise<RatioMeasurement> {
  const rates: number[] = []
  const baselines: number[] = []
  const ratios: number[] = []
  for (let r = 0; r < options.rounds; r++) {
    const base = burstRate(options.baseline, 150)
    const rate = await options.round(r)
    rates.push(rate)
    baselines.push(base)
    ratios.push((rate * options.perOp) / base)
  }
  return { opsPerSec: median(rates), baselinePerSec: median(baselines), ratio: median(ratios) }
}

/**
 * Like {@link medianOverItems}, with the baseline measured right before every round.
 *
 * @example
 * const { opsPerSec, ratio } = await medianRatioOverItems({ items, perRound: 300, op: verify, baseline: rawVerify, perOp: 2 })
 */
export async function medianRatioOverItems<T>(options: {
  items: readonly T[]
  perRound: number
  op: (item: T) => Promise<unknown>
  baseline: () => unknown
  /** Baseline operations one `op` does (signatures per presentation). */
  perOp: number
}): Promise<RatioMeasurement> {
  const { items, perRound, op } = options
  await op(items[0]!)
  return withBaseline({
    rounds: Math.floor((items.length - 1) / perRound),
    round: (r) => itemsRound(op, items, 1 + r * perRound, perRound),
    baseline: options.baseline,
    perOp: options.perOp,
  })
}

/** Like {@link medianOpsPerSec}, with the baseline measured right before every round. */
export async function medianRatioOpsPerSec(options: {
  op: () => Promise<unknown>
  baseline: () => unknown
  perOp: number
  rounds?: number
  roundMs?: number
}): Promise<RatioMeasurement> {
  for (let i = 0; i < 3; i++) await options.op()
  return withBaseline({
    rounds: options.rounds ?? 5,
    round: () => timedRound(options.op, options.roundMs ?? 1000),
    baseline: options.baseline,
    perOp: options.perOp,
  })
}
