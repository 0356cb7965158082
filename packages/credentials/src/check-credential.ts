import { isObject, ok, type Result } from '@clavis/crypto'
import { checkClaims } from './check-claims'
import type { ClaimIssue } from './claim-issue'
import { prefixIssue } from './claim-issue'
import type { ClaimsOf } from './claims-schemas'
import type { CredentialType } from './credential-types'
import { isCredentialType } from './credential-types'
import { isDid } from './did'
import { checkValidityPeriod } from './validity-period'
import { DATE_TIME, VC_CONTEXT_V1 } from './w3c'

/** A credential that passed {@link checkCredential}: its type, claims and subject DID. */
export type CheckedCredential = {
  [T in CredentialType]: { type: T; claims: ClaimsOf<T>; subject: string }
}[CredentialType]

/** Result of {@link checkCredential}: the checked credential, or every bad field. */
export type CredentialCheck = Result<CheckedCredential, ClaimIssue[]>

/** Options of {@link checkCredential}. */
export interface CheckCredentialOptions {
  /** A normalised W3C VC, as did-jwt-vc's `verifyCredential` / `normalizeCredential` returns it. */
  credential: unknown
}

/**
 * Checks a normalised W3C VC is exactly one of our three types, with a DID subject, valid claims and
 * a validity period that meets the type's policy. Unknown types are refused. It checks content
 * only: signature, issuer trust, status and the current time are the verifier's job.
 *
 * @example
 * const { verifiableCredential } = await verifyCredential(jwt, resolver)
 * const result = checkCredential({ credential: verifiableCredential })
 * if (result.ok && result.value.type === 'AccessGrantCredential') use(result.value.claims.scope)
 */
export function checkCredential(options: CheckCredentialOptions): CredentialCheck {
  const { credential } = options
  if (!isObject(credential))
    return { ok: false, error: [{ path: '(root)', code: 'invalid_type', message: 'Must be an object.' }] }

  const issues: ClaimIssue[] = []
  const context = credential['@context']
  if (!Array.isArray(context) || context[0] !== VC_CONTEXT_V1)
    issues.push({ path: '@context', code: 'invalid_value', message: `Must start with "${VC_CONTEXT_V1}".` })
  const type = credentialType(credential.type)
  if (!type)
    issues.push({
      path: 'type',
      code: 'unknown_type',
      message: 'Must be exactly ["VerifiableCredential", <one Clavis credential type>].',
    })
  issues.push(...issuerIssues(credential.issuer))

  const subjectValue = credential.credentialSubject
  let subject: string | undefined
  let claims: unknown
  if (!isObject(subjectValue)) {
    issues.push({ path: 'credentialSubject', code: 'invalid_type', message: 'Must be a single object.' })
  } else {
    const { id, ...rest } = subjectValue
    claims = rest
    if (typeof id === 'string' && isDid(id)) subject = id
    else
      issues.push({
        path: 'credentialSubject.id',
        code: 'invalid_format',
        message: 'Must be the subject DID.',
      })
  }

  const from = dateTime(credential.issuanceDate, 'issuanceDate', issues)
  const until =
    credential.expirationDate === undefined
      ? undefined
      : dateTime(credential.expirationDate, 'expirationDate', issues)
  if (type && from && (credential.expirationDate === undefined || until)) {
    const period = checkValidityPeriod({ type, validFrom: from, validUntil: until })
    if (!period.ok) issues.push(...period.error.map(renamePeriodPath))
  }

  if (!type || subject === undefined || !isObject(subjectValue)) return { ok: false, error: issues }
  const checked = checkClaims({ type, claims })
  if (!checked.ok) issues.push(...checked.error.map((issue) => prefixIssue('credentialSubject', issue)))
  if (!checked.ok || issues.length > 0) return { ok: false, error: issues }
  return ok({ type, claims: checked.value, subject } as CheckedCredential)
}

function credentialType(value: unknown): CredentialType | undefined {
  if (!Array.isArray(value) || value.length !== 2 || !value.includes('VerifiableCredential')) return undefined
  const other = value.find((t) => t !== 'VerifiableCredential')
  return isCredentialType(other) ? other : undefined
}

function issuerIssues(issuer: unknown): ClaimIssue[] {
  const id = isObject(issuer) ? issuer.id : issuer
  if (typeof id === 'string' && isDid(id)) return []
  return [
    {
      path: isObject(issuer) ? 'issuer.id' : 'issuer',
      code: 'invalid_format',
      message: 'Must be the issuer DID.',
    },
  ]
}

function dateTime(value: unknown, path: string, issues: ClaimIssue[]): Date | undefined {
  if (value === undefined) {
    issues.push({ path, code: 'required', message: 'Required field is missing.' })
    return undefined
  }
  const date = typeof value === 'string' && DATE_TIME.test(value) ? new Date(value) : undefined
  if (date && !Number.isNaN(date.getTime())) return date
  issues.push({ path, code: 'invalid_date', message: 'Must be a dateTime such as "2025-01-31T12:00:00Z".' })
  return undefined
}

function renamePeriodPath(issue: ClaimIssue): ClaimIssue {
  if (issue.path === 'validFrom') return { ...issue, path: 'issuanceDate' }
  if (issue.path === 'validUntil') return { ...issue, path: 'expirationDate' }
  return issue
}
