import { isObject } from '@clavis/crypto'
import { StatusListError } from './errors'
import { isListUrl } from './url'

/** The `status` claim of a token that points into an IETF Token Status List. */
export interface TokenStatusEntry {
  status_list: { idx: number; uri: string }
}

/**
 * The `status` claim value for entry `idx` of the list at `uri`. Throws `invalid_entry` for a bad
 * URI or index.
 *
 * @example
 * const status = tokenStatusEntry({ uri: 'https://agent.example/status/2', idx: 1234 })
 * // { status_list: { idx: 1234, uri: 'https://agent.example/status/2' } }
 */
export function tokenStatusEntry(options: { uri: string; idx: number }): TokenStatusEntry {
  if (!isListUrl(options.uri))
    throw new StatusListError('invalid_entry', 'uri must be an http(s) URL without fragment.')
  if (!Number.isSafeInteger(options.idx) || options.idx < 0) {
    throw new StatusListError('invalid_entry', 'idx must be a non-negative integer.')
  }
  return { status_list: { idx: options.idx, uri: options.uri } }
}

/**
 * Reads a `status` claim strictly: `status_list` with a non-negative integer `idx` and an http(s)
 * `uri`. Anything else gives undefined.
 *
 * @example
 * const entry = parseTokenStatusEntry(payload.status)
 * if (!entry) return invalid('bad_status_entry')
 */
export function parseTokenStatusEntry(x: unknown): TokenStatusEntry | undefined {
  if (!isObject(x) || !isObject(x.status_list)) return undefined
  const { idx, uri } = x.status_list
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0 || !isListUrl(uri)) return undefined
  return { status_list: { idx, uri } }
}
