import { ClavisError } from '@clavis/errors'
/** The chain did not answer in time: whether a write in flight landed is decided at the next start. */
export class ChainUnavailableError extends ClavisError<'chain_unavailable'> {
  override readonly name = 'ChainUnavailableError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'chain_unavailable', message, cause: options.cause })
  }
}

/** A chain write landed but could not be made durable (e.g. the disk is full). */
export class ChainNotDurableError extends ClavisError<'insufficient_storage'> {
  override readonly name = 'ChainNotDurableError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'insufficient_storage', message, cause: options.cause })
  }
}

/**
 * Runs chain writes one at a time (they share sender accounts and nonces) and makes each durable
 * before it returns: `persist` runs after the task (embedded chain: its state saved to disk; a
 * network: the configured confirmations). A write that does not finish within `timeoutMs` —
 * waiting for its turn included — fails with {@link ChainUnavailableError}; the queue stays held
 * until it really ends, so no later write overtakes it.
 *
 * @example
 * const queue = createWriteQueue({ timeoutMs: 60_000, persist: () => node.save() })
 * const hash = await queue.run(() => ethrDid.changeOwner(next))
 */
export function createWriteQueue(options: { timeoutMs: number; persist: () => Promise<void> }) {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const work = tail.then(async () => {
        const result = await task()
        try {
          await options.persist()
        } catch (e) {
          throw new ChainNotDurableError(
            `The chain write landed but could not be saved to disk (${(e as Error).message}); it is completed at the next start. Free disk space.`,
            { cause: e },
          )
        }
        return result
      })
      tail = work.catch(() => undefined)
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ChainUnavailableError(
                `The chain did not complete the write within ${options.timeoutMs / 1000} s. Try again shortly.`,
              ),
            ),
          options.timeoutMs,
        )
      })
      return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
    },
  }
}
