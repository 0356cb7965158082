import { StatusListError } from './errors'

/** Smallest list W3C Bitstring Status List allows (16 KiB of bits), for herd privacy. */
export const MIN_LIST_ENTRIES = 131072

/** Default cap on a decompressed list: 16 MiB. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024

/** Validates a `maxBytes` option (default {@link DEFAULT_MAX_BYTES}); throws `invalid_options`. */
export function checkMaxBytes(maxBytes: number | undefined): number {
  const value = maxBytes ?? DEFAULT_MAX_BYTES
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new StatusListError('invalid_options', 'maxBytes must be a positive integer.')
  }
  return value
}
