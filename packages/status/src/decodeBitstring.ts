import { base64urlDecode } from '@clavis/crypto'
import { Bitstring } from './bitstring'
import { gunzipBounded } from './compression'
import { StatusListError } from './errors'
import { checkMaxBytes } from './limits'

/** Options of {@link decodeBitstring}. */
export interface DecodeBitstringOptions {
  /** Cap on the decompressed size in bytes; default 16 MiB. */
  maxBytes?: number
  /** Accept lists under `MIN_LIST_ENTRIES` (tests only). */
  allowSmall?: boolean
}

/**
 * Reads an `encodedList` (multibase base64url of GZIP). Refuses other multibase prefixes, bad
 * base64url, bad GZIP, lists that decompress past `maxBytes` and lists under `MIN_LIST_ENTRIES`.
 *
 * @example
 * const list = decodeBitstring(credentialSubject.encodedList)
 * list.get(Number(entry.statusListIndex)) // true when revoked
 */
export function decodeBitstring(encodedList: string, options: DecodeBitstringOptions = {}): Bitstring {
  const maxBytes = checkMaxBytes(options.maxBytes)
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) {
    throw new StatusListError(
      'unsupported_multibase',
      "encodedList must be multibase base64url (prefix 'u').",
    )
  }
  // base64url of GZIP is at most ~4/3 × 1.001 × maxBytes; refuse far larger input before decoding.
  if (encodedList.length > Math.ceil((maxBytes * 4) / 3) + 1024) {
    throw new StatusListError('too_large', 'encodedList is longer than any list within maxBytes.')
  }
  const compressed = base64urlDecode(encodedList.slice(1))
  if (!compressed) throw new StatusListError('invalid_base64url', 'encodedList is not valid base64url.')
  return Bitstring.fromBytes(gunzipBounded(compressed, maxBytes), { allowSmall: options.allowSmall ?? false })
}
