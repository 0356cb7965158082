import { isObject } from '@clavis/crypto'
import type { Bitstring } from './bitstring'
import { isStatusPurpose, type StatusPurpose } from './bitstringStatusEntry'
import { invalid, numericDate, text } from './claims'
import {
  type BitstringListFormat,
  CREDENTIALS_V1_CONTEXT,
  CREDENTIALS_V2_CONTEXT,
  STATUS_LIST_CONTEXT,
} from './contexts'
import { type DecodeBitstringOptions, decodeBitstring } from './decodeBitstring'
import { isListUrl } from './url'

/** The claims of a BitstringStatusListCredential JWT, checked. */
export interface BitstringClaims {
  issuer: string
  uri: string
  notBefore?: Date
  issuedAt?: Date
  expiresAt?: Date
  ttlSeconds?: number
  purpose: StatusPurpose
  list: Bitstring
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** An XML Schema dateTime with a time zone, as a Date (to the second); `undefined` if absent. */
function dateTime(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
    invalid(`${name} must be a dateTime with a time zone.`)
  return new Date(Math.floor(Date.parse(value) / 1000) * 1000)
}

const latest = (...dates: (Date | undefined)[]) =>
  dates.reduce<Date | undefined>((a, b) => (b && (!a || b > a) ? b : a), undefined)
const earliest = (...dates: (Date | undefined)[]) =>
  dates.reduce<Date | undefined>((a, b) => (b && (!a || b < a) ? b : a), undefined)

const issuerId = (value: unknown) => (isObject(value) ? value.id : value)

/**
 * The credential itself, whichever way it is secured: types exactly `VerifiableCredential` and
 * `BitstringStatusListCredential`, one `BitstringStatusList` subject with a known purpose,
 * `statusSize` 1, a ttl in milliseconds and the list (Bitstring Status List v1.0 §2.2).
 */
function readCredential(vc: Record<string, unknown>, options: DecodeBitstringOptions) {
  const type = vc.type
  if (
    !Array.isArray(type) ||
    type.length !== 2 ||
    !type.includes('VerifiableCredential') ||
    !type.includes('BitstringStatusListCredential')
  ) {
    invalid('type must be VerifiableCredential and BitstringStatusListCredential.')
  }
  const subject = vc.credentialSubject
  if (!isObject(subject) || subject.type !== 'BitstringStatusList') {
    invalid('credentialSubject must be one BitstringStatusList.')
  }
  if (!isStatusPurpose(subject.statusPurpose)) invalid("statusPurpose must be 'revocation' or 'suspension'.")
  if (subject.statusSize !== undefined && subject.statusSize !== 1) invalid('statusSize must be 1.')
  const ttl = subject.ttl
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0)) {
    invalid('credentialSubject.ttl must be a positive whole number of milliseconds.')
  }
  if (typeof subject.encodedList !== 'string') invalid('credentialSubject.encodedList must be a string.')
  return {
    purpose: subject.statusPurpose,
    ttlSeconds: ttl === undefined ? undefined : ttl / 1000,
    list: decodeBitstring(subject.encodedList, options),
  }
}

/**
 * VC 1.1 JWT (VC DM 1.1 §6.3.1): `iss`, `jti` (the list URL) and `nbf` required, the credential in
 * `vc` with the 1.1 context first and the status list context (§5.2 of Bitstring Status List), and
 * whatever the `vc` repeats of the JWT claims equal to them. VC 2.0 content (`validFrom`, the v2
 * context) is refused: that is a `vc+jwt`.
 */
