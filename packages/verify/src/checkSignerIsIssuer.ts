import { fail, isObject, ok } from '@clavis/crypto'
import type { CheckOutcome } from './types'

/** The id of a W3C `issuer` (a string or an object with `id`); `null` if it has none usable. */
function issuerId(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (isObject(value) && typeof value.id === 'string') return value.id
  return null
}

/** Options of {@link checkSignerIsIssuer}: the signed `iss`, `sub` and `kid`, and the fields that name them again. */
export interface CheckSignerIsIssuerParameters {
  /** The JWT `iss`: the DID whose key signed. */
  issuer: string
  /** The header `kid`, when present. */
  kid?: string | undefined
  /** The JWT `sub`, when present. */
  subject?: string | undefined
  /** Other fields naming the issuer, by name (JWT-VC: `vc.issuer`, `issuer`); each must be `issuer`. */
  issuerFields?: Record<string, unknown>
  /** Other fields naming the subject, by name (JWT-VC: `vc.credentialSubject`, …); each `.id` must be `subject`. */
  subjectFields?: Record<string, unknown>
}

/**
 * Checks that every field naming the issuer or the subject agrees with the signed claims: each of
 * `issuerFields` (a string or an object with `id`) must equal `iss`; the DID part of an absolute
 * `kid` must equal `iss`; each of `subjectFields` must be one object whose `id`, when both are
 * present, equals `sub`. Otherwise `issuer_mismatch`. Read the fields from the raw payload, not a
 * normalised copy (normalisation silently overwrites conflicting fields). Never throws.
 *
 * @example
 * checkSignerIsIssuer({ issuer: iss, kid, subject: sub, issuerFields: { 'vc.issuer': vc.issuer } })
 */
export function checkSignerIsIssuer(options: CheckSignerIsIssuerParameters): CheckOutcome {
  const { issuer: iss, kid, subject: sub } = options
  const mismatch = (reason: string) => fail('issuer_mismatch', reason)

  for (const [field, value] of Object.entries(options.issuerFields ?? {})) {
    if (value === undefined) continue
    const id = issuerId(value)
    if (id !== iss) {
      return mismatch(
        `The credential names ${id === null ? 'no usable issuer id' : id} in ${field}, but it is signed as ${iss}.`,
      )
    }
  }

  if (kid !== undefined && !kid.startsWith('#')) {
    const kidDid = kid.split('#')[0]
    if (kidDid !== iss) {
      return mismatch(
        `The JWT header kid ${kid} belongs to ${kidDid}, but the credential is signed as ${iss}.`,
      )
    }
  }

  for (const [field, subject] of Object.entries(options.subjectFields ?? {})) {
    if (subject === undefined) continue
    if (!isObject(subject)) return mismatch(`The credential's ${field} must be a single object.`)
    if (subject.id !== undefined && sub !== undefined && subject.id !== sub) {
      return mismatch(
        `The credential's ${field}.id (${String(subject.id)}) differs from the JWT sub (${sub}).`,
      )
    }
  }

  return ok()
}
