import type { Resolvable } from 'did-resolver'
import type { NonceStore } from './nonceStore'
import type { PresentationExpectation } from './presentationTypes'
import type { StatusChecker } from './statusChecker'
import type { TrustPolicy } from './trustListPolicy'
import { DEFAULT_CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS } from './verifyJwtCredential'

/** What every presentation verifier takes besides the presentation itself. */
export interface PresentationVerifierOptions {
  resolver: Resolvable
  trust: TrustPolicy
  status: StatusChecker
  nonces: NonceStore
  expect: PresentationExpectation
  now?: Date
  clockSkewSeconds?: number
}

/** `now` and the clock skew, checked; throws RangeError (a programmer error) naming the caller. */
export function presentationClock(
  caller: string,
  options: Pick<PresentationVerifierOptions, 'now' | 'clockSkewSeconds'>,
): { now: Date; skew: number } {
  const now = options.now ?? new Date()
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError(`${caller}: \`now\` must be a valid Date.`)
  }
  if (typeof skew !== 'number' || !(skew >= 0 && skew <= MAX_CLOCK_SKEW_SECONDS)) {
    throw new RangeError(
      `${caller}: \`clockSkewSeconds\` must be between 0 and ${MAX_CLOCK_SKEW_SECONDS}; got ${String(skew)}.`,
    )
  }
  return { now, skew }
}
