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
