import { ALLOWED_JWS_ALGORITHMS, isAllowedJwsAlgorithm, type JwsAlgorithm } from './algorithms'
import { base64urlDecode, parseBase64urlJson } from './base64url'
import { isObject, type JsonObject } from './json'
import { type Failure, fail, ok, type Result } from './result'

/** Why {@link decodeJwt} refused a compact JWS. */
export type JwtDecodeFailureCode = 'too_large' | 'malformed' | 'unsupported_algorithm' | 'unexpected_header'

/** A compact JWS split and parsed, not verified: `alg` is allowed, the signature is 64 bytes. */
export interface DecodedJwt {
  header: JsonObject & { alg: JwsAlgorithm }
  payload: JsonObject
  /** `header.payload` as received: the input of the signature. */
  signingInput: string
  /** The signature as received (base64url of r ‖ s). */
  signature: string
}

/** Options of {@link decodeJwt}. */
export interface DecodeJwtOptions {
  /** The compact JWS; anything but a string is `malformed`. */
  jwt: unknown
  /** Longest input looked at, in characters (see the limits); longer is `too_large`. */
  maxLength: number
  /** Header parameters accepted; others are `unexpected_header`. Default `alg`, `typ`, `kid`. */
  headerParameters?: readonly string[]
  /** What the JWT is, for the reasons (default "JWT"). */
  name?: string
}

const ECDSA_SIGNATURE_BYTES = 64
const DEFAULT_HEADER_PARAMETERS: readonly string[] = ['alg', 'typ', 'kid']

/**
 * Decodes a compact JWS strictly, without verifying it: at most `maxLength` characters, three
 * canonical base64url segments, a JSON-object header with an allowed `alg` and only the accepted
 * parameters, a JSON-object payload, and a 64-byte ECDSA signature. Never throws. What the header's
 * `typ` and `kid` and the payload's claims must be is the caller's policy.
 *
 * @example
 * const decoded = decodeJwt({ jwt, maxLength: MAX_JWT_LENGTH })
 * if (!decoded.ok) console.log(decoded.error.code, decoded.error.reason)
 */
export function decodeJwt(options: DecodeJwtOptions): Result<DecodedJwt, Failure<JwtDecodeFailureCode>> {
  const { jwt, maxLength } = options
  const name = options.name ?? 'JWT'
  if (typeof jwt !== 'string')
    return fail('malformed', `Expected a compact ${name} string, got ${typeof jwt}.`)
  if (jwt.length === 0) return fail('malformed', `The ${name} is empty.`)
  if (jwt.length > maxLength) {
    return fail('too_large', `The ${name} is ${jwt.length} characters long; the limit is ${maxLength}.`)
  }
  const segments = jwt.split('.')
  if (segments.length !== 3) {
    return fail(
      'malformed',
      `A compact ${name} has three dot-separated parts (header.payload.signature); this one has ${segments.length}.`,
    )
  }
  const [h, p, signature] = segments as [string, string, string]
  const header = parseBase64urlJson(h)
  if (!isObject(header))
    return fail('malformed', `The ${name} header is not a base64url-encoded JSON object.`)
  if (!isAllowedJwsAlgorithm(header.alg)) {
    const shown = typeof header.alg === 'string' ? `"${header.alg}"` : 'missing'
    return fail(
      'unsupported_algorithm',
      `The ${name} algorithm ${shown} is not allowed; use one of ${ALLOWED_JWS_ALGORITHMS.join(', ')}.`,
    )
  }
  const accepted = options.headerParameters ?? DEFAULT_HEADER_PARAMETERS
  const unexpected = Object.keys(header).filter((key) => !accepted.includes(key))
  if (unexpected.length > 0) {
    return fail(
      'unexpected_header',
      `The ${name} header has parameters that are not accepted: ${unexpected.join(', ')}; only ${accepted.join(', ')} are.`,
    )
  }
  const payload = parseBase64urlJson(p)
  if (!isObject(payload))
    return fail('malformed', `The ${name} payload is not a base64url-encoded JSON object.`)
  if (base64urlDecode(signature)?.length !== ECDSA_SIGNATURE_BYTES) {
    return fail(
      'malformed',
      `The ${name} signature must be ${ECDSA_SIGNATURE_BYTES} base64url-encoded bytes (r || s).`,
    )
  }
  return ok({ header: header as DecodedJwt['header'], payload, signingInput: `${h}.${p}`, signature })
}
