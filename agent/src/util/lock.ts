/**
 * A promise-chain mutex: `run` executes tasks one at a time, in call order.
 * Used to serialise chain writes that share sender accounts (nonces).
 *
 * @example
 * const lock = createLock()
 * await lock.run(() => sendTx())
 */
export function createLock(): { run<T>(task: () => Promise<T>): Promise<T> } {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task, task)
      tail = result.catch(() => undefined)
      return result
    },
  }
}
