import type { DecodedJwtCredential } from './decodeJwtCredential'
import type { CheckResult, JsonObject } from './types'

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The id of a W3C `issuer` (a string or an object with `id`); `null` if it has none usable. */
function issuerId(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (isObject(value) && typeof value.id === 'string') return value.id
  return null
}

/**
 * Checks that every issuer and subject field agrees with the signed JWT claims: `vc.issuer` and a
 * top-level `issuer` (string or `.id`) must equal `iss`; the DID part of an absolute header `kid` must
 * equal `iss`; `vc.credentialSubject.id` and a top-level `credentialSubject.id` must equal `sub` when both
 * are present. Otherwise `issuer_mismatch`. Works on the decoded payload, so run it on the raw
 * payload, not a normalised copy (normalisation silently overwrites conflicting fields).
 *
 * @example
 * checkSignerIsIssuer({ decoded }) // { passed: true }
 */
export function checkSignerIsIssuer(options: { decoded: DecodedJwtCredential }): CheckResult {
  const { header, payload } = options.decoded
  const { iss, sub, vc } = payload
  const mismatch = (reason: string): CheckResult => ({ passed: false, code: 'issuer_mismatch', reason })

  for (const [field, value] of [
    ['vc.issuer', vc.issuer],
    ['issuer', payload.issuer],
  ] as const) {
    if (value === undefined) continue
    const id = issuerId(value)
    if (id !== iss) {
      return mismatch(
        `The credential names ${id === null ? 'no usable issuer id' : id} in ${field}, but it is signed as ${iss}.`,
      )
    }
  }

  if (header.kid !== undefined && !header.kid.startsWith('#')) {
    const kidDid = header.kid.split('#')[0]
    if (kidDid !== iss) {
      return mismatch(
        `The JWT header kid ${header.kid} belongs to ${kidDid}, but the credential is signed as ${iss}.`,
      )
    }
  }

  for (const [field, subject] of [
    ['vc.credentialSubject', vc.credentialSubject],
    ['credentialSubject', payload.credentialSubject],
  ] as const) {
    if (subject === undefined) continue
    if (!isObject(subject)) return mismatch(`The credential's ${field} must be a single object.`)
    if (subject.id !== undefined && sub !== undefined && subject.id !== sub) {
      return mismatch(
        `The credential's ${field}.id (${String(subject.id)}) differs from the JWT sub (${sub}).`,
      )
    }
  }

  return { passed: true }
}
