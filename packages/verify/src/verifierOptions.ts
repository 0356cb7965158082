import { DEFAULT_CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import type { TrustPolicy } from './trustListPolicy'

/** What every verification takes besides the credential or presentation itself. */
export interface VerifierOptions {
  /** Resolves the issuer and holder DIDs; their current documents must hold the signing keys. */
  resolver: Resolvable
  /** Decides which issuers are trusted for which credential types. */
  trust: TrustPolicy
  /** The time to verify at; defaults to the current time. */
  now?: Date
  /** Allowed clock skew in seconds, 0 to 60; defaults to 30. */
  clockSkewSeconds?: number
}

/**
 * `now` and the clock skew, after checking the options. Throws `TypeError` or `RangeError` (a
 * programmer or configuration error, never bad input) naming `caller` and the option.
 *
 * @example
 * const { now, skew } = checkVerifierOptions('verifyPresentation', options)
 */
export function checkVerifierOptions(caller: string, options: VerifierOptions): { now: Date; skew: number } {
  if (typeof options?.resolver?.resolve !== 'function') {
    throw new TypeError(`${caller}: \`resolver\` must be a did-resolver Resolvable.`)
  }
  if (typeof options.trust?.isTrusted !== 'function') {
    throw new TypeError(`${caller}: \`trust\` must be a TrustPolicy (see trustListPolicy).`)
  }
  const now = options.now ?? new Date()
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError(`${caller}: \`now\` must be a valid Date.`)
  }
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS
  if (typeof skew !== 'number' || !(skew >= 0 && skew <= MAX_CLOCK_SKEW_SECONDS)) {
    throw new RangeError(
      `${caller}: \`clockSkewSeconds\` must be between 0 and ${MAX_CLOCK_SKEW_SECONDS}; got ${String(skew)}.`,
    )
  }
  return { now, skew }
}
