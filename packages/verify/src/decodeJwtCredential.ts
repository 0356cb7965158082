import {
  decodeJwt,
  type Failure,
  fail,
  isObject,
  type JsonObject,
  type JwsAlgorithm,
  MAX_JWT_LENGTH,
  ok,
} from '@clavis/crypto'
import { parse } from 'did-resolver'
import type { CheckOutcome, VerificationFailureCode } from './types'

/** The W3C VC base contexts: VC Data Model 1.1 §4.1 and VC Data Model 2.0 §4.3. */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1'
export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2'

/**
 * How a JWT secures a credential (presentation): `jwt_vc` (`jwt_vp`) is the VC Data Model 1.1 JWT
 * encoding (VC DM 1.1 §6.3.1, `typ: JWT`, the credential in the `vc` claim; OpenID4VCI's
 * `jwt_vc_json`); `vc+jwt` (`vp+jwt`) is VC Data Model 2.0 secured with VC-JOSE-COSE (the JWT
 * Claims Set is the credential).
 */
export type JwtCredentialFormat = 'jwt_vc' | 'vc+jwt'
export type JwtPresentationFormat = 'jwt_vp' | 'vp+jwt'

const NUMERIC_DATE_CLAIMS = ['nbf', 'exp', 'iat'] as const
const STRING_CLAIMS = ['sub', 'jti'] as const

/** The protected header after strict checks: only `alg`, `typ` and `kid` (and `cty` on a 2.0 JWT). */
export interface JwtCredentialHeader {
  alg: JwsAlgorithm
  typ?: string
  kid?: string
}

/** A JWT-VC (or JWT VP) that passed strict decoding. Its signature has not been checked. */
export interface DecodedJwtCredential<F extends string = JwtCredentialFormat | JwtPresentationFormat> {
  format: F
  header: JwtCredentialHeader
  /** The JWT Claims Set as signed; `nbf`, `exp`, `iat` are numbers and `sub`, `jti` strings when present. */
  payload: JsonObject
  /** The credential (presentation): the `vc` (`vp`) claim of a 1.1 JWT, the claims set of a 2.0 one. */
  document: JsonObject
  /** The DID whose key must have signed: `iss` (1.1), the `issuer` (`holder`) id (2.0). */
  signer: string
  /** `header.payload` as received. */
  signingInput: string
  /** The base64url signature as received. */
  signature: string
}

const isBareDid = (value: unknown): value is string =>
  typeof value === 'string' && parse(value)?.did === value
const idOf = (value: unknown): unknown => (isObject(value) ? value.id : value)
const firstContext = (document: JsonObject): unknown =>
  Array.isArray(document['@context']) ? document['@context'][0] : document['@context']
const contexts = (document: JsonObject): unknown[] =>
  Array.isArray(document['@context']) ? document['@context'] : [document['@context']]

type Refusal = Failure<VerificationFailureCode>
const malformed = (reason: string): Refusal => ({ code: 'malformed', reason })

/**
 * VC 1.1 JWT (VC DM 1.1 §6.3.1): `typ`, if present, `JWT`; a bare-DID `iss`; the credential in
 * `vc` (`vp`) with the 1.1 context first (§4.1) and nothing of VC 2.0 — no v2 context, no
 * `validFrom`/`validUntil` (§4.9 of VC DM 2.0; 1.1 has `issuanceDate`/`expirationDate`) — and no
 * credential in the claims set itself (that is a `vc+jwt`).
 */
function readV1(
  payload: JsonObject,
  container: 'vc' | 'vp',
): Refusal | { document: JsonObject; signer: string } {
  const document = payload[container]
  if (!isObject(document))
    return malformed(
      `The JWT payload has no ${container} object, so it is not a JWT-${container === 'vc' ? 'VC' : 'VP'} (VC 1.1); a VC 2.0 ${container}+jwt must say so in typ.`,
    )
  if (!isBareDid(payload.iss)) return malformed('The JWT iss must be a DID without path, query or fragment.')
  if (payload['@context'] !== undefined)
    return malformed(
      `A VC 1.1 JWT carries the ${container === 'vc' ? 'credential' : 'presentation'} in its ${container} claim; a claims set that is one is a ${container}+jwt (VC-JOSE-COSE).`,
    )
  if (firstContext(document) !== VC_CONTEXT_V1 || contexts(document).includes(VC_CONTEXT_V2))
    return malformed(
      `A VC 1.1 JWT's ${container}.@context starts with ${VC_CONTEXT_V1} (VC Data Model 1.1 §4.1) and is not VC 2.0.`,
    )
  for (const name of ['validFrom', 'validUntil'])
    if (document[name] !== undefined || payload[name] !== undefined)
      return malformed(
        `VC 1.1 has no ${name} (VC 2.0 has): a VC 1.1 JWT states validity in issuanceDate/expirationDate, nbf and exp.`,
      )
  return { document, signer: payload.iss }
}

/**
 * VC 2.0 secured with VC-JOSE-COSE: the claims set is the credential (presentation) — "The JWT Claim
 * Names vc and vp MUST NOT be present" — with the v2 context first (VC DM 2.0 §4.3) and nothing of
 * VC 1.1 (no 1.1 context, no `issuanceDate`/`expirationDate`); the signer is the `issuer`
 * (`holder`) id, a bare DID (`iss`, if present, must match it: `checkSignerIsIssuer`); `kid` MUST
 * be present, the key being a DID URL (VC-JOSE-COSE "kid"); `cty`, if present, is `vc` (`vp`).
 */