function readJwtVc(payload: Record<string, unknown>, options: DecodeBitstringOptions): BitstringClaims {
  const issuer = text(payload, 'iss')
  if (!isListUrl(payload.jti)) invalid('Claim jti must be the http(s) URL of the list.')
  const uri = payload.jti
  const notBefore = numericDate(payload, 'nbf', true)
  const issuedAt = numericDate(payload, 'iat', false) ?? notBefore
  const expiresAt = numericDate(payload, 'exp', false)
  if (expiresAt && expiresAt <= notBefore) invalid('Claim exp must be after nbf.')
  if (payload['@context'] !== undefined)
    invalid('A VC 1.1 JWT carries its credential in vc; a claims set that is a credential is a vc+jwt.')
  const vc = payload.vc
  if (!isObject(vc)) invalid('Claim vc must be an object.')
  const context = vc['@context']
  if (
    !Array.isArray(context) ||
    context[0] !== CREDENTIALS_V1_CONTEXT ||
    context.includes(CREDENTIALS_V2_CONTEXT)
  )
    invalid(
      `vc must use the VC 1.1 context (${CREDENTIALS_V1_CONTEXT}); a VC 2.0 list is secured as vc+jwt (VC-JOSE-COSE).`,
    )
  if (!context.includes(STATUS_LIST_CONTEXT))
    invalid(`vc.@context must include ${STATUS_LIST_CONTEXT}, which defines the list's terms for VC 1.1.`)
  if (vc.validFrom !== undefined || vc.validUntil !== undefined)
    invalid('VC 1.1 has no validFrom or validUntil (VC 2.0 has): use issuanceDate and expirationDate.')
  if (vc.id !== undefined && vc.id !== uri) invalid('vc.id must equal jti.')
  if (vc.issuer !== undefined && issuerId(vc.issuer) !== issuer) invalid('vc.issuer must equal iss.')
  const issuance = dateTime(vc.issuanceDate, 'vc.issuanceDate')
  if (issuance && issuance.getTime() !== notBefore.getTime()) invalid('vc.issuanceDate must equal nbf.')
  const expiration = dateTime(vc.expirationDate, 'vc.expirationDate')
  if (expiration && expiration.getTime() !== expiresAt?.getTime())
    invalid('vc.expirationDate must equal exp.')
  return { issuer, uri, notBefore, issuedAt, expiresAt, ...readCredential(vc, options) }
}

/**
 * VC DM 2.0 secured with VC-JOSE-COSE: the claims set is the credential — the v2 context first
 * (VC DM 2.0 §4.3), no `vc` or `vp` claim ("The JWT Claim Names vc and vp MUST NOT be present"),
 * no VC 1.1 `issuanceDate`/`expirationDate`, `id` the list URL (`jti`, if present, the same),
 * `issuer` a DID (`iss`, if present, the same: VC-JOSE-COSE "iss"). Validity is the tightest of
 * `validFrom`/`validUntil` and `nbf`/`exp`; the issue time is `iat`, else `validFrom`.
 */
function readVcJwt(payload: Record<string, unknown>, options: DecodeBitstringOptions): BitstringClaims {
  if (payload.vc !== undefined || payload.vp !== undefined)
    invalid('A vc+jwt is the credential itself: the JWT claims vc and vp must not be present.')
  const context = payload['@context']
  if (
    !Array.isArray(context) ||
    context[0] !== CREDENTIALS_V2_CONTEXT ||
    context.includes(CREDENTIALS_V1_CONTEXT)
  )
    invalid(`A vc+jwt credential must use the VC 2.0 context (${CREDENTIALS_V2_CONTEXT}) first.`)
  if (payload.issuanceDate !== undefined || payload.expirationDate !== undefined)
    invalid('VC 2.0 has no issuanceDate or expirationDate (VC 1.1 has): use validFrom and validUntil.')
  if (!isListUrl(payload.id)) invalid('id must be the http(s) URL of the list.')
  const uri = payload.id
  if (payload.jti !== undefined && payload.jti !== uri) invalid('Claim jti must equal id.')
  const issuer = issuerId(payload.issuer)
  if (typeof issuer !== 'string' || issuer.length === 0 || issuer.length > 2048)
    invalid('issuer must be the issuer DID (or an object with it as id).')
  if (payload.iss !== undefined && payload.iss !== issuer) invalid('Claim iss must equal issuer.')
  const validFrom = dateTime(payload.validFrom, 'validFrom')
  const validUntil = dateTime(payload.validUntil, 'validUntil')
  const iat = numericDate(payload, 'iat', false)
  const notBefore = latest(validFrom, numericDate(payload, 'nbf', false))
  const expiresAt = earliest(validUntil, numericDate(payload, 'exp', false))
  if (notBefore && expiresAt && expiresAt <= notBefore) invalid('The list ends before it starts.')
  return {
    issuer,
    uri,
    notBefore,
    issuedAt: iat ?? validFrom,
    expiresAt,
    ...readCredential(payload, options),
  }
}

/**
 * Reads and checks a status list credential's claims, secured as `format` (see
 * {@link BitstringListFormat}); throws `invalid_claims` and the list's decoding codes.
 */
export function readBitstringClaims(
  payload: Record<string, unknown>,
  format: BitstringListFormat,
  options: DecodeBitstringOptions,
): BitstringClaims {
  return format === 'vc+jwt' ? readVcJwt(payload, options) : readJwtVc(payload, options)
}
