import { isDid } from '@clavis/credentials'
import {
  decodeJwt,
  type Failure,
  fail,
  MAX_SD_JWT_LENGTH,
  ok,
  parseBase64urlJson,
  type Result,
} from '@clavis/crypto'
import { digestOf, SD_ALG } from './hashing'
import type { DecodedDisclosure, DecodedSdJwtVc, SdJwtFailureCode, SdJwtVcPayload } from './types'
import { SD_JWT_VC_TYP } from './vct'

/**
 * Splits an SD-JWT VC (`<jwt>~<disclosure>~…~[<kb-jwt>]`) into its parts and checks its form,
 * without verifying any signature: at most 256 KiB; the issuer-signed JWT strict (`alg` ES256K or
 * ES256, header exactly `alg`, `typ: 'dc+sd-jwt'`, `kid` — relative or a DID URL of `iss`, a bare-DID
 * `iss`, a 64-byte signature); disclosures JSON arrays of 2 or 3 with a string salt and name
 * (`malformed`); `_sd_alg` sha-256 (`disclosure_invalid`). The KB-JWT is kept as received. Never
 * throws.
 *
 * @example
 * const decoded = decodeSdJwtVc(presentation)
 * if (decoded.ok) decoded.value.disclosures.map((d) => d.name) // ['birthDate', 'name', …]
 */
export function decodeSdJwtVc(compact: unknown): Result<DecodedSdJwtVc, Failure<SdJwtFailureCode>> {
  if (typeof compact !== 'string' || compact.length === 0)
    return fail('malformed', 'Expected a non-empty string.')
  if (compact.length > MAX_SD_JWT_LENGTH)
    return fail('malformed', `Larger than ${MAX_SD_JWT_LENGTH} characters; refusing to decode.`)
  const segments = compact.split('~')
  if (segments.length < 2) return fail('malformed', 'Not an SD-JWT: expected "<jwt>~…~".')
  const kbSegment = segments[segments.length - 1]!

  const jwt = decodeJwt({ jwt: segments[0], maxLength: MAX_SD_JWT_LENGTH, name: 'issuer-signed JWT' })
  if (!jwt.ok) return fail(jwt.error.code === 'too_large' ? 'malformed' : jwt.error.code, jwt.error.reason)
  const { header, payload } = jwt.value
  if (header.typ !== SD_JWT_VC_TYP) return fail('unexpected_header', `typ must be "${SD_JWT_VC_TYP}".`)
  if (typeof payload.iss !== 'string' || !isDid(payload.iss))
    return fail('malformed', '"iss" must be a DID (no fragment, path or query).')
  const { kid } = header
  if (kid !== undefined && typeof kid !== 'string') return fail('unexpected_header', 'kid must be a string.')
  if (typeof kid === 'string' && !kid.startsWith('#') && !kid.startsWith(`${payload.iss}#`))
    return fail('unexpected_header', 'An absolute kid must be a DID URL of "iss".')
  if (payload._sd_alg !== undefined && payload._sd_alg !== SD_ALG)
    return fail('disclosure_invalid', 'Unsupported _sd_alg; only sha-256 is accepted.')

  const disclosures: DecodedDisclosure[] = []
  for (const encoded of segments.slice(1, -1)) {
    const disclosure = decodeDisclosure(encoded)
    if (!disclosure.ok) return disclosure
    disclosures.push(disclosure.value)
  }
  return ok({
    header: { alg: header.alg, typ: SD_JWT_VC_TYP, ...(kid === undefined ? {} : { kid }) },
    payload: payload as SdJwtVcPayload,
    disclosures,
    ...(kbSegment.length > 0 ? { keyBindingJwt: kbSegment } : {}),
    issuerSigningInput: jwt.value.signingInput,
    issuerSignature: jwt.value.signature,
    sdHashInput: compact.slice(0, compact.length - kbSegment.length),
  })
}

function decodeDisclosure(encoded: string): Result<DecodedDisclosure, Failure<'malformed'>> {
  const item = parseBase64urlJson(encoded)
  if (!Array.isArray(item) || (item.length !== 2 && item.length !== 3))
    return fail('malformed', 'A disclosure is not a JSON array of 2 or 3 elements.')
  if (typeof item[0] !== 'string' || (item.length === 3 && typeof item[1] !== 'string'))
    return fail('malformed', 'A disclosure salt or claim name is not a string.')
  const [salt, name, value] = item.length === 3 ? item : [item[0], undefined, item[1]]
  return ok({ digest: digestOf(encoded), salt, name, value })
}
