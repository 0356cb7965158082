import type { CredentialType } from '@clavis/credentials'
import type { JwtCredentialPayload } from './decodeJwtCredential'
import type { CheckResult, JsonObject } from './types'

/** Credential types that may be valid without an expiry. Every other type, known or not, needs one. */
const EXPIRY_OPTIONAL: ReadonlySet<CredentialType> = new Set(['PatientIdentityCredential'])

const MAX_DATE_MS = 8.64e15
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** The outcome of {@link checkValidityPeriod}: the check and the effective window it found. */
export interface CheckValidityPeriodResult {
  result: CheckResult
  validFrom?: string
  validUntil?: string
}

type Bound = { field: string; ms: number }

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks the validity period. The window is the intersection of every bound the credential states:
 * it starts at the latest of `nbf`, `iat`, `issuanceDate` and `validFrom` (top level or in `vc`) and
 * ends at the earliest of `exp`, `expirationDate` and `validUntil`. Gives `not_yet_valid` if it
 * starts more than `clockSkewSeconds` after `now`, `expired` if it ended more than
 * `clockSkewSeconds` before, `missing_expiry` if it has no end and the type is not
 * `PatientIdentityCredential`, and `malformed` for unreadable dates. Never throws.
 *
 * @example
 * checkValidityPeriod({ payload, type: 'ClinicianLicenseCredential', now: new Date(), clockSkewSeconds: 30 })
 */
export function checkValidityPeriod(options: {
  payload: JwtCredentialPayload
  type: CredentialType | undefined
  now: Date
  clockSkewSeconds: number
}): CheckValidityPeriodResult {
  const { payload, type, now, clockSkewSeconds } = options
  const vc: JsonObject = isObject(payload.vc) ? payload.vc : {}
  const starts: Bound[] = []
  const ends: Bound[] = []

  const addSeconds = (list: Bound[], field: string, value: number | undefined): string | undefined => {
    if (value === undefined) return undefined
    const ms = value * 1000
    if (!(Math.abs(ms) <= MAX_DATE_MS)) return `The JWT ${field} is out of range.`
    list.push({ field, ms })
    return undefined
  }
  const addDate = (list: Bound[], field: string, value: unknown): string | undefined => {
    if (value === undefined) return undefined
    const ms = typeof value === 'string' && DATE_TIME.test(value) ? Date.parse(value) : Number.NaN
    if (!Number.isFinite(ms))
      return `The credential's ${field} is not an ISO 8601 date-time with a time zone.`
    list.push({ field, ms })
    return undefined
  }

  const problems = [
    addSeconds(starts, 'nbf', payload.nbf),
    addSeconds(starts, 'iat', payload.iat),
    addSeconds(ends, 'exp', payload.exp),
    addDate(starts, 'issuanceDate', payload.issuanceDate),
    addDate(starts, 'validFrom', payload.validFrom),
    addDate(starts, 'vc.issuanceDate', vc.issuanceDate),
    addDate(starts, 'vc.validFrom', vc.validFrom),
    addDate(ends, 'expirationDate', payload.expirationDate),
    addDate(ends, 'validUntil', payload.validUntil),
    addDate(ends, 'vc.expirationDate', vc.expirationDate),
    addDate(ends, 'vc.validUntil', vc.validUntil),
  ].filter((problem) => problem !== undefined)
  if (problems.length > 0) return { result: { passed: false, code: 'malformed', reason: problems[0]! } }

  const start = starts.reduce<Bound | undefined>(
    (latest, bound) => (!latest || bound.ms > latest.ms ? bound : latest),
    undefined,
  )
  const end = ends.reduce<Bound | undefined>(
    (earliest, bound) => (!earliest || bound.ms < earliest.ms ? bound : earliest),
    undefined,
  )
  const window = {
    ...(start ? { validFrom: new Date(start.ms).toISOString() } : {}),
    ...(end ? { validUntil: new Date(end.ms).toISOString() } : {}),
  }
  const fail = (code: 'expired' | 'not_yet_valid' | 'missing_expiry' | 'malformed', reason: string) => ({
    result: { passed: false as const, code, reason },
    ...window,
  })

  const nowMs = now.getTime()
  const skewMs = clockSkewSeconds * 1000
  if (start && end && start.ms > end.ms) {
    return fail('malformed', `The credential ends (${end.field}) before it starts (${start.field}).`)
  }
  if (!end && !(type !== undefined && EXPIRY_OPTIONAL.has(type))) {
    return fail(
      'missing_expiry',
      `A ${type ?? 'credential of unknown type'} must carry an expiry (exp); this one has none.`,
    )
  }
  if (start && start.ms > nowMs + skewMs) {
    return fail('not_yet_valid', `The credential is not valid before ${window.validFrom} (${start.field}).`)
  }
  if (end && end.ms <= nowMs - skewMs) {
    return fail('expired', `The credential expired at ${window.validUntil} (${end.field}).`)
  }
  return { result: { passed: true }, ...window }
}
