import { type CredentialType, checkClaims } from '@clavis/credentials'
import { fail, ok } from '@clavis/crypto'
import { splitRegisteredClaims } from '@clavis/sd-jwt'
import type { CheckOutcome } from './types'

/**
 * SD-JWT VC: sets the registered claims apart (`REGISTERED_CLAIMS` of `@clavis/sd-jwt`: checked
 * elsewhere, ignored such as `vct#integrity`, or refused such as `aud`) and checks the rest against
 * the schema of the credential's type. What is disclosed must be valid; what is withheld may be
 * missing; a claim that is neither registered nor the type's is refused, as the type's rules say
 * (docs/decisions/0023). An unknown `vct`, a refused or malformed registered claim, or an invalid
 * claim is `schema_invalid`. Never throws.
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
  const split = splitRegisteredClaims(claims)
  if (!split.ok) return fail('schema_invalid', split.error.reason)
  const { own } = split.value
  const checked = checkClaims({ type, claims: own })
  if (checked.ok) return ok()
  const real = checked.error.filter((i) => !(i.code === 'required' && !(i.path.split('.')[0]! in own)))
  if (real.length === 0) return ok()
  const first = real[0]!
  if (first.code === 'unknown_field' && !first.path.includes('.'))
    return fail(
      'schema_invalid',
      `Claim "${first.path}" is neither a claim of ${type} nor a registered SD-JWT VC claim.`,
    )
  return fail('schema_invalid', `Claim "${first.path}" is not valid: ${first.message}`)
}
