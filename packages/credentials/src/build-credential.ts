import { isObject } from '@clavis/crypto'
import { checkClaims } from './check-claims'
import type { ClaimIssue } from './claim-issue'
import type { ClaimsOf } from './claims-schemas'
import type { CredentialType } from './credential-types'
import { isDid } from './did'
import { CredentialClaimsError } from './errors'
import { checkValidityPeriod } from './validity-period'
import type { CredentialStatusEntry, UnsignedCredential } from './w3c'
import { ABSOLUTE_URI, STATUS_LIST_CONTEXT_V1, toDateTime, VC_CONTEXT_V1 } from './w3c'

/** Options of {@link buildCredential} (and `buildCredentialV2`). */
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
  /** `credentialStatus` entries (Bitstring Status List entries from `@clavis/status`). */
  credentialStatus?: readonly CredentialStatusEntry[]
}

/**
 * Checks the options both builders share: DIDs, id, validity period, claims and status entries.
 * Returns the checked claims; throws {@link CredentialClaimsError} naming every bad field.
 */
export function checkBuildOptions<T extends CredentialType>(
  options: BuildCredentialOptions<T>,
): Record<string, unknown> {
  const { type, issuer, subject, claims, validFrom, validUntil, id, credentialStatus } = options
  const issues: ClaimIssue[] = []
  if (!isDid(issuer)) issues.push(notDid('issuer'))
  if (!isDid(subject)) issues.push(notDid('subject'))
  if (id !== undefined && !(typeof id === 'string' && id.length <= 256 && ABSOLUTE_URI.test(id)))
    issues.push({
      path: 'id',
      code: 'invalid_format',
      message: 'Must be an absolute URI such as "urn:uuid:…".',
    })
  if (
    credentialStatus !== undefined &&
    !(
      Array.isArray(credentialStatus) &&
      credentialStatus.every((entry) => isObject(entry) && typeof entry.type === 'string')
    )
  )
    issues.push({
      path: 'credentialStatus',
      code: 'invalid_type',
      message: 'Must be a list of status entries, each with a type.',
    })
  const period = checkValidityPeriod({ type, validFrom, validUntil })
  if (!period.ok) issues.push(...period.error.filter((issue) => issue.code !== 'unknown_type'))
  const checked = checkClaims({ type, claims })
  if (!checked.ok) issues.push(...checked.error)
  if (!checked.ok || issues.length > 0) throw new CredentialClaimsError(issues)
  return checked.value as Record<string, unknown>
}

/**
 * Builds an unsigned W3C VC 1.1 credential after checking claims, validity period and DIDs.
 * Dates are written in UTC with whole seconds. With Bitstring Status List entries the context
 * includes `https://www.w3.org/ns/credentials/status/v1`, which defines them (the 1.1 base context
 * does not; Bitstring Status List v1.0 §5.2). Throws {@link CredentialClaimsError} naming every bad
 * field (claim paths as in `checkClaims`; `issuer`, `subject`, `id`, `validFrom`, `validUntil`,
 * `credentialStatus`).
 *
 * @example
 * const credential = buildCredential({
 *   type: 'AccessGrantCredential',
 *   issuer: patientDid,
 *   subject: clinicianDid,
 *   claims: { audience: hospitalDid, scope: ['patient/Observation.rs'], purposeOfUse: 'TREAT' },
 *   validFrom: new Date(),
 *   validUntil: new Date(Date.now() + 7 * 24 * 3600 * 1000),
 *   credentialStatus: [bitstringStatusEntry({ listUrl, index, purpose: 'revocation' })],
 * })
 * await createVerifiableCredentialJwt(credential, issuer)
 */
export function buildCredential<T extends CredentialType>(
  options: BuildCredentialOptions<T>,
): UnsignedCredential {
  const claims = checkBuildOptions(options)
  const { type, issuer, subject, validFrom, validUntil, id, credentialStatus } = options
  const bitstring = credentialStatus?.some((entry) => entry.type === 'BitstringStatusListEntry')
  const credential: UnsignedCredential = {
    '@context': bitstring ? [VC_CONTEXT_V1, STATUS_LIST_CONTEXT_V1] : [VC_CONTEXT_V1],
    type: ['VerifiableCredential', type],
    issuer: { id: issuer },
    issuanceDate: toDateTime(validFrom),
    credentialSubject: { id: subject, ...claims },
  }
  if (id !== undefined) credential.id = id
  if (validUntil !== undefined) credential.expirationDate = toDateTime(validUntil)
  if (credentialStatus !== undefined) credential.credentialStatus = [...credentialStatus]
  return credential
}

function notDid(path: string): ClaimIssue {
  return {
    path,
    code: 'invalid_format',
    message: 'Must be a DID such as "did:ethr:0x…" (no fragment or path).',
  }
}
