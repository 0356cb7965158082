import { type CredentialType, checkClaims } from '@clavis/credentials'
import { fail, ok } from '@clavis/crypto'
import type { CheckOutcome } from './types'

/** Registered SD-JWT VC claims, not part of a credential type's schema. */
const REGISTERED: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'vct',
  'iat',
  'nbf',
  'exp',
  'cnf',
  'status',
  'jti',
])

/**
 * SD-JWT VC: checks the disclosed claims against the schema of the credential's type. What is
 * disclosed must be valid; what is withheld may be missing. An unknown `vct` or an invalid claim is
 * `schema_invalid`. Never throws.
 *
 * @example
 * checkDisclosedSchema({ type: 'PatientIdentityCredential', claims: { name, birthDate } }) // { ok: true, … }
 */
export function checkDisclosedSchema(options: {
  type: CredentialType | undefined
  claims: Record<string, unknown>
}): CheckOutcome {
  const { type, claims } = options
  if (!type) return fail('schema_invalid', 'The vct is not one of the Clavis credential types.')
  const own = Object.fromEntries(Object.entries(claims).filter(([k]) => !REGISTERED.has(k)))
  const checked = checkClaims({ type, claims: own })
  if (checked.ok) return ok()
  const real = checked.error.filter((i) => !(i.code === 'required' && !(i.path.split('.')[0]! in own)))
  if (real.length === 0) return ok()
  return fail('schema_invalid', `Claim "${real[0]!.path}" is not valid: ${real[0]!.message}`)
}