function readV2(
  payload: JsonObject,
  header: JsonObject,
  container: 'vc' | 'vp',
): Refusal | { document: JsonObject; signer: string } {
  if (header.cty !== undefined && header.cty !== container)
    return {
      code: 'unexpected_header',
      reason: `The cty of a ${container}+jwt, when present, is "${container}".`,
    }
  if (typeof header.kid !== 'string')
    return {
      code: 'unexpected_header',
      reason: `A ${container}+jwt signed with a DID key names it in kid (VC-JOSE-COSE, "kid").`,
    }
  if (payload.vc !== undefined || payload.vp !== undefined)
    return malformed(
      `A ${container}+jwt is the ${container === 'vc' ? 'credential' : 'presentation'} itself: the JWT claims vc and vp must not be present (VC-JOSE-COSE).`,
    )
  if (firstContext(payload) !== VC_CONTEXT_V2 || contexts(payload).includes(VC_CONTEXT_V1))
    return malformed(
      `A ${container}+jwt's @context starts with ${VC_CONTEXT_V2} (VC Data Model 2.0 §4.3) and is not VC 1.1.`,
    )
  for (const name of ['issuanceDate', 'expirationDate'])
    if (payload[name] !== undefined)
      return malformed(
        `VC 2.0 has no ${name} (VC 1.1 has): a ${container}+jwt states validity in validFrom/validUntil.`,
      )
  const role = container === 'vc' ? 'issuer' : 'holder'
  const signer = idOf(payload[role])
  if (!isBareDid(signer))
    return malformed(
      `The ${role} of a ${container}+jwt must be a DID without path, query or fragment (or an object with it as id).`,
    )
  // `iss`, if present, MUST match it (VC-JOSE-COSE, "iss"): checked with the other fields naming the signer.
  return { document: payload, signer }
}

/**
 * Decodes a compact JWT-VC (or, with `container: 'vp'`, a JWT VP) strictly, without verifying its
 * signature, in either form, told apart by `typ`: `JWT` or none is the VC 1.1 JWT encoding
 * (`jwt_vc`/`jwt_vp`), `vc+jwt` (`vp+jwt`) is VC 2.0 secured with VC-JOSE-COSE. First `decodeJwt`
 * from `@clavis/crypto` (at most {@link MAX_JWT_LENGTH}, strict base64url, `alg` ES256K or ES256,
 * only `alg`, `typ`, `kid` and, for 2.0, `cty`, a 64-byte signature; oversize is `malformed`), then
 * each form's own rules — and never a mix of the two (see `readV1`, `readV2`) — numeric
 * `nbf`/`exp`/`iat` and string `sub`/`jti`. `expect` names the only form accepted (the VP around a
 * credential decides it). Never throws.
 *
 * @example
 * const decoded = decodeJwtCredential({ jwt })
 * if (decoded.ok) decoded.value.format // 'jwt_vc' or 'vc+jwt'
 */
export function decodeJwtCredential(options: {
  jwt: unknown
  container?: 'vc'
  expect?: JwtCredentialFormat | undefined
}): CheckOutcome<DecodedJwtCredential<JwtCredentialFormat>>
export function decodeJwtCredential(options: {
  jwt: unknown
  container: 'vp'
  expect?: JwtPresentationFormat | undefined
}): CheckOutcome<DecodedJwtCredential<JwtPresentationFormat>>
export function decodeJwtCredential(options: {
  jwt: unknown
  container?: 'vc' | 'vp'
  expect?: JwtCredentialFormat | JwtPresentationFormat | undefined
}): CheckOutcome<DecodedJwtCredential> {
  const container = options.container ?? 'vc'
  const decoded = decodeJwt({
    jwt: options.jwt,
    maxLength: MAX_JWT_LENGTH,
    headerParameters: ['alg', 'typ', 'kid', 'cty'],
  })
  if (!decoded.ok) {
    const { code, reason } = decoded.error
    return fail(code === 'too_large' ? 'malformed' : code, reason)
  }
  const { header, payload, signingInput, signature } = decoded.value
  const { alg, typ, kid } = header
  const v2 = `${container}+jwt`
  const v1 = container === 'vc' ? 'jwt_vc' : 'jwt_vp'
  if (typ !== undefined && typ !== 'JWT' && typ !== v2) {
    return fail(
      'unexpected_header',
      `The JWT header typ must be "JWT" (VC 1.1) or "${v2}" (VC 2.0) when present.`,
    )
  }
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) {
    return fail('unexpected_header', 'The JWT header kid must be a non-empty string when present.')
  }
  const format = (typ === v2 ? v2 : v1) as JwtCredentialFormat | JwtPresentationFormat
  if (options.expect !== undefined && format !== options.expect)
    return fail('malformed', `Expected a ${options.expect} here, got a ${format}.`)
  if (format === v1 && header.cty !== undefined)
    return fail('unexpected_header', 'A VC 1.1 JWT has no cty header parameter.')
  const read = format === v2 ? readV2(payload, header, container) : readV1(payload, container)
  if ('code' in read) return fail(read.code, read.reason)
  for (const claim of NUMERIC_DATE_CLAIMS) {
    const value = payload[claim]
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) {
      return fail('malformed', `The JWT ${claim} must be a number of seconds since 1970-01-01T00:00:00Z.`)
    }
  }
  for (const claim of STRING_CLAIMS) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') {
      return fail('malformed', `The JWT ${claim} must be a string.`)
    }
  }
  return ok({
    format,
    header: {
      alg,
      ...(typeof typ === 'string' ? { typ } : {}),
      ...(typeof kid === 'string' ? { kid } : {}),
    },
    payload,
    document: read.document,
    signer: read.signer,
    signingInput,
    signature,
  })
}
