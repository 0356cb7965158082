import { ok, type Result } from '@clavis/crypto'
import type { ClaimIssue } from './claim-issue'
import { toClaimIssues } from './claim-issue'
import type { ClaimsOf } from './claims-schemas'
import { claimsSchemas } from './claims-schemas'
import type { CredentialType } from './credential-types'
import { isCredentialType } from './credential-types'

/** Result of a claims check: the parsed claims, or every bad field. */
export type ClaimsCheck<T> = Result<T, ClaimIssue[]>

/** Options of {@link checkClaims}. */
export interface CheckClaimsOptions<T extends CredentialType> {
  type: T
  claims: unknown
}

/**
 * Checks `credentialSubject` claims (without `id`) against the schema of a credential type.
 * Never throws; an unknown type gives an `unknown_type` issue at `type`.
 *
 * @example
 * const result = checkClaims({ type: 'AccessGrantCredential', claims: body })
 * if (!result.ok) return result.error // e.g. [{ path: 'scope.0', code: 'invalid_format', message: '…' }]
 */
export function checkClaims<T extends CredentialType>(
  options: CheckClaimsOptions<T>,
): ClaimsCheck<ClaimsOf<T>> {
  const { type, claims } = options
  if (!isCredentialType(type)) return { ok: false, error: [unknownType()] }
  const result = claimsSchemas[type].safeParse(claims)
  if (result.success) return ok(result.data as ClaimsOf<T>)
  return { ok: false, error: toClaimIssues(result.error.issues, claims) }
}

function unknownType(): ClaimIssue {
  return {
    path: 'type',
    code: 'unknown_type',
    message:
      'Unknown credential type; use one of ClinicianLicenseCredential, PatientIdentityCredential, AccessGrantCredential.',
  }
}
