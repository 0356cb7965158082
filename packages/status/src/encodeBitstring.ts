import { base64urlEncode } from '@clavis/crypto'
import type { Bitstring } from './bitstring'
import { gzip } from './compression'

/**
 * The `encodedList` of a Bitstring Status List: multibase base64url (`u` prefix, no padding) of the
 * GZIP of the bits.
 *
 * @example
 * const list = Bitstring.create(MIN_LIST_ENTRIES)
 * encodeBitstring(list) // 'uH4sIAAAAAAAAA…'
 */
export function encodeBitstring(list: Bitstring): string {
  return `u${base64urlEncode(gzip(list.toBytes()))}`
}
