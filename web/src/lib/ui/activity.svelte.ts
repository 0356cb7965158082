/**
 * What a screen is waiting for and what went wrong, for the `Busy` and `Problem` components: one
 * `run` instead of a try/catch/finally in every handler. An error's text is what `explain` makes of
 * it (what happened and what to do).
 *
 * @example
 * const activity = new Activity()
 * await activity.run('Receiving…', () => receiver().receive(…))
 */
import { explain } from '$lib/agent/browser'

export class Activity {
  busy = $state<string | undefined>(undefined)
  problem = $state<string | undefined>(undefined)

  /** Runs `act` showing `what`; returns its result, or undefined after showing why it failed. */
  async run<T>(what: string, act: () => Promise<T>): Promise<T | undefined> {
    this.problem = undefined
    this.busy = what
    try {
      return await act()
    } catch (e) {
      this.problem = explain(e)
      return undefined
    } finally {
      this.busy = undefined
    }
  }

  fail(message: string): void {
    this.problem = message
  }
}
