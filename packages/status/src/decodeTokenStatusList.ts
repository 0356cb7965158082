import { base64urlDecode } from '@clavis/crypto'
import { unzlibBounded } from './compression'
import { StatusListError } from './errors'
import { checkMaxBytes } from './limits'
import { isTokenStatusBits, TokenStatusList } from './tokenStatusList'

/** Options of {@link decodeTokenStatusList}. */
export interface DecodeTokenStatusListOptions {
  /** Cap on the decompressed size in bytes; default 16 MiB. */
  maxBytes?: number
  /** Accept lists under `MIN_LIST_ENTRIES` entries (tests and foreign examples only). */
  allowSmall?: boolean
}

/**
 * Reads a JSON `status_list` object `{ bits, lst }`. Refuses other `bits`, bad base64url, bad ZLIB,
 * lists that decompress past `maxBytes` and lists under `MIN_LIST_ENTRIES` entries.
 *
 * @example
 * const list = decodeTokenStatusList(payload.status_list)
 * list.get(idx) === TOKEN_STATUS.VALID
 */
export function decodeTokenStatusList(
  encoded: { bits: unknown; lst: unknown },
  options: DecodeTokenStatusListOptions = {},
): TokenStatusList {
  const maxBytes = checkMaxBytes(options.maxBytes)
  if (!encoded || typeof encoded !== 'object')
    throw new StatusListError('malformed', 'status_list must be an object.')
  const { bits, lst } = encoded
  if (!isTokenStatusBits(bits)) throw new StatusListError('invalid_bits', 'bits must be 1, 2, 4 or 8.')
  if (typeof lst !== 'string') throw new StatusListError('malformed', 'lst must be a string.')
  if (lst.length > Math.ceil((maxBytes * 4) / 3) + 1024) {
    throw new StatusListError('too_large', 'lst is longer than any list within maxBytes.')
  }
  const compressed = base64urlDecode(lst)
  if (!compressed) throw new StatusListError('invalid_base64url', 'lst is not valid base64url.')
  return TokenStatusList.fromBytes(unzlibBounded(compressed, maxBytes), bits, {
    allowSmall: options.allowSmall ?? false,
  })
}
