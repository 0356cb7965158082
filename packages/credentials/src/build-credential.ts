import { checkClaims } from './check-claims'
import type { ClaimIssue } from './claim-issue'
import type { ClaimsOf } from './claims-schemas'
import type { CredentialType } from './credential-types'
import { isDid } from './did'
import { CredentialClaimsError } from './errors'
import { checkValidityPeriod } from './validity-period'
import type { UnsignedCredential } from './w3c'
import { ABSOLUTE_URI, toDateTime, VC_CONTEXT_V1 } from './w3c'

/** Options of {@link buildCredential}. */
export interface BuildCredentialOptions<T extends CredentialType> {
  type: T
  /** DID of the issuer; must be the DID whose key will sign. */
  issuer: string
  /** DID of the subject (clinician, patient or grantee). */
  subject: string
  claims: ClaimsOf<T>
  validFrom: Date
  validUntil?: Date
  /** Optional credential id, an absolute URI such as `urn:uuid:…`. */
  id?: string
}

/**
 * Builds an unsigned W3C VC 1.1 credential after checking claims, validity period and DIDs.
 * Dates are written in UTC with whole seconds. Throws {@link CredentialClaimsError} naming every bad
 * field (claim paths as in `checkClaims`; `issuer`, `subject`, `id`, `validFrom`, `validUntil`).
 *
 * @example
 * const credential = buildCredential({
 *   type: 'AccessGrantCredential',
 *   issuer: patientDid,
 *   subject: clinicianDid,
 *   claims: { audience: hospitalDid, scope: ['patient/Observation.rs'], purposeOfUse: 'TREAT' },
 *   validFrom: new Date(),
 *   validUntil: new Date(Date.now() + 7 * 24 * 3600 * 1000),
 * })
 * await agent.createVerifiableCredential({ credential, proofFormat: 'jwt' })
 */
export function buildCredential<T extends CredentialType>(
  options: BuildCredentialOptions<T>,
): UnsignedCredential {
  const { type, issuer, subject, claims, validFrom, validUntil, id } = options
  const issues: ClaimIssue[] = []
  if (!isDid(issuer)) issues.push(notDid('issuer'))
  if (!isDid(subject)) issues.push(notDid('subject'))
  if (id !== undefined && !(typeof id === 'string' && id.length <= 256 && ABSOLUTE_URI.test(id)))
    issues.push({
      path: 'id',
      code: 'invalid_format',
      message: 'Must be an absolute URI such as "urn:uuid:…".',
    })
  const period = checkValidityPeriod({ type, validFrom, validUntil })
  if (!period.ok) issues.push(...period.error.filter((issue) => issue.code !== 'unknown_type'))
  const checked = checkClaims({ type, claims })
  if (!checked.ok) issues.push(...checked.error)
  if (!checked.ok || issues.length > 0) throw new CredentialClaimsError(issues)

  const credential: UnsignedCredential = {
    '@context': [VC_CONTEXT_V1],
    type: ['VerifiableCredential', type],
    issuer: { id: issuer },
    issuanceDate: toDateTime(validFrom),
    credentialSubject: { id: subject, ...checked.value },
  }
  if (id !== undefined) credential.id = id
  if (validUntil !== undefined) credential.expirationDate = toDateTime(validUntil)
  return credential
}

function notDid(path: string): ClaimIssue {
  return {
    path,
    code: 'invalid_format',
    message: 'Must be a DID such as "did:ethr:0x…" (no fragment or path).',
  }
}
