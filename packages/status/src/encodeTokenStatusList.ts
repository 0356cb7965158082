import { base64urlEncode } from '@clavis/crypto'
import { zlib } from './compression'
import type { TokenStatusBits, TokenStatusList } from './tokenStatusList'

/** The JSON `status_list` object of the IETF Token Status List. */
export interface EncodedTokenStatusList {
  bits: TokenStatusBits
  /** base64url (no padding) of the ZLIB/DEFLATE-compressed bytes. */
  lst: string
}

/**
 * The JSON form of a token status list: `{ bits, lst }` with `lst` the base64url of the ZLIB
 * (RFC 1950) DEFLATE of the bytes at the highest compression level.
 *
 * @example
 * const list = TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits: 1 })
 * encodeTokenStatusList(list) // { bits: 1, lst: 'eNrt…' }
 */
export function encodeTokenStatusList(list: TokenStatusList): EncodedTokenStatusList {
  return { bits: list.bits, lst: base64urlEncode(zlib(list.toBytes())) }
}
