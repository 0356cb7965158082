/**
 * Limits concurrent work per key (e.g. per origin) and in total. `acquire` waits for a free slot
 * (first come, first served) and resolves to a release function; it rejects if `signal` aborts
 * while waiting.
 *
 * @example
 * const limit = createKeyedLimit({ perKey: 2, total: 16 })
 * const release = await limit.acquire(new URL(url).origin, signal)
 * try { await work() } finally { release() }
 */
export function createKeyedLimit(options: { perKey: number; total: number }) {
  const active = new Map<string, number>()
  let total = 0
  const waiting: { key: string; grant: () => void }[] = []

  const fits = (key: string) => total < options.total && (active.get(key) ?? 0) < options.perKey
  const take = (key: string) => {
    total++
    active.set(key, (active.get(key) ?? 0) + 1)
  }
  const give = (key: string) => {
    total--
    const n = (active.get(key) ?? 1) - 1
    if (n === 0) active.delete(key)
    else active.set(key, n)
    const i = waiting.findIndex((w) => fits(w.key))
    if (i >= 0) waiting.splice(i, 1)[0]!.grant()
  }
  const releaser = (key: string) => {
    let released = false
    return () => {
      if (released) return
      released = true
      give(key)
    }
  }

  return {
    acquire(key: string, signal?: AbortSignal): Promise<() => void> {
      if (signal?.aborted) return Promise.reject(new Error('aborted while waiting for a slot'))
      if (fits(key)) {
        take(key)
        return Promise.resolve(releaser(key))
      }
      return new Promise((resolve, reject) => {
        const entry = {
          key,
          grant: () => {
            signal?.removeEventListener('abort', onAbort)
            take(key)
            resolve(releaser(key))
          },
        }
        const onAbort = () => {
          const i = waiting.indexOf(entry)
          if (i >= 0) waiting.splice(i, 1)
          reject(new Error('aborted while waiting for a slot'))
        }
        signal?.addEventListener('abort', onAbort, { once: true })
        waiting.push(entry)
      })
    },
  }
}
