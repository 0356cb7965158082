import { CliError } from './errors'

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/**
 * A date flag as an ISO instant: `2027-06-01` is midnight UTC, full ISO 8601 instants pass as given.
 *
 * @example
 * parseDateFlag('--valid-until', '2027-06-01') // '2027-06-01T00:00:00.000Z'
 */
export function parseDateFlag(flag: string, value: string): string {
  const text = DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(ms))
    throw CliError.usage(`${flag} ${value} is not a date; write 2027-06-01 or 2027-06-01T12:00:00Z.`)
  return new Date(ms).toISOString()
}

/** A `--valid-until` (after now and after `--valid-from` when given). */
export function parseValidUntil(value: string, validFrom: string | undefined): string {
  const until = parseDateFlag('--valid-until', value)
  if (Date.parse(until) <= Date.now())
    throw CliError.usage(`--valid-until ${value} is in the past; give a date after today.`)
  if (validFrom !== undefined && Date.parse(until) <= Date.parse(validFrom))
    throw CliError.usage(`--valid-until ${value} is not after --valid-from; give a later date.`)
  return until
}
