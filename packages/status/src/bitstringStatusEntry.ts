import { isObject } from '@clavis/crypto'
import { StatusListError } from './errors'
import { isListUrl } from './url'

/** Purposes Clavis supports for Bitstring Status List entries. */
export type StatusPurpose = 'revocation' | 'suspension'

/** A `credentialStatus` entry pointing into a Bitstring Status List. */
export interface BitstringStatusEntry {
  id: string
  type: 'BitstringStatusListEntry'
  statusPurpose: StatusPurpose
  /** Decimal index, as the W3C spec requires a string. */
  statusListIndex: string
  statusListCredential: string
}

const PURPOSES: readonly string[] = ['revocation', 'suspension'] satisfies StatusPurpose[]
const INDEX = /^(0|[1-9][0-9]{0,15})$/

/** Whether `value` is a known {@link StatusPurpose}. */
export function isStatusPurpose(value: unknown): value is StatusPurpose {
  return typeof value === 'string' && PURPOSES.includes(value)
}

/**
 * The `credentialStatus` entry of a JWT-VC whose status is bit `index` of the list at `listUrl`.
 * Throws `invalid_entry` for a bad URL, index or purpose.
 *
 * @example
 * bitstringStatusEntry({ listUrl: 'https://agent.example/status/1', index: 94567, purpose: 'revocation' })
 * // { id: 'https://agent.example/status/1#94567', type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
 * //   statusListIndex: '94567', statusListCredential: 'https://agent.example/status/1' }
 */
export function bitstringStatusEntry(options: {
  listUrl: string
  index: number
  purpose: StatusPurpose
}): BitstringStatusEntry {
  const { listUrl, index, purpose } = options
  if (!isListUrl(listUrl))
    throw new StatusListError('invalid_entry', 'listUrl must be an http(s) URL without fragment.')
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new StatusListError('invalid_entry', 'index must be a non-negative integer.')
  }
  if (!isStatusPurpose(purpose))
    throw new StatusListError('invalid_entry', "purpose must be 'revocation' or 'suspension'.")
  return {
    id: `${listUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: listUrl,
  }
}

/**
 * Reads a `credentialStatus` entry strictly: exact type, known purpose, decimal index without
 * leading zeros, http(s) list URL, `id` (when present) a string, `statusSize` (when present) 1. Anything else gives undefined.
 *
 * @example
 * const entry = parseBitstringStatusEntry(vc.credentialStatus)
 * if (!entry) return invalid('bad_status_entry')
 */
export function parseBitstringStatusEntry(x: unknown): BitstringStatusEntry | undefined {
  if (!isObject(x)) return undefined
  const e = x
  if (e.type !== 'BitstringStatusListEntry' || !isStatusPurpose(e.statusPurpose)) return undefined
  if (typeof e.statusListIndex !== 'string' || !INDEX.test(e.statusListIndex)) return undefined
  if (!Number.isSafeInteger(Number(e.statusListIndex))) return undefined
  if (!isListUrl(e.statusListCredential)) return undefined
  if ('statusSize' in e && e.statusSize !== 1) return undefined
  if ('id' in e && (typeof e.id !== 'string' || e.id.length === 0 || e.id.length > 2100)) return undefined
  return {
    id: typeof e.id === 'string' ? e.id : `${e.statusListCredential}#${e.statusListIndex}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: e.statusPurpose,
    statusListIndex: e.statusListIndex,
    statusListCredential: e.statusListCredential,
  }
}
