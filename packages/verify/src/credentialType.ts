import { type CredentialType, isCredentialType } from '@clavis/credentials'
import type { JsonObject } from '@clavis/crypto'

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value]

/**
 * The one Clavis credential type named in a JWT-VC payload (`type` and `vc.type`, merged as
 * did-jwt-vc's `normalizeCredential` merges them), or `undefined` if there is none or more than one.
 *
 * @example
 * credentialTypeOf({ vc: { type: ['VerifiableCredential', 'ClinicianLicenseCredential'] } }) // 'ClinicianLicenseCredential'
 */
export function credentialTypeOf(payload: JsonObject): CredentialType | undefined {
  const vc = payload.vc as JsonObject | undefined
  const known = new Set([...asList(payload.type), ...asList(vc?.type)].filter(isCredentialType))
  return known.size === 1 ? [...known][0] : undefined
}
