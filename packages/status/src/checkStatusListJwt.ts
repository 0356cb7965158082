import { type Failure, fail, MAX_CLOCK_SKEW_SECONDS, ok, type Result } from '@clavis/crypto'
import type { DecodedStatusListJwt } from './decodeStatusListJwt'
import { StatusListError } from './errors'

/** Why a decoded status list cannot be used. */
export type StatusListCheckCode = 'wrong_issuer' | 'wrong_uri' | 'expired' | 'not_yet_valid' | 'stale'

/** Result of {@link checkStatusListJwt}: when a cache must refetch the list, or why it cannot be used. */
export type StatusListCheckResult = Result<{ staleAt: Date }, Failure<StatusListCheckCode>>

/** Options of {@link checkStatusListJwt}. */
export interface CheckStatusListJwtOptions {
  decoded: DecodedStatusListJwt
  /** The DID that issued the credential being checked (the list must come from the same issuer). */
  expectedIssuer: string
  /** The list URL the credential references (exact match). */
  expectedUri: string
  now: Date
  /** Allowed clock difference, 0–60 s; default 60. */
  clockSkewSeconds?: number
  /** The verifier's own cap on a list's age, in seconds; default 86400 (one day). */
  maxAgeSeconds?: number
}

const DEFAULT_MAX_AGE_SECONDS = 86400

/**
 * Checks a decoded (and signature-verified) status list against what the credential references:
 * exact issuer, exact URL, within its validity, and fresh. `staleAt` = min(`exp`, `iat + ttl`,
 * `iat + maxAgeSeconds`): when a verifier's cache must refetch. Does not resolve DIDs or verify
 * signatures.
 *
 * @example
 * const result = checkStatusListJwt({ decoded, expectedIssuer: vc.iss, expectedUri: entry.statusListCredential, now: new Date() })
 * if (!result.ok) return invalid(result.error.code)
 * cache.set(entry.statusListCredential, decoded, result.value.staleAt)
 */
export function checkStatusListJwt(options: CheckStatusListJwtOptions): StatusListCheckResult {
  const { decoded, now } = options
  const skew = options.clockSkewSeconds ?? MAX_CLOCK_SKEW_SECONDS
  const maxAge = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS
  if (!Number.isFinite(skew) || skew < 0 || skew > MAX_CLOCK_SKEW_SECONDS) {
    throw new StatusListError(
      'invalid_options',
      `clockSkewSeconds must be between 0 and ${MAX_CLOCK_SKEW_SECONDS}.`,
    )
  }
  if (!Number.isFinite(maxAge) || maxAge <= 0)
    throw new StatusListError('invalid_options', 'maxAgeSeconds must be positive.')
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    throw new StatusListError('invalid_options', 'now must be a Date.')
  if (decoded.issuer !== options.expectedIssuer) {
    return fail('wrong_issuer', 'The status list was not issued by the credential issuer.')
  }
  if (decoded.uri !== options.expectedUri) {
    return fail('wrong_uri', 'The status list is for a different URL than the credential references.')
  }
  const t = now.getTime()
  const skewMs = skew * 1000
  const starts = Math.max(decoded.issuedAt?.getTime() ?? -Infinity, decoded.notBefore?.getTime() ?? -Infinity)
  if (starts > t + skewMs) return fail('not_yet_valid', 'The status list is not valid yet.')
  const exp = decoded.expiresAt?.getTime() ?? Infinity
  if (exp <= t - skewMs) return fail('expired', 'The status list has expired.')
  const issued = decoded.issuedAt?.getTime()
  if (issued === undefined) return fail('stale', 'The status list has no issue time.')
  const ttl = decoded.ttlSeconds === undefined ? Infinity : decoded.ttlSeconds * 1000
  const staleAt = Math.min(exp, issued + ttl, issued + maxAge * 1000)
  if (staleAt <= t - skewMs) return fail('stale', 'The status list is older than its ttl; fetch a fresh one.')
  return ok({ staleAt: new Date(staleAt) })
}
