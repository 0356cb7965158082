import { fail, ok } from '@clavis/crypto'
import type { NonceStore } from './nonceStore'
import type { RequestClaims } from './presentationParts'
import { notChecked } from './reportChecks'
import type { CheckOutcome, PresentationExpectation } from './types'

/** Longest a presentation may be valid for, and oldest its `iat` may be, in seconds. */
export const MAX_PRESENTATION_AGE_SECONDS = 300

/** Options of {@link checkNonceAudience}. */
export interface CheckNonceAudienceParameters {
  /** What the holder signed for this request (JWT VP or KB-JWT claims), or why it cannot be read. */
  request: CheckOutcome<RequestClaims>
  /** Whether `exp` is required (JWT VP) rather than optional (KB-JWT). */
  requireExpiry: boolean
  /** Whether the holder's signature over the request verified: only then is the nonce used up. */
  proven: boolean
  expect: PresentationExpectation
  nonces: NonceStore
  now: Date
  skew: number
}

/**
 * The format-neutral request checks: the audience is exactly the verifier (a string, or a list of
 * just it), the nonce is the request's, the presentation is fresh (`exp` not past and, for a JWT
 * VP, present; `nbf` not future; `iat` at most {@link MAX_PRESENTATION_AGE_SECONDS} old and not
 * future; valid for at most that long), all with the clock skew; and last, only for a presentation
 * whose signature verified, the nonce is used up (`nonce_replayed` if it was already, or expired).
 * A presentation whose signature did not verify leaves the nonce unused and this check
 * `not_checked`, unless a comparison already failed. Never throws unless the nonce store does.
 *
 * @example
 * await checkNonceAudience({ request, requireExpiry: true, proven: signature.ok, expect, nonces, now, skew })
 */
export async function checkNonceAudience(options: CheckNonceAudienceParameters): Promise<CheckOutcome> {
  const { request, expect, now, skew } = options
  if (!request.ok) return request
  const { aud, nonce } = request.value
  if (!(aud === expect.audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === expect.audience))) {
    return fail(
      'audience_mismatch',
      `The presentation is for ${JSON.stringify(aud)}, not ${expect.audience}.`,
    )
  }
  if (nonce !== expect.nonce)
    return fail('nonce_mismatch', 'The presentation does not carry the nonce of this request.')
  const fresh = checkFreshness(request.value, options.requireExpiry, now.getTime() / 1000, skew)
  if (!fresh.ok) return fresh
  if (!options.proven) {
    return notChecked(
      "Not checked: the nonce and audience are this request's, but a nonce is used up only by a presentation whose signature verified (see signature).",
    )
  }
  const unused = await options.nonces.consume({ nonce: expect.nonce, audience: expect.audience, now })
  if (!unused)
    return fail('nonce_replayed', 'This nonce was already used or has expired: the presentation is a replay.')
  return ok()
}

function checkFreshness(
  claims: RequestClaims,
  requireExpiry: boolean,
  nowS: number,
  skew: number,
): CheckOutcome {
  const times: Partial<Record<'iat' | 'nbf' | 'exp', number>> = {}
  for (const name of ['iat', 'nbf', 'exp'] as const) {
    const value = claims[name]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value))
      return fail(
        'malformed',
        `The presentation's ${name} must be a number of seconds since 1970-01-01T00:00:00Z.`,
      )
    times[name] = value
  }
  const { iat, nbf, exp } = times
  const maxAge = MAX_PRESENTATION_AGE_SECONDS + skew
  if (exp === undefined && requireExpiry)
    return fail('missing_expiry', 'The presentation has no expiry (exp).')
  if (exp !== undefined && exp + skew < nowS) return fail('expired', 'The presentation has expired.')
  if (nbf !== undefined && nbf - skew > nowS)
    return fail('not_yet_valid', 'The presentation is not valid yet (nbf is in the future).')
  if (iat !== undefined && iat - skew > nowS)
    return fail('expired', 'The presentation was issued in the future (iat).')
  if (iat !== undefined && nowS - iat > maxAge) {
    return fail(
      'expired',
      `The presentation was made more than ${MAX_PRESENTATION_AGE_SECONDS} s ago (iat); ask for a fresh one.`,
    )
  }
  if (exp !== undefined && exp - (iat ?? nbf ?? nowS) > maxAge) {
    return fail('expired', `A presentation may be valid for at most ${MAX_PRESENTATION_AGE_SECONDS} s.`)
  }
  return ok()
}
