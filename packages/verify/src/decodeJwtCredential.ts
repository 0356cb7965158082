import {
  decodeJwt,
  fail,
  isObject,
  type JsonObject,
  type JwsAlgorithm,
  MAX_JWT_LENGTH,
  ok,
} from '@clavis/crypto'
import { parse } from 'did-resolver'
import type { CheckOutcome } from './types'

const ALLOWED_TYPES: ReadonlySet<string> = new Set(['JWT', 'vc+jwt', 'vp+jwt'])
const NUMERIC_DATE_CLAIMS = ['nbf', 'exp', 'iat'] as const
const STRING_CLAIMS = ['sub', 'jti'] as const

/** The protected header after strict checks: only `alg`, `typ` and `kid`. */
export interface JwtCredentialHeader {
  alg: JwsAlgorithm
  typ?: string
  kid?: string
}

/** The payload of a JWT-VC (or JWT VP) after shape checks: `iss` is a bare DID, `vc` (`vp`) an object. */
export type JwtCredentialPayload = JsonObject & {
  iss: string
  vc: JsonObject
  sub?: string
  jti?: string
  nbf?: number
  exp?: number
  iat?: number
}

/** A JWT-VC (or JWT VP) that passed strict decoding. Its signature has not been checked. */
export interface DecodedJwtCredential {
  header: JwtCredentialHeader
  payload: JwtCredentialPayload
  /** `header.payload` as received. */
  signingInput: string
  /** The base64url signature as received. */
  signature: string
}

/**
 * Decodes a compact JWT-VC (or, with `container: 'vp'`, a JWT VP) strictly, without verifying its
 * signature: `decodeJwt` from `@clavis/crypto` (at most {@link MAX_JWT_LENGTH}, strict base64url,
 * `alg` ES256K or ES256, only `alg`, `typ` and `kid`, a 64-byte signature; oversize is `malformed`),
 * then a `typ` of `JWT` or `vc+jwt` (`vp+jwt`), a non-empty `kid`, a bare-DID `iss`, a `vc` (`vp`)
 * object, numeric `nbf`/`exp`/`iat` and string `sub`/`jti`. Never throws.
 *
 * @example
 * const decoded = decodeJwtCredential({ jwt })
 * if (!decoded.ok) console.log(decoded.error.code, decoded.error.reason)
 */
export function decodeJwtCredential(options: {
  jwt: unknown
  container?: 'vc' | 'vp'
}): CheckOutcome<DecodedJwtCredential> {
  const container = options.container ?? 'vc'
  const decoded = decodeJwt({ jwt: options.jwt, maxLength: MAX_JWT_LENGTH })
  if (!decoded.ok) {
    const { code, reason } = decoded.error
    return fail(code === 'too_large' ? 'malformed' : code, reason)
  }
  const { header, payload, signingInput, signature } = decoded.value
  const { alg, typ, kid } = header
  if (
    typ !== undefined &&
    !(typeof typ === 'string' && ALLOWED_TYPES.has(typ) && !typ.startsWith(container === 'vc' ? 'vp' : 'vc'))
  ) {
    return fail('unexpected_header', `The JWT header typ must be "JWT" or "${container}+jwt" when present.`)
  }
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0)) {
    return fail('unexpected_header', 'The JWT header kid must be a non-empty string when present.')
  }
  const { iss } = payload
  if (typeof iss !== 'string' || parse(iss)?.did !== iss) {
    return fail('malformed', 'The JWT iss must be a DID without path, query or fragment.')
  }
  if (!isObject(payload[container])) {
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
  return ok({
    header: {
      alg,
      ...(typeof typ === 'string' ? { typ } : {}),
      ...(typeof kid === 'string' ? { kid } : {}),
    },
    payload: payload as JwtCredentialPayload,
    signingInput,
    signature,
  })
}
