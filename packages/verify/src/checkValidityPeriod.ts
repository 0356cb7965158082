import type { CredentialType } from '@clavis/credentials'
import { fail, ok } from '@clavis/crypto'
import type { CheckOutcome } from './types'

/** Credential types that may be valid without an expiry. Every other type, known or not, needs one. */
const EXPIRY_OPTIONAL: ReadonlySet<CredentialType> = new Set(['PatientIdentityCredential'])

const MAX_DATE_MS = 8.64e15
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/

/** The claims that bound a credential's validity, whatever its format. */
export interface ValidityClaims {
  /** NumericDate claims (seconds): `nbf` and `iat` start the window, `exp` ends it. */
  nbf?: unknown
  iat?: unknown
  exp?: unknown
  /** ISO 8601 date-times that start the window, by name (JWT-VC: `issuanceDate`, `vc.validFrom`, …). */
  starts?: Record<string, unknown>
  /** ISO 8601 date-times that end the window, by name (JWT-VC: `expirationDate`, `vc.validUntil`, …). */
  ends?: Record<string, unknown>
}

/** One end of the window and the claim that set it. */
export interface Bound {
  field: string
  ms: number
}

/** The effective validity window: the latest start and the earliest end any claim states. */
export interface ValidityWindow {
  start?: Bound
  end?: Bound
}

/**
 * Reads the validity window from the claims: the latest of the starts (`nbf`, `iat`, date-time
 * starts) and the earliest of the ends (`exp`, date-time ends). An unreadable claim is `malformed`.
 * Never throws.
 *
 * @example
 * readValidityWindow({ nbf: 1900000000, exp: 1930000000 }) // { ok: true, value: { start, end } }
 */
export function readValidityWindow(claims: ValidityClaims): CheckOutcome<ValidityWindow> {
  const starts: Bound[] = []
  const ends: Bound[] = []
  const problems: string[] = []
  const addSeconds = (list: Bound[], field: string, value: unknown) => {
    if (value === undefined) return
    if (typeof value !== 'number' || !Number.isFinite(value))
      return void problems.push(`The JWT ${field} must be a number of seconds since 1970-01-01T00:00:00Z.`)
    const ms = value * 1000
    if (!(Math.abs(ms) <= MAX_DATE_MS)) return void problems.push(`The JWT ${field} is out of range.`)
    list.push({ field, ms })
  }
  const addDate = (list: Bound[], field: string, value: unknown) => {
    if (value === undefined) return
    const ms = typeof value === 'string' && DATE_TIME.test(value) ? Date.parse(value) : Number.NaN
    if (!Number.isFinite(ms))
      return void problems.push(`The credential's ${field} is not an ISO 8601 date-time with a time zone.`)
    list.push({ field, ms })
  }
  addSeconds(starts, 'nbf', claims.nbf)
  addSeconds(starts, 'iat', claims.iat)
  addSeconds(ends, 'exp', claims.exp)
  for (const [field, value] of Object.entries(claims.starts ?? {})) addDate(starts, field, value)
  for (const [field, value] of Object.entries(claims.ends ?? {})) addDate(ends, field, value)
  if (problems.length > 0) return fail('malformed', problems[0]!)
  const start = starts.reduce<Bound | undefined>((a, b) => (!a || b.ms > a.ms ? b : a), undefined)
  const end = ends.reduce<Bound | undefined>((a, b) => (!a || b.ms < a.ms ? b : a), undefined)
  return ok({ ...(start ? { start } : {}), ...(end ? { end } : {}) })
}

/**
 * The window as the envelope shows it.
 *
 * @example
 * windowDates(window) // { validFrom: '2030-06-01T11:00:00.000Z', validUntil: '2030-06-01T13:00:00.000Z' }
 */
export function windowDates(window: ValidityWindow): { validFrom?: string; validUntil?: string } {
  return {
    ...(window.start ? { validFrom: new Date(window.start.ms).toISOString() } : {}),
    ...(window.end ? { validUntil: new Date(window.end.ms).toISOString() } : {}),
  }
}

/**
 * Judges a validity window at `now`: `malformed` if it ends before it starts, `missing_expiry` if it
 * has no end and the type is not `PatientIdentityCredential`, `not_yet_valid` if it starts more than
 * `clockSkewSeconds` after `now`, `expired` if it ended more than `clockSkewSeconds` before. Never
 * throws.
 *
 * @example
 * checkValidityPeriod({ window, type: 'ClinicianLicenseCredential', now: new Date(), clockSkewSeconds: 30 })
 */
export function checkValidityPeriod(options: {
  window: ValidityWindow
  type: CredentialType | undefined
  now: Date
  clockSkewSeconds: number
}): CheckOutcome {
  const { window, type } = options
  const { start, end } = window
  const dates = windowDates(window)
  const nowMs = options.now.getTime()
  const skewMs = options.clockSkewSeconds * 1000
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
    return fail('not_yet_valid', `The credential is not valid before ${dates.validFrom} (${start.field}).`)
  }
  if (end && end.ms <= nowMs - skewMs) {
    return fail('expired', `The credential expired at ${dates.validUntil} (${end.field}).`)
  }
  return ok()
}
