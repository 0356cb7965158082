import { parse } from 'did-resolver'
import { ALLOWED_JWS_ALGORITHMS, type AllowedJwsAlgorithm, isAllowedJwsAlgorithm } from './algorithms'
import { decodeBase64urlStrict, decodeJsonSegment } from './base64url'
import type { CheckFailure, JsonObject } from './types'

/** Largest JWT (in characters) that is looked at; anything longer is `malformed`. 64 KiB. */
export const MAX_JWT_LENGTH = 64 * 1024

const ALLOWED_HEADER_PARAMETERS: ReadonlySet<string> = new Set(['alg', 'typ', 'kid'])
const ALLOWED_TYPES: ReadonlySet<string> = new Set(['JWT', 'vc+jwt', 'vp+jwt'])
const NUMERIC_DATE_CLAIMS = ['nbf', 'exp', 'iat'] as const
const STRING_CLAIMS = ['sub', 'jti'] as const
const ECDSA_SIGNATURE_BYTES = 64

/** The protected header after strict checks: only `alg`, `typ` and `kid`. */
export interface JwtCredentialHeader {
  alg: AllowedJwsAlgorithm
  typ?: string
  kid?: string
}

/** The JWT-VC payload after shape checks: `iss` is a bare DID and `vc` is an object. */
export type JwtCredentialPayload = JsonObject & {
  iss: string
  vc: JsonObject
  sub?: string
  jti?: string
  nbf?: number
  exp?: number
  iat?: number
}

/** A JWT-VC that passed strict decoding. Its signature has not been checked. */
export interface DecodedJwtCredential {
  header: JwtCredentialHeader
  payload: JwtCredentialPayload
}

/** The outcome of {@link decodeJwtCredential}. */
export type DecodeJwtCredentialResult =
  | { ok: true; decoded: DecodedJwtCredential }
  | { ok: false; failure: CheckFailure }

const fail = (code: CheckFailure['code'], reason: string): { ok: false; failure: CheckFailure } => ({
  ok: false,
  failure: { passed: false, code, reason },
})

/**
 * Decodes a compact JWT-VC strictly, without verifying its signature. Refuses oversize input,
 * anything but three strict base64url segments, algorithms outside {@link ALLOWED_JWS_ALGORITHMS},
 * header parameters other than `alg`, `typ` and `kid`, a `typ` other than `JWT` or `vc+jwt`, and
 * payloads without a bare-DID `iss` and a `vc` object. Never throws.
 *
 * @example
 * const result = decodeJwtCredential({ jwt })
 * if (!result.ok) console.log(result.failure.code, result.failure.reason)
 */
export function decodeJwtCredential(options: {
  jwt: unknown
  container?: 'vc' | 'vp'
}): DecodeJwtCredentialResult {
  const { jwt } = options
  const container = options.container ?? 'vc'
  if (typeof jwt !== 'string') return fail('malformed', `Expected a compact JWT string, got ${typeof jwt}.`)
  if (jwt.length === 0) return fail('malformed', 'The JWT is empty.')
  if (jwt.length > MAX_JWT_LENGTH) {
    return fail('malformed', `The JWT is ${jwt.length} characters long; the limit is ${MAX_JWT_LENGTH}.`)
  }
  const segments = jwt.split('.')
  if (segments.length !== 3) {
    return fail(
      'malformed',
      `A compact JWT has three dot-separated parts (header.payload.signature); this one has ${segments.length}.`,
    )
  }
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string]

  const header = decodeJsonSegment(headerSegment)
  if (!header) return fail('malformed', 'The JWT header is not a base64url-encoded JSON object.')
  const { alg, typ, kid } = header
  if (!isAllowedJwsAlgorithm(alg)) {
    const shown = typeof alg === 'string' ? `"${alg}"` : 'missing'
    return fail(
      'unsupported_algorithm',
      `The JWT algorithm ${shown} is not allowed; use one of ${ALLOWED_JWS_ALGORITHMS.join(', ')}.`,
    )
  }
  const unexpected = Object.keys(header).filter((name) => !ALLOWED_HEADER_PARAMETERS.has(name))
  if (unexpected.length > 0) {
    return fail(
      'unexpected_header',
      `The JWT header has parameters that are not accepted: ${unexpected.join(', ')}; only alg, typ and kid are.`,
    )
  }
  if (
    typ !== undefined &&
    !(typeof typ === 'string' && ALLOWED_TYPES.has(typ) && !typ.startsWith(container === 'vc' ? 'vp' : 'vc'))
  ) {
    return fail('unexpected_header', `The JWT header typ must be "JWT" or "${container}+jwt" when present.`)
  }
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) {
    return fail('unexpected_header', 'The JWT header kid must be a non-empty string when present.')
  }

  const payload = decodeJsonSegment(payloadSegment)
  if (!payload) return fail('malformed', 'The JWT payload is not a base64url-encoded JSON object.')

  const signature = decodeBase64urlStrict(signatureSegment)
  if (!signature || signature.length !== ECDSA_SIGNATURE_BYTES) {
    return fail(
      'malformed',
      `The JWT signature must be ${ECDSA_SIGNATURE_BYTES} base64url-encoded bytes (r || s).`,
    )
  }

  const { iss } = payload
  if (typeof iss !== 'string' || parse(iss)?.did !== iss) {
    return fail('malformed', 'The JWT iss must be a DID without path, query or fragment.')
  }
  const body = payload[container]
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(
      'malformed',
      `The JWT payload has no ${container} object, so it is not a JWT-${container === 'vc' ? 'VC' : 'VP'}.`,
    )
  }
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

  return {
    ok: true,
    decoded: {
      header: {
        alg,
        ...(typeof typ === 'string' ? { typ } : {}),
        ...(typeof kid === 'string' ? { kid } : {}),
      },
      payload: payload as JwtCredentialPayload,
    },
  }
}
