import { type DecodedJwt, decodeJwt, type JwsAlgorithm, MAX_STATUS_LIST_JWT_LENGTH } from '@clavis/crypto'
import type { StatusPurpose } from './bitstringStatusEntry'
import type { BitstringListFormat } from './contexts'
import { StatusListError } from './errors'
import { readBitstringClaims } from './readBitstringClaims'
import { readTokenClaims } from './readTokenClaims'

/** The protected header of a status-list JWT: exactly these parameters (and `cty: vc` on a `vc+jwt`). */
export interface StatusListJwtHeader {
  alg: JwsAlgorithm
  typ: 'statuslist+jwt' | 'JWT' | 'vc+jwt'
  kid: string
}

/** The media type of each form: Token Status List §5.1, RFC 7519 §10.3.1, VC-JOSE-COSE §6.1. */
const MEDIA_TYPES = {
  'statuslist+jwt': 'application/statuslist+jwt',
  JWT: 'application/jwt',
  'vc+jwt': 'application/vc+jwt',
} as const

/** The media type a status-list JWT is served as, by its `typ`. */
export type StatusListMediaType = (typeof MEDIA_TYPES)[keyof typeof MEDIA_TYPES]

/** A status-list JWT, parsed and checked but not yet signature-verified. */
export interface DecodedStatusListJwt {
  /** `token`: IETF Token Status List (`statuslist+jwt`); `bitstring`: W3C BitstringStatusListCredential. */
  kind: 'token' | 'bitstring'
  /** Bitstring lists: how the credential is secured (`jwt_vc`: VC 1.1 JWT; `vc+jwt`: VC-JOSE-COSE). */
  format?: BitstringListFormat
  /** What to serve it as: `application/statuslist+jwt`, `application/jwt` (VC 1.1) or `application/vc+jwt`. */
  mediaType: StatusListMediaType
  header: StatusListJwtHeader
  payload: Record<string, unknown>
  /** `header.payload` as received, for `verifySignature`. */
  signingInput: string
  /** base64url signature, for `verifySignature`. */
  signature: string
  /** `iss`: verify the signature with this DID's keys. */
  issuer: string
  /** The list's own URL (`sub` for token lists, `jti` = `vc.id` or the `vc+jwt`'s `id` for bitstring lists). */
  uri: string
  /** `iat` (bitstring: `iat`, else `nbf`, or `validFrom` in a `vc+jwt`). */
  issuedAt?: Date
  /** Start of validity (bitstring lists only: `nbf`, or the later of `validFrom` and `nbf`). */
  notBefore?: Date
  expiresAt?: Date
  /** Cache lifetime in seconds (bitstring `ttl` is in milliseconds and is converted). */
  ttlSeconds?: number
  /** Bitstring lists only. */
  purpose?: StatusPurpose
  /** Number of entries. */
  size: number
  /** Bits per entry (1 for bitstring lists). */
  bits: number
  /** The status at `index` (bitstring: 1 = set); throws `index_out_of_range`. */
  read(index: number): number
}

/** Options of {@link decodeStatusListJwt}. */
export interface DecodeStatusListJwtOptions {
  /** Cap on the decompressed list; default 16 MiB. */
  maxBytes?: number
  /** Accept lists under `MIN_LIST_ENTRIES` entries (tests and foreign examples only). */
  allowSmall?: boolean
}

/**
 * The header's `typ`, `kid` and, on a `vc+jwt` only, `cty: vc` (VC-JOSE-COSE: "When present, the
 * cty header parameter SHOULD be vc"); `decodeJwt` checked `alg` and that there is nothing else.
 */
function readHeader(value: DecodedJwt['header']): StatusListJwtHeader {
  if (value.typ !== 'statuslist+jwt' && value.typ !== 'JWT' && value.typ !== 'vc+jwt') {
    throw new StatusListError(
      'unexpected_header',
      "typ must be 'statuslist+jwt' (token list), 'JWT' (VC 1.1 bitstring list) or 'vc+jwt' (VC 2.0 bitstring list).",
    )
  }
  if (value.cty !== undefined && !(value.typ === 'vc+jwt' && value.cty === 'vc')) {
    throw new StatusListError('unexpected_header', "cty may only be 'vc', on a vc+jwt.")
  }
  if (typeof value.kid !== 'string' || value.kid.length === 0 || value.kid.length > 512) {
    throw new StatusListError('unexpected_header', 'kid must be a non-empty string.')
  }
  return { alg: value.alg, typ: value.typ, kid: value.kid }
}

/**
 * Parses a status-list JWT strictly (size, structure, algorithm allow-list, header parameters,
 * required claims, the list itself) without checking the signature. Verify `signature` over
 * `signingInput` with the issuer DID's key named by `header.kid`, then call `checkStatusListJwt`.
 *
 * @example
 * const decoded = decodeStatusListJwt(jwt)
 * if (!verifySignature({ alg: decoded.header.alg, publicKey, data: decoded.signingInput, signature: decoded.signature })) …
 * const result = checkStatusListJwt({ decoded, expectedIssuer, expectedUri, now: new Date() })
 * if (result.ok) decoded.read(index)
 */
export function decodeStatusListJwt(
  jwt: string,
  options: DecodeStatusListJwtOptions = {},
): DecodedStatusListJwt {
  const decoded = decodeJwt({
    jwt,
    maxLength: MAX_STATUS_LIST_JWT_LENGTH,
    headerParameters: ['alg', 'typ', 'kid', 'cty'],
    name: 'status-list JWT',
  })
  if (!decoded.ok) throw new StatusListError(decoded.error.code, decoded.error.reason)
  const { payload, signingInput, signature } = decoded.value
  const header = readHeader(decoded.value.header)
  const common = { header, mediaType: MEDIA_TYPES[header.typ], payload, signingInput, signature }
  if (header.typ === 'statuslist+jwt') {
    const claims = readTokenClaims(payload, options)
    const { list } = claims
    return {
      kind: 'token',
      ...common,
      issuer: claims.issuer,
      uri: claims.uri,
      issuedAt: claims.issuedAt,
      expiresAt: claims.expiresAt,
      ttlSeconds: claims.ttlSeconds,
      size: list.size,
      bits: list.bits,
      read: (index) => list.get(index),
    }
  }
  const format = header.typ === 'vc+jwt' ? 'vc+jwt' : 'jwt_vc'
  const claims = readBitstringClaims(payload, format, options)
  const { list } = claims
  return {
    kind: 'bitstring',
    format,
    ...common,
    issuer: claims.issuer,
    uri: claims.uri,
    issuedAt: claims.issuedAt,
    notBefore: claims.notBefore,
    expiresAt: claims.expiresAt,
    ttlSeconds: claims.ttlSeconds,
    purpose: claims.purpose,
    size: list.size,
    bits: 1,
    read: (index) => (list.get(index) ? 1 : 0),
  }
}
