import { base64urlEncode, randomBytes, sha256 } from '@clavis/crypto'
import { SdJwtError } from './errors'

/** The only digest algorithm we issue and accept for disclosures and `sd_hash`. */
export const SD_ALG = 'sha-256'

/** The library's hasher (SHA-256 only; any other algorithm is refused). */
export function sdHasher(data: string | ArrayBuffer, alg: string): Uint8Array {
  if (alg !== SD_ALG)
    throw new SdJwtError('disclosure_invalid', `Unsupported _sd_alg "${alg}"; only sha-256.`)
  return sha256(typeof data === 'string' ? data : new Uint8Array(data))
}

/** Base64url SHA-256 of an ASCII string (disclosure digest, `sd_hash`). */
export function digestOf(text: string): string {
  return base64urlEncode(sha256(text))
}

/** A random salt of at least 128 bits, base64url. */
export function saltGenerator(length: number): string {
  return base64urlEncode(randomBytes(Math.max(16, length)))
}
