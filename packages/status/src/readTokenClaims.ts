import { isObject } from '@clavis/crypto'
import { invalid, numericDate, text } from './claims'
import { type DecodeTokenStatusListOptions, decodeTokenStatusList } from './decodeTokenStatusList'
import type { TokenStatusList } from './tokenStatusList'
import { isListUrl } from './url'

/** The claims of a Status List Token (JWT), checked. */
export interface TokenClaims {
  issuer: string
  uri: string
  issuedAt: Date
  expiresAt?: Date
  ttlSeconds?: number
  list: TokenStatusList
}

/** Reads and checks `iss`, `sub`, `iat`, `exp`, `ttl` and `status_list`; throws `invalid_claims` and list codes. */
export function readTokenClaims(
  payload: Record<string, unknown>,
  options: DecodeTokenStatusListOptions,
): TokenClaims {
  const issuer = text(payload, 'iss')
  if (!isListUrl(payload.sub)) invalid('Claim sub must be the http(s) URL of the list.')
  const issuedAt = numericDate(payload, 'iat', true)
  const expiresAt = numericDate(payload, 'exp', false)
  if (expiresAt && expiresAt <= issuedAt) invalid('Claim exp must be after iat.')
  const ttl = payload.ttl
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0)) {
    invalid('Claim ttl must be a positive whole number of seconds.')
  }
  if (!isObject(payload.status_list)) invalid('Claim status_list must be an object.')
  const list = decodeTokenStatusList(
    { bits: payload.status_list.bits, lst: payload.status_list.lst },
    options,
  )
  return { issuer, uri: payload.sub, issuedAt, expiresAt, ttlSeconds: ttl, list }
}
