import { isObject, ok, type Result } from '@clavis/crypto'
import { checkClaims } from './check-claims'
import type { ClaimIssue } from './claim-issue'
import { prefixIssue } from './claim-issue'
import type { ClaimsOf } from './claims-schemas'
import type { CredentialType } from './credential-types'
import { isCredentialType } from './credential-types'
import { isDid } from './did'
import { checkValidityPeriod } from './validity-period'
import { DATE_TIME, STATUS_LIST_CONTEXT_V1, VC_CONTEXT_V1, VC_CONTEXT_V2 } from './w3c'

/** A credential that passed {@link checkCredential}: its type, claims and subject DID. */
export type CheckedCredential = {
  [T in CredentialType]: { type: T; claims: ClaimsOf<T>; subject: string }
}[CredentialType]

/** Result of {@link checkCredential}: the checked credential, or every bad field. */
export type CredentialCheck = Result<CheckedCredential, ClaimIssue[]>

/** Options of {@link checkCredential}. */
export interface CheckCredentialOptions {
  /**
   * A W3C VC: VC Data Model 1.1 normalised (as did-jwt-vc's `verifyCredential` /
   * `normalizeCredential` return it), or VC Data Model 2.0 (the claims set of a `vc+jwt`).
   */
  credential: unknown
}

/** The two data models: base context, validity properties, and the other model's base context. */
const DATA_MODELS = {
  '1.1': { base: VC_CONTEXT_V1, other: VC_CONTEXT_V2, from: 'issuanceDate', until: 'expirationDate' },
  '2.0': { base: VC_CONTEXT_V2, other: VC_CONTEXT_V1, from: 'validFrom', until: 'validUntil' },
} as const

/**
 * Checks a W3C VC is exactly one of our three types, with a DID subject, valid claims and a
 * validity period that meets the type's policy. Unknown types are refused. Both data models, never
 * mixed: VC DM 1.1 (`@context` starting with the 1.1 context, VC DM 1.1 §4.1; `issuanceDate` and
 * `expirationDate`, §4.6 and §4.8; with a `BitstringStatusListEntry` also the status list context, which
 * defines it, Bitstring Status List v1.0 §5.2) or VC DM 2.0 (`@context` starting with the v2
 * context, §4.3; `validFrom` and `validUntil`, §4.9). A 2.0 property in a 1.1 credential, or the
 * other way round, or both base contexts, is refused. It checks content only: signature, issuer
 * trust, status and the current time are the verifier's job.
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
  const context: unknown[] = Array.isArray(credential['@context']) ? credential['@context'] : []
  const version = context[0] === VC_CONTEXT_V2 ? '2.0' : '1.1'
  const model = DATA_MODELS[version]
  const foreign = DATA_MODELS[version === '2.0' ? '1.1' : '2.0']
  if (context[0] !== VC_CONTEXT_V1 && context[0] !== VC_CONTEXT_V2)
    issues.push({
      path: '@context',
      code: 'invalid_value',
      message: `Must start with "${VC_CONTEXT_V1}" (VC 1.1) or "${VC_CONTEXT_V2}" (VC 2.0).`,
    })
  else if (context.includes(model.other))
    issues.push({
      path: '@context',
      code: 'invalid_value',
      message: `A credential is VC 1.1 or VC 2.0: "${model.other}" cannot follow "${model.base}".`,
    })
  else if (version === '1.1' && usesBitstring(credential) && !context.includes(STATUS_LIST_CONTEXT_V1))
    issues.push({
      path: '@context',
      code: 'invalid_value',
      message: `Must include "${STATUS_LIST_CONTEXT_V1}", which defines BitstringStatusListEntry for VC 1.1.`,
    })
  for (const [path, instead] of [
    [foreign.from, model.from],
    [foreign.until, model.until],
  ] as const)
    if (credential[path] !== undefined)
      issues.push({ path, code: 'unknown_field', message: `VC ${version} has no ${path}: use ${instead}.` })
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

  const from = dateTime(credential[model.from], model.from, issues)
  const until =
    credential[model.until] === undefined ? undefined : dateTime(credential[model.until], model.until, issues)
  if (type && from && (credential[model.until] === undefined || until)) {
    const period = checkValidityPeriod({ type, validFrom: from, validUntil: until })
    if (!period.ok) issues.push(...period.error.map((issue) => renamePeriodPath(issue, model)))
  }

  if (!type || subject === undefined || !isObject(subjectValue)) return { ok: false, error: issues }
  const checked = checkClaims({ type, claims })
  if (!checked.ok) issues.push(...checked.error.map((issue) => prefixIssue('credentialSubject', issue)))
  if (!checked.ok || issues.length > 0) return { ok: false, error: issues }
  return ok({ type, claims: checked.value, subject } as CheckedCredential)
}

/** Whether any `credentialStatus` entry is a `BitstringStatusListEntry`. */
function usesBitstring(credential: Record<string, unknown>): boolean {
  const status = credential.credentialStatus
  const entries = Array.isArray(status) ? status : [status]
  return entries.some((entry) => isObject(entry) && entry.type === 'BitstringStatusListEntry')
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

function renamePeriodPath(issue: ClaimIssue, model: { from: string; until: string }): ClaimIssue {
  if (issue.path === 'validFrom') return { ...issue, path: model.from }
  if (issue.path === 'validUntil') return { ...issue, path: model.until }
  return issue
}
