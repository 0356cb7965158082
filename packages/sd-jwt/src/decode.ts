import { base64urlDecode, parseBase64urlJson } from '@clavis/crypto'
import { Disclosure } from '@sd-jwt/core'
import { SdJwtError } from './errors'
import { digestOf, SD_ALG } from './hashing'
import type { DecodedDisclosure, DecodedKeyBindingJwt, DecodedSdJwtVc, SdJwtVcPayload } from './types'

/** Largest SD-JWT (with disclosures and KB-JWT) we decode: 256 KiB. */
export const MAX_SD_JWT_LENGTH = 256 * 1024

/** Decoded parts plus the library's disclosure objects (used by present and verify). */
export interface DecodedParts {
  decoded: DecodedSdJwtVc
  disclosures: Disclosure[]
}

/**
 * Splits an SD-JWT VC (`<jwt>~<disclosure>~…~[<kb-jwt>]`) into its parts without verifying
 * anything. Throws {@link SdJwtError} `malformed` on anything odd (no `~`, bad base64url or JSON,
 * non-object header or payload, no `iss`, bad disclosure arrays, over 256 KiB), and
 * `disclosure_invalid` when `_sd_alg` is not `sha-256`.
 *
 * @example
 * const { payload, disclosures } = decodeSdJwtVc(credential)
 * disclosures.map((d) => d.name) // ['birthDate', 'name', …]
 */
export function decodeSdJwtVc(compact: string): DecodedSdJwtVc {
  return decodeParts(compact).decoded
}

/** {@link decodeSdJwtVc} plus the `@sd-jwt/core` Disclosure objects. */
export function decodeParts(compact: string): DecodedParts {
  if (typeof compact !== 'string' || compact.length === 0) throw malformed('Expected a non-empty string.')
  if (compact.length > MAX_SD_JWT_LENGTH)
    throw malformed(`Larger than ${MAX_SD_JWT_LENGTH} characters; refusing to decode.`)
  const segments = compact.split('~')
  if (segments.length < 2) throw malformed('Not an SD-JWT: expected "<jwt>~…~".')
  const issuerJwt = segments[0]!
  const kbSegment = segments[segments.length - 1]!
  const encodedDisclosures = segments.slice(1, -1)

  const jwt = decodeJwtParts(issuerJwt, 'issuer-signed JWT')
  const payload = jwt.payload
  if (typeof payload.iss !== 'string' || payload.iss.length === 0)
    throw malformed('The payload has no "iss".')
  if (payload._sd_alg !== undefined && payload._sd_alg !== SD_ALG)
    throw new SdJwtError('disclosure_invalid', 'Unsupported _sd_alg; only sha-256 is accepted.')

  const disclosures = encodedDisclosures.map(decodeDisclosure)
  const decoded: DecodedSdJwtVc = {
    header: jwt.header,
    payload: payload as SdJwtVcPayload,
    disclosures: disclosures.map(toDecodedDisclosure),
    issuerSigningInput: jwt.signingInput,
    issuerSignature: jwt.signature,
    sdHashInput: compact.slice(0, compact.length - kbSegment.length),
  }
  if (kbSegment.length > 0) decoded.keyBindingJwt = decodeJwtParts(kbSegment, 'key-binding JWT')
  return { decoded, disclosures }
}

function decodeJwtParts(jwt: string, what: string): DecodedKeyBindingJwt {
  const parts = jwt.split('.')
  if (parts.length !== 3) throw malformed(`The ${what} does not have three parts.`)
  const [h, p, signature] = parts as [string, string, string]
  const header = parseBase64urlJson(h)
  const payload = parseBase64urlJson(p)
  if (!isPlainObject(header)) throw malformed(`The ${what} header is not a JSON object.`)
  if (!isPlainObject(payload)) throw malformed(`The ${what} payload is not a JSON object.`)
  if (signature.length === 0 || !base64urlDecode(signature))
    throw malformed(`The ${what} signature is not base64url.`)
  return { header, payload, signingInput: `${h}.${p}`, signature }
}

function decodeDisclosure(encoded: string): Disclosure {
  const item = parseBase64urlJson(encoded)
  if (!Array.isArray(item) || (item.length !== 2 && item.length !== 3))
    throw malformed('A disclosure is not a JSON array of 2 or 3 elements.')
  if (typeof item[0] !== 'string' || (item.length === 3 && typeof item[1] !== 'string'))
    throw malformed('A disclosure salt or claim name is not a string.')
  return Disclosure.fromArray(item as [string, unknown], { digest: digestOf(encoded), encoded })
}

function toDecodedDisclosure(d: Disclosure): DecodedDisclosure {
  return { digest: d._digest!, salt: d.salt, name: d.key, value: d.value }
}

/** Whether a value is a JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function malformed(message: string): SdJwtError {
  return new SdJwtError('malformed', message)
}
