import { fail, type JsonObject, ok } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import { checkSignature } from './checkSignature'
import { decodeJwtCredential } from './decodeJwtCredential'
import type { PresentationParts } from './presentationParts'
import { notChecked } from './reportChecks'
import type { StatusChecker } from './statusChecker'
import type { TrustPolicy } from './trustListPolicy'
import { verifyJwtCredential } from './verifyJwtCredential'

/** Most credentials one JWT VP may hold. */
const MAX_CREDENTIALS = 8

/**
 * JWT VP: decodes the VP strictly, verifies the holder's signature (a key under `authentication`
 * of the VP's `iss`) and every JWT-VC inside fully, concurrently (they share cached lookups), and
 * hands the parts to the format-neutral checks. The presenter is the VP's signer; `sub`, `holder`
 * and `vp.holder` must name it; the request claims are the VP's own (`exp` required). Never throws
 * for bad input.
 *
 * @example
 * const parts = await openJwtPresentation({ jwt, resolver, trust, status, now, skew })
 */
export async function openJwtPresentation(options: {
  jwt: unknown
  resolver: Resolvable
  trust: TrustPolicy
  status: StatusChecker
  now: Date
  skew: number
}): Promise<PresentationParts> {
  const { resolver, now, skew } = options
  const decoded = decodeJwtCredential({ jwt: options.jwt, container: 'vp' })
  if (!decoded.ok) {
    const skipped = notChecked('Not checked: the presentation could not be decoded (see signature).')
    return {
      format: 'jwt_vp',
      signature: decoded,
      presenter: skipped,
      namedHolders: {},
      request: skipped,
      requireExpiry: true,
      credentials: [],
    }
  }
  const { header, payload, signingInput, signature } = decoded.value
  const holder = payload.iss
  const vp = payload.vp as JsonObject
  const list: unknown[] = Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : []
  const credentialsPromise = Promise.all(
    list.slice(0, MAX_CREDENTIALS).map((jwt) =>
      verifyJwtCredential({
        jwt: jwt as string,
        resolver,
        trust: options.trust,
        status: options.status,
        now,
        clockSkewSeconds: skew,
      }),
    ),
  )
  // A rejection (only programmer errors) surfaces at the await below; until then it is not unhandled.
  credentialsPromise.catch(() => undefined)
  const signed = await checkSignature({
    signer: holder,
    alg: header.alg,
    kid: header.kid,
    signingInput,
    signature,
    resolver,
    purpose: 'authentication',
  })
  const credentials = await credentialsPromise
  const wellFormed =
    list.length > 0 && list.length <= MAX_CREDENTIALS && list.every((jwt) => typeof jwt === 'string')
  return {
    format: 'jwt_vp',
    holder,
    signature: signed,
    presenter: wellFormed
      ? ok({ did: holder })
      : fail('malformed', `A presentation holds 1 to ${MAX_CREDENTIALS} JWT credentials.`),
    namedHolders: { sub: payload.sub, holder: payload.holder, 'vp.holder': vp.holder },
    request: ok({
      aud: payload.aud,
      nonce: payload.nonce,
      iat: payload.iat,
      nbf: payload.nbf,
      exp: payload.exp,
    }),
    requireExpiry: true,
    credentials,
  }
}
