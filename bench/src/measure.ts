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
  const rounds = options.rounds ?? 5
  const roundMs = options.roundMs ?? 500
  for (let i = 0; i < (options.warmup ?? 3); i++) await options.op()
  const rates: number[] = []
  for (let r = 0; r < rounds; r++) {
    let n = 0
    const start = performance.now()
    let elapsed = 0
    while (elapsed < roundMs) {
      await options.op()
      n++
      elapsed = performance.now() - start
    }
    rates.push((n * 1000) / elapsed)
  }
  rates.sort((a, b) => a - b)
  return rates[Math.floor(rates.length / 2)]!
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
  const { items, perRound } = options
  await options.op(items[0]!)
  const rates: number[] = []
  for (let start = 1; start + perRound <= items.length; start += perRound) {
    const t0 = performance.now()
    for (let i = start; i < start + perRound; i++) await options.op(items[i]!)
    rates.push((perRound * 1000) / (performance.now() - t0))
  }
  rates.sort((a, b) => a - b)
  return rates[Math.floor(rates.length / 2)]!
}

/** Ops/s of a synchronous operation over about `ms` milliseconds. */
function burstRate(op: () => unknown, ms: number): number {
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

/**
 * Like {@link medianOverItems}, with the baseline measured right before every round (a short burst
 * of `baseline`), so that each round's ratio compares the two under the same conditions: on a noisy
 * machine the speed drifts within a run. Returns the median rate, the median baseline rate and the
 * median of the per-round ratios `rate × perOp ÷ baseline rate`.
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
}): Promise<{ opsPerSec: number; baselinePerSec: number; ratio: number }> {
  const { items, perRound } = options
  await options.op(items[0]!)
  const rates: number[] = []
  const baselines: number[] = []
  const ratios: number[] = []
  for (let start = 1; start + perRound <= items.length; start += perRound) {
    const base = burstRate(options.baseline, 150)
    const t0 = performance.now()
    for (let i = start; i < start + perRound; i++) await options.op(items[i]!)
    const rate = (perRound * 1000) / (performance.now() - t0)
    rates.push(rate)
    baselines.push(base)
    ratios.push((rate * options.perOp) / base)
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!
  return { opsPerSec: median(rates), baselinePerSec: median(baselines), ratio: median(ratios) }
}

/** {@link medianRatioOverItems} for an operation that can be repeated (no single-use input). */
export async function medianRatioOpsPerSec(options: {
  op: () => Promise<unknown>
  baseline: () => unknown
  perOp: number
  rounds?: number
  roundMs?: number
}): Promise<{ opsPerSec: number; baselinePerSec: number; ratio: number }> {
  const roundMs = options.roundMs ?? 1000
  for (let i = 0; i < 3; i++) await options.op()
  const rates: number[] = []
  const baselines: number[] = []
  const ratios: number[] = []
  for (let r = 0; r < (options.rounds ?? 5); r++) {
    const base = burstRate(options.baseline, 150)
    let n = 0
    const start = performance.now()
    let elapsed = 0
    while (elapsed < roundMs) {
      await options.op()
      n++
      elapsed = performance.now() - start
    }
    const rate = (n * 1000) / elapsed
    rates.push(rate)
    baselines.push(base)
    ratios.push((rate * options.perOp) / base)
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!
  return { opsPerSec: median(rates), baselinePerSec: median(baselines), ratio: median(ratios) }
}
