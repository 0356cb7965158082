import { fail, isObject, type JsonObject, ok } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import { checkSignature } from './checkSignature'
import {
  decodeJwtCredential,
  type JwtCredentialFormat,
  type JwtPresentationFormat,
  VC_CONTEXT_V2,
} from './decodeJwtCredential'
import type { PresentationParts } from './presentationParts'
import { notChecked } from './reportChecks'
import type { StatusChecker } from './statusChecker'
import type { TrustPolicy } from './trustListPolicy'
import { verifyJwtCredential } from './verifyJwtCredential'

/** Most credentials one JWT VP may hold. */
const MAX_CREDENTIALS = 8

/** The `id` of an EnvelopedVerifiableCredential holding a `vc+jwt`: a data: URL (RFC 2397) of that media type. */
const ENVELOPED_VC_JWT = 'data:application/vc+jwt,'

/**
 * The JWT of an `EnvelopedVerifiableCredential` (VC DM 2.0 "Enveloped Verifiable Credentials";
 * VC-JOSE-COSE: credentials in a `vp+jwt` MUST use it): `@context` with the v2 context, `type`
 * `EnvelopedVerifiableCredential`, `id` `data:application/vc+jwt,<jwt>`. Anything else: undefined.
 */
function envelopedJwt(value: unknown): string | undefined {
  if (!isObject(value)) return undefined
  const types = Array.isArray(value.type) ? value.type : [value.type]
  const context = Array.isArray(value['@context']) ? value['@context'] : [value['@context']]
  if (!types.includes('EnvelopedVerifiableCredential') || !context.includes(VC_CONTEXT_V2)) return undefined
  if (typeof value.id !== 'string' || !value.id.startsWith(ENVELOPED_VC_JWT)) return undefined
  return value.id.slice(ENVELOPED_VC_JWT.length)
}

/**
 * The credentials a VP holds, as JWTs, and whether every one is of the VP's form: a VC 1.1 JWT VP
 * holds VC 1.1 JWT-VCs (compact JWT strings in `vp.verifiableCredential`); a `vp+jwt` holds
 * `vc+jwt` credentials, each in an EnvelopedVerifiableCredential.
 */
function credentialsOf(
  format: JwtPresentationFormat,
  document: JsonObject,
): { jwts: unknown[]; wellFormed: boolean; expect: JwtCredentialFormat } {
  const list: unknown[] = Array.isArray(document.verifiableCredential) ? document.verifiableCredential : []
  const inRange = list.length > 0 && list.length <= MAX_CREDENTIALS
  if (format === 'jwt_vp') {
    return {
      jwts: list,
      wellFormed: inRange && list.every((jwt) => typeof jwt === 'string'),
      expect: 'jwt_vc',
    }
  }
  const jwts = list.map(envelopedJwt)
  return { jwts, wellFormed: inRange && jwts.every((jwt) => jwt !== undefined), expect: 'vc+jwt' }
}

/**
 * JWT VP, in either form (`decodeJwtCredential`): a VC 1.1 JWT VP (`vp` claim) of VC 1.1 JWT-VCs,
 * or a VC 2.0 `vp+jwt` (VC-JOSE-COSE) of `vc+jwt` credentials in EnvelopedVerifiableCredentials —
 * a credential of the other form is refused (`malformed`). Verifies the holder's signature (a key
 * under `authentication` of the holder: the VP's `iss`, or the `vp+jwt`'s `holder`) and every
 * credential inside fully, concurrently (they share cached lookups), and hands the parts to the
 * format-neutral checks. The presenter is the VP's signer; `sub`, `holder` and `vp.holder` (for a
 * `vp+jwt`: `iss` and `sub`) must name it; the request claims are the VP's own (`exp` required).
 * Never throws for bad input.
 *
 * @example
 * const parts = await openJwtPresentation({ jwt, resolver, trust, status, now, skew })
 */
export async function openJwtPresentation(options: {
  jwt: unknown
  /** The only form accepted, when the caller was told it. */
  format?: JwtPresentationFormat | undefined
  resolver: Resolvable
  trust: TrustPolicy
  status: StatusChecker
  now: Date
  skew: number
}): Promise<PresentationParts> {
  const { resolver, now, skew } = options
  const decoded = decodeJwtCredential({ jwt: options.jwt, container: 'vp', expect: options.format })
  if (!decoded.ok) {
    const skipped = notChecked('Not checked: the presentation could not be decoded (see signature).')
    return {
      format: options.format ?? 'jwt_vp',
      signature: decoded,
      presenter: skipped,
      namedHolders: {},
      request: skipped,
      requireExpiry: true,
      credentials: [],
    }
  }
  const { format, header, payload, document, signer: holder, signingInput, signature } = decoded.value
  const { jwts, wellFormed, expect } = credentialsOf(format, document)
  const credentialsPromise = Promise.all(
    jwts.slice(0, MAX_CREDENTIALS).map((jwt) =>
      verifyJwtCredential({
        jwt: jwt as string,
        format: expect,
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
  return {
    format,
    holder,
    signature: signed,
    presenter: wellFormed
      ? ok({ did: holder })
      : fail(
          'malformed',
          format === 'jwt_vp'
            ? `A JWT VP holds 1 to ${MAX_CREDENTIALS} VC 1.1 JWT credentials.`
            : `A vp+jwt holds 1 to ${MAX_CREDENTIALS} vc+jwt credentials, each an EnvelopedVerifiableCredential (VC-JOSE-COSE).`,
        ),
    namedHolders:
      format === 'jwt_vp'
        ? { sub: payload.sub, holder: payload.holder, 'vp.holder': document.holder }
        : { iss: payload.iss, sub: payload.sub },
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
