import { isObject } from '@clavis/crypto'
import type { Bitstring } from './bitstring'
import { isStatusPurpose, type StatusPurpose } from './bitstringStatusEntry'
import { invalid, numericDate, text } from './claims'
import { type DecodeBitstringOptions, decodeBitstring } from './decodeBitstring'
import { CREDENTIALS_V2_CONTEXT } from './signBitstringStatusListCredential'
import { isListUrl } from './url'

/** The claims of a BitstringStatusListCredential JWT-VC, checked. */
export interface BitstringClaims {
  issuer: string
  uri: string
  notBefore: Date
  issuedAt: Date
  expiresAt?: Date
  ttlSeconds?: number
  purpose: StatusPurpose
  list: Bitstring
}

function sameInstant(iso: unknown, date: Date | undefined): boolean {
  if (typeof iso !== 'string' || !date) return false
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) return false
  return Math.floor(Date.parse(iso) / 1000) * 1000 === date.getTime()
}

/**
 * Reads and checks the JWT claims and the `vc` claim of a status list credential: VC 2.0 context,
 * exact types, `id` = `jti`, `issuer` = `iss`, `validFrom` = `nbf`, `validUntil` = `exp`.
 */
export function readBitstringClaims(
  payload: Record<string, unknown>,
  options: DecodeBitstringOptions,
): BitstringClaims {
  const issuer = text(payload, 'iss')
  if (!isListUrl(payload.jti)) invalid('Claim jti must be the http(s) URL of the list.')
  const uri = payload.jti
  const notBefore = numericDate(payload, 'nbf', true)
  const issuedAt = numericDate(payload, 'iat', false) ?? notBefore
  const expiresAt = numericDate(payload, 'exp', false)
  if (expiresAt && expiresAt <= notBefore) invalid('Claim exp must be after nbf.')
  const vc = payload.vc
  if (!isObject(vc)) invalid('Claim vc must be an object.')
  const context = vc['@context']
  if (!Array.isArray(context) || context[0] !== CREDENTIALS_V2_CONTEXT)
    invalid('vc must use the VC 2.0 context.')
  const type = vc.type
  if (
    !Array.isArray(type) ||
    type.length !== 2 ||
    !type.includes('VerifiableCredential') ||
    !type.includes('BitstringStatusListCredential')
  ) {
    invalid('vc.type must be VerifiableCredential and BitstringStatusListCredential.')
  }
  if (vc.id !== uri) invalid('vc.id must equal jti.')
  const vcIssuer = isObject(vc.issuer) ? vc.issuer.id : vc.issuer
  if (vcIssuer !== issuer) invalid('vc.issuer must equal iss.')
  if (!sameInstant(vc.validFrom, notBefore)) invalid('vc.validFrom must equal nbf.')
  if ((vc.validUntil !== undefined || expiresAt) && !sameInstant(vc.validUntil, expiresAt)) {
    invalid('vc.validUntil must equal exp.')
  }
  const subject = vc.credentialSubject
  if (!isObject(subject) || subject.type !== 'BitstringStatusList') {
    invalid('vc.credentialSubject must be one BitstringStatusList.')
  }
  if (!isStatusPurpose(subject.statusPurpose)) invalid("statusPurpose must be 'revocation' or 'suspension'.")
  if (subject.statusSize !== undefined && subject.statusSize !== 1) invalid('statusSize must be 1.')
  const ttl = subject.ttl
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0)) {
    invalid('credentialSubject.ttl must be a positive whole number of milliseconds.')
  }
  if (typeof subject.encodedList !== 'string') invalid('credentialSubject.encodedList must be a string.')
  const list = decodeBitstring(subject.encodedList, options)
  return {
    issuer,
    uri,
    notBefore,
    issuedAt,
    expiresAt,
    ttlSeconds: ttl === undefined ? undefined : ttl / 1000,
    purpose: subject.statusPurpose,
    list,
  }
}
