// FHIR dates as the time ranges their precision implies (search.html#date): `2024` is the whole
// year, `2024-02` all of February, `2024-02-10T08:30:00Z` that second. @medplum/core 4.5.2 widens
// month precision with a fixed `-31` (so `2024-02` runs into March 2); these ranges do not.

/** A time range in epoch milliseconds, `start` included, `end` excluded. */
export interface DateRange {
  start: number
  end: number
}

const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/

/**
 * The range a FHIR date, dateTime or instant covers; undefined when it is not one (`2024-13-01`,
 * `2023-02-29`). A time without a zone is taken as UTC, as are plain dates.
 *
 * @example
 * dateRange('2024-02') // { start: Date.UTC(2024, 1, 1), end: Date.UTC(2024, 2, 1) }
 */
export function dateRange(value: string): DateRange | undefined {
  const m = DATE.exec(value)
  if (!m) return undefined
  const [, y = '', mo, d, h, mi, s, fraction, zone] = m
  const year = Number(y)
  const month = mo === undefined ? 1 : Number(mo)
  const day = d === undefined ? 1 : Number(d)
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (mo === undefined) return { start: utc(year, 0, 1), end: utc(year + 1, 0, 1) }
  if (d === undefined) return { start: utc(year, month - 1, 1), end: utc(year, month, 1) }
  if (h === undefined) return { start: utc(year, month - 1, day), end: utc(year, month - 1, day + 1) }
  const [hour, minute, second] = [Number(h), Number(mi), s === undefined ? 0 : Number(s)]
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const offset = zoneOffsetMinutes(zone)
  if (offset === undefined) return undefined
  const digits = fraction === undefined ? 0 : fraction.length - 1
  const millis = digits === 0 ? 0 : Math.floor(Number(fraction) * 1000)
  const start = utc(year, month - 1, day, hour, minute, second, millis) - offset * 60_000
  const width = s === undefined ? 60_000 : digits === 0 ? 1000 : Math.max(1, 10 ** (3 - digits))
  return { start, end: start + width }
}

/**
 * The range of a searchable date value: a date/dateTime/instant string, or a `Period` (an open
 * end is unbounded). Undefined for anything else.
 *
 * @example
 * valueRange({ start: '2024-02-10' }) // { start: Date.UTC(2024, 1, 10), end: Infinity }
 */
export function valueRange(value: unknown): DateRange | undefined {
  if (typeof value === 'string') return dateRange(value)
  if (typeof value !== 'object' || value === null) return undefined
  const { start, end } = value as { start?: unknown; end?: unknown }
  if (start === undefined && end === undefined) return undefined
  const from = typeof start === 'string' ? dateRange(start)?.start : undefined
  const to = typeof end === 'string' ? dateRange(end)?.end : undefined
  if ((start !== undefined && from === undefined) || (end !== undefined && to === undefined)) return undefined
  return { start: from ?? Number.NEGATIVE_INFINITY, end: to ?? Number.POSITIVE_INFINITY }
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0
  const hours = Number(zone.slice(1, 3))
  const minutes = Number(zone.slice(4, 6))
  if (hours > 14 || minutes > 59) return undefined
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** Date.UTC (month from 0, overflow rolls over), without its mapping of years 0–99 to 1900–1999. */
function utc(year: number, month: number, day = 1, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month, day)
  date.setUTCHours(hour, minute, second, ms)
  return date.getTime()
}
