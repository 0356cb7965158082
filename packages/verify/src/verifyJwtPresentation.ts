import { decodeJwtCredential } from './decodeJwtCredential'
import { assertionKeys, verifyWithDocumentKeys } from './documentKeys'
import { type PresentationVerifierOptions, presentationClock } from './presentationOptions'
import type { PresentationVerificationResult } from './presentationTypes'
import { resolveIssuer } from './resolveIssuer'
import type { CheckFailure, CheckResult, PresentationCheckName } from './types'
import { verifyJwtCredential } from './verifyJwtCredential'

/** Longest a presentation may be valid for, and oldest its `iat` may be. */
export const MAX_PRESENTATION_AGE_SECONDS = 300
const MAX_CREDENTIALS = 8

const fail = (code: CheckFailure['code'], reason: string): CheckFailure => ({ passed: false, code, reason })

/** Whether `sub`, `holder` or `vp.holder` (a string or an object with `id`), when present, is not `holder`. */
function holderFieldsDisagree(payload: Record<string, unknown>, vp: Record<string, unknown>, holder: string) {
  const idOf = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { id?: unknown }).id : v
  return [payload.sub, idOf(payload.holder), idOf(vp.holder)].some((v) => v !== undefined && v !== holder)
}
const notChecked = (reason: string): CheckResult => fail('not_checked', reason)

/**
 * Verifies a JWT VP holding JWT-VCs: the holder's signature (keys under `authentication` of the
 * holder's DID), the exact audience and the verifier's single-use nonce (consumed only after the
 * signature verified), a short validity (`exp` required, at most five minutes), that every
 * credential's subject is the presenter, and every credential fully (signature, trust, validity,
 * status, schema). Never throws for bad input.
 *
 * @example
 * const result = await verifyJwtPresentation({ jwt: vp, resolver, trust, status, nonces, expect: { nonce, audience } })
 */
export async function verifyJwtPresentation(
  options: PresentationVerifierOptions & { jwt: string },
): Promise<PresentationVerificationResult> {
  const { now, skew } = presentationClock('verifyJwtPresentation', options)
  const decodedResult = decodeJwtCredential({ jwt: options.jwt, container: 'vp' })
  if (!decodedResult.ok) {
    return {
      valid: false,
      format: 'jwt_vp',
      checks: {
        signature: decodedResult.failure,
        holderBinding: notChecked('The presentation could not be decoded.'),
        nonceAudience: notChecked('The presentation could not be decoded.'),
      },
      credentials: [],
    }
  }
  const { header, payload } = decodedResult.decoded
  const holder = payload.iss
  const vp = payload.vp as { verifiableCredential?: unknown; holder?: unknown }
  const list = vp.verifiableCredential
  const jwts = Array.isArray(list) ? list : []

  // Holder's signature, and every credential fully, concurrently (they share cached lookups).
  const credentialsPromise = Promise.all(
    jwts.slice(0, MAX_CREDENTIALS).map((jwt) =>
      verifyJwtCredential({
        jwt: jwt as string,
        resolver: options.resolver,
        trust: options.trust,
        status: options.status,
        now,
        clockSkewSeconds: skew,
      }),
    ),
  )
  // A rejection (only programmer errors) surfaces at the await below; until then it is not unhandled.
  credentialsPromise.catch(() => undefined)
  let signature: CheckResult
  const resolved = await resolveIssuer({ did: holder, resolver: options.resolver })
  if (!resolved.ok) signature = resolved.failure
  else {
    const keys = assertionKeys({
      document: resolved.resolution.didDocument!,
      alg: header.alg,
      kid: header.kid,
      purpose: 'authentication',
    })
    const dot = options.jwt.lastIndexOf('.')
    const key = verifyWithDocumentKeys({
      keys,
      alg: header.alg,
      data: options.jwt.slice(0, dot),
      signature: options.jwt.slice(dot + 1),
    })
    signature = key
      ? { passed: true }
      : fail('invalid_signature', `The presentation is not signed by an authentication key of ${holder}.`)
  }

  const credentials = await credentialsPromise

  // Holder binding: every credential is about the presenter.
  let holderBinding: CheckResult = { passed: true }
  if (jwts.length === 0 || jwts.length > MAX_CREDENTIALS || jwts.some((j) => typeof j !== 'string')) {
    holderBinding = fail('malformed', `A presentation holds 1 to ${MAX_CREDENTIALS} JWT credentials.`)
  } else if (holderFieldsDisagree(payload, vp, holder)) {
    holderBinding = fail(
      'holder_mismatch',
      `The presentation names a holder (holder, vp.holder or sub) other than its signer ${holder}.`,
    )
  } else {
    const foreign = credentials.find((c) => c.subject !== holder)
    if (foreign) {
      holderBinding = fail(
        'holder_mismatch',
        `A credential about ${foreign.subject ?? 'nobody'} was presented by ${holder}; only the subject may present it.`,
      )
    }
  }

  // Nonce, audience, freshness; the nonce is consumed last, and only for a genuine presentation.
  let nonceAudience: CheckResult = { passed: true }
  const aud = payload.aud
  const nowS = now.getTime() / 1000
  if (
    !(
      aud === options.expect.audience ||
      (Array.isArray(aud) && aud.length === 1 && aud[0] === options.expect.audience)
    )
  ) {
    nonceAudience = fail(
      'audience_mismatch',
      `The presentation is for ${JSON.stringify(aud)}, not ${options.expect.audience}.`,
    )
  } else if (payload.nonce !== options.expect.nonce) {
    nonceAudience = fail('nonce_mismatch', 'The presentation does not carry the nonce of this request.')
  } else if (typeof payload.exp !== 'number') {
    nonceAudience = fail('missing_expiry', 'The presentation has no expiry (exp).')
  } else if (payload.exp + skew < nowS) {
    nonceAudience = fail('expired', 'The presentation has expired.')
  } else if (typeof payload.nbf === 'number' && payload.nbf - skew > nowS) {
    nonceAudience = fail('not_yet_valid', 'The presentation is not valid yet (nbf is in the future).')
  } else if (
    typeof payload.iat === 'number' &&
    (payload.iat - skew > nowS || nowS - payload.iat > MAX_PRESENTATION_AGE_SECONDS + skew)
  ) {
    nonceAudience = fail('expired', 'The presentation was issued too long ago or in the future.')
  } else if (payload.exp - (payload.iat ?? payload.nbf ?? nowS) > MAX_PRESENTATION_AGE_SECONDS + skew) {
    nonceAudience = fail(
      'expired',
      `A presentation may be valid for at most ${MAX_PRESENTATION_AGE_SECONDS} s.`,
    )
  } else if (signature.passed) {
    const fresh = await options.nonces.consume({
      nonce: options.expect.nonce,
      audience: options.expect.audience,
      now,
    })
    if (!fresh)
      nonceAudience = fail(
        'nonce_replayed',
        'This nonce was already used or has expired: the presentation is a replay.',
      )
  }

  const checks: Record<PresentationCheckName, CheckResult> = { signature, holderBinding, nonceAudience }
  return {
    valid:
      Object.values(checks).every((c) => c.passed) &&
      credentials.length > 0 &&
      credentials.every((c) => c.valid),
    format: 'jwt_vp',
    holder,
    checks,
    credentials,
  }
}
