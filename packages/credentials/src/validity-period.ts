import { ok, type Result } from '@clavis/crypto'
import type { ClaimIssue } from './claim-issue'
import type { CredentialType } from './credential-types'
import { isCredentialType } from './credential-types'

/** When a credential is valid: from `validFrom` until `validUntil` (if any). */
export interface ValidityPeriod {
  validFrom: Date
  validUntil?: Date
}

/** Longest validity of an AccessGrantCredential, in days. */
export const MAX_GRANT_DAYS = 90

const DAY_MS = 24 * 60 * 60 * 1000
const EARLIEST = Date.UTC(1970, 0, 1)
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59)

/** Options of {@link checkValidityPeriod}. */
export interface CheckValidityPeriodOptions extends ValidityPeriod {
  type: CredentialType
}

/** Result of {@link checkValidityPeriod}. */
export type ValidityPeriodCheck = Result<undefined, ClaimIssue[]>

/**
 * Checks a validity period against the policy of a credential type: licences and grants must
 * expire, a grant lasts at most 90 days, and `validUntil` is after `validFrom`. It does not compare
 * with the current time (verifiers do that).
 *
 * @example
 * checkValidityPeriod({ type: 'ClinicianLicenseCredential', validFrom: new Date() })
 * // { ok: false, error: [{ path: 'validUntil', code: 'required', … }] }
 */
export function checkValidityPeriod(options: CheckValidityPeriodOptions): ValidityPeriodCheck {
  const { type, validFrom, validUntil } = options
  const issues: ClaimIssue[] = []
  if (!isCredentialType(type))
    issues.push({ path: 'type', code: 'unknown_type', message: 'Unknown credential type.' })
  const fromIssue = dateIssue('validFrom', validFrom)
  if (fromIssue) issues.push(fromIssue)
  if (validUntil === undefined) {
    if (type === 'ClinicianLicenseCredential' || type === 'AccessGrantCredential')
      issues.push({
        path: 'validUntil',
        code: 'required',
        message: 'This credential type must have an expiry.',
      })
  } else {
    const untilIssue = dateIssue('validUntil', validUntil)
    if (untilIssue) issues.push(untilIssue)
    else if (!fromIssue) issues.push(...orderIssues(type, validFrom, validUntil))
  }
  return issues.length === 0 ? ok() : { ok: false, error: issues }
}

function orderIssues(type: CredentialType, validFrom: Date, validUntil: Date): ClaimIssue[] {
  const length = validUntil.getTime() - validFrom.getTime()
  if (length <= 0) return [{ path: 'validUntil', code: 'out_of_range', message: 'Must be after validFrom.' }]
  if (type === 'AccessGrantCredential' && length > MAX_GRANT_DAYS * DAY_MS)
    return [
      {
        path: 'validUntil',
        code: 'out_of_range',
        message: `An access grant lasts at most ${MAX_GRANT_DAYS} days; choose an earlier validUntil.`,
      },
    ]
  return []
}

function dateIssue(path: string, value: unknown): ClaimIssue | undefined {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    return { path, code: 'invalid_date', message: 'Must be a valid Date.' }
  if (value.getTime() < EARLIEST || value.getTime() > LATEST)
    return { path, code: 'out_of_range', message: 'Must be between 1970 and 9999.' }
  return undefined
}

/**
 * The longest validity Clavis issues per credential type, in days: ten years for licences and
 * patient identities, 90 days for access grants. What every credential format can carry is far
 * beyond it.
 */
export const MAX_VALIDITY_DAYS: Readonly<Record<CredentialType, number>> = {
  ClinicianLicenseCredential: 3653,
  PatientIdentityCredential: 3653,
  AccessGrantCredential: MAX_GRANT_DAYS,
}

/** How long a patient identity credential issued without a `validUntil` is valid, in days (5 years). */
export const DEFAULT_IDENTITY_VALIDITY_DAYS = 1826

/** How far ahead of its issue time a credential's validity may start, in days. */
export const MAX_START_DELAY_DAYS = 365

/** Options of {@link checkIssuancePeriod}. */
export interface CheckIssuancePeriodOptions {
  type: CredentialType
  validFrom: Date
  validUntil: Date
  /** The time of issue. */
  now: Date
}

/**
 * The issuer's policy on a validity period, on top of {@link checkValidityPeriod}: an expiry is
 * required, in the future, at most {@link MAX_VALIDITY_DAYS} after `validFrom`, and `validFrom`
 * at most {@link MAX_START_DELAY_DAYS} after `now`. Issuers (agent and wallet) call it; verifiers
 * do not (they accept what other issuers chose).
 *
 * @example
 * checkIssuancePeriod({ type: 'ClinicianLicenseCredential', validFrom: now, validUntil: new Date('9999-12-31'), now })
 * // { ok: false, error: [{ path: 'validUntil', code: 'out_of_range', … }] }
 */
export function checkIssuancePeriod(options: CheckIssuancePeriodOptions): ValidityPeriodCheck {
  const { type, validFrom, validUntil, now } = options
  const base = checkValidityPeriod({ type, validFrom, validUntil })
  if (!base.ok) return base
  const issues: ClaimIssue[] = []
  if (validFrom.getTime() > now.getTime() + MAX_START_DELAY_DAYS * DAY_MS)
    issues.push({
      path: 'validFrom',
      code: 'out_of_range',
      message: `Must be at most ${MAX_START_DELAY_DAYS} days from now.`,
    })
  const max = MAX_VALIDITY_DAYS[type]
  if (validUntil.getTime() <= now.getTime())
    issues.push({
      path: 'validUntil',
      code: 'out_of_range',
      message: 'Must be in the future: the credential would be expired from the start.',
    })
  else if (validUntil.getTime() - validFrom.getTime() > max * DAY_MS)
    issues.push({
      path: 'validUntil',
      code: 'out_of_range',
      message: `A ${type} is valid for at most ${max} days after validFrom; choose an earlier validUntil.`,
    })
  return issues.length === 0 ? ok() : { ok: false, error: issues }
}
