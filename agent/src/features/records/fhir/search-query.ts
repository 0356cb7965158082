import { splitSearchOnComma } from '@medplum/core'
import { type DateRange, dateRange } from './date-range'
import type { RecordType } from './definitions'
import { type FhirIssue, FhirRequestError } from './errors'
import { type RecordSearchParameter, type SearchKind, searchParameterOf } from './search-parameters'

/** FHIR date search prefixes. */
export type DatePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap'

/** One `name=value` of a search: its values (comma-separated in the query) are alternatives. */
export type SearchFilter =
  | { kind: 'missing'; parameter: RecordSearchParameter; missing: boolean }
  | { kind: 'token'; parameter: RecordSearchParameter; not: boolean; anyOf: TokenValue[] }
  | { kind: 'string'; parameter: RecordSearchParameter; mode: StringMode; anyOf: string[] } // folded, unless exact
  | { kind: 'uri' | 'reference'; parameter: RecordSearchParameter; anyOf: string[] }
  | { kind: 'date'; parameter: RecordSearchParameter; anyOf: { prefix: DatePrefix; range: DateRange }[] }

/** `system|code`, lower case; `system` '' = no system, undefined = any; `code` undefined = any. */
export interface TokenValue {
  system: string | undefined
  code: string | undefined
}

export type StringMode = 'starts-with' | 'contains' | 'exact'

export interface SortRule {
  parameter: RecordSearchParameter
  descending: boolean
}

/** A checked search: every filter must hold (AND); the normalised query is for the `self` link. */
export interface ParsedSearchQuery {
  filters: SearchFilter[]
  sort: SortRule[]
  count: number
  normalised: string
}

export const DEFAULT_COUNT = 50
export const MAX_COUNT = 200

const DATE_PREFIXES: ReadonlySet<string> = new Set<DatePrefix>([
  'eq',
  'ne',
  'gt',
  'lt',
  'ge',
  'le',
  'sa',
  'eb',
  'ap',
])
const MODIFIERS: Record<SearchKind, readonly string[]> = {
  token: ['missing', 'not'],
  string: ['missing', 'contains', 'exact'],
  reference: ['missing'],
  uri: ['missing'],
  date: ['missing'],
}
const SORTABLE: ReadonlySet<SearchKind> = new Set<SearchKind>(['date', 'string', 'token'])
const PATIENT_PARAMETERS: ReadonlySet<string> = new Set(['patient', 'subject'])

/**
 * Checks a FHIR search query for a record type and turns it into filters, sort rules and a count.
 *
 * @throws {FhirRequestError} 403 when `patient`/`subject` names another patient; 400 with one issue
 * per unknown, unsupported or malformed parameter.
 * @example
 * parseSearchQuery({ type: 'Observation', query: { date: 'ge2024-01', _sort: '-date' }, patientId: 'p1', baseUrl })
 */
export function parseSearchQuery(o: {
  type: RecordType
  query: Readonly<Record<string, string | readonly string[]>>
  patientId: string
  baseUrl: string
}): ParsedSearchQuery {
  const issues: FhirIssue[] = []
  const result: ParsedSearchQuery = { filters: [], sort: [], count: DEFAULT_COUNT, normalised: '' }
  const kept: [string, string][] = []
  for (const [key, raw] of Object.entries(o.query)) {
    const values = typeof raw === 'string' ? [raw] : [...raw]
    const before = issues.length
    if (key === '_count') result.count = parseCount(values, issues)
    else if (key === '_sort') result.sort.push(...values.flatMap((v) => parseSort(o.type, v, issues)))
    else {
      for (const value of values) {
        const filter = parseFilter(o, key, value, issues)
        if (filter) result.filters.push(filter)
      }
    }
    if (issues.length === before && key !== '_count') for (const v of values) kept.push([key, v])
  }
  if (issues.length > 0) throw new FhirRequestError(400, issues)
  kept.push(['_count', String(result.count)])
  kept.sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)))
  result.normalised = new URLSearchParams(kept).toString()
  return result
}

function parseCount(values: readonly string[], issues: FhirIssue[]): number {
  const [value] = values
  const count =
    values.length === 1 && value !== undefined && /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN
  if (count >= 1 && count <= MAX_COUNT) return count
  issues.push({
    code: 'invalid',
    message: `_count must be one whole number from 1 to ${MAX_COUNT} (got ${clip(values.join(', '))}): leave it out for ${DEFAULT_COUNT}.`,
    expression: '_count',
  })
  return DEFAULT_COUNT
}

function parseSort(type: RecordType, value: string, issues: FhirIssue[]): SortRule[] {
  const rules: SortRule[] = []
  for (const field of value.split(',')) {
    const descending = field.startsWith('-')
    const code = descending ? field.slice(1) : field
    const lookup = searchParameterOf(type, code)
    if (lookup.found === 'served' && SORTABLE.has(lookup.parameter.kind)) {
      rules.push({ parameter: lookup.parameter, descending })
    } else {
      issues.push({
        code: lookup.found === 'unknown' ? 'invalid' : 'not-supported',
        message: `Cannot sort ${type} by "${code}": sort by a date, string or token parameter of ${type} (e.g. _sort=-_lastUpdated), with - for descending.`,
        expression: '_sort',
      })
    }
  }
  return rules
}

type QueryContext = { type: RecordType; patientId: string; baseUrl: string }

function parseFilter(
  o: QueryContext,
  key: string,
  value: string,
  issues: FhirIssue[],
): SearchFilter | undefined {
  const colon = key.indexOf(':')
  const code = colon < 0 ? key : key.slice(0, colon)
  const modifier = colon < 0 ? undefined : key.slice(colon + 1)
  const fail = (issueCode: FhirIssue['code'], message: string) => {
    issues.push({ code: issueCode, message, expression: key })
    return undefined
  }
  if (code.includes('.') || code === '_has') {
    return fail(
      'not-supported',
      `${key}: chained and reverse-chained (_has) search are not supported here: search each type separately.`,
    )
  }
  const lookup = searchParameterOf(o.type, code)
  if (lookup.found === 'unknown') {
    return fail(
      'invalid',
      `Unknown search parameter "${key}" for ${o.type}: see https://hl7.org/fhir/R4/${o.type.toLowerCase()}.html#search, or leave it out.`,
    )
  }
  if (lookup.found === 'not-served') {
    return fail(
      'not-supported',
      `Searching ${o.type} by "${code}" (a ${lookup.kind} parameter) is not supported here: use a token, string, reference, uri or date parameter, or _id.`,
    )
  }
  const { parameter } = lookup
  if (modifier !== undefined && !MODIFIERS[parameter.kind].includes(modifier)) {
    return fail(
      'not-supported',
      `${key}: the :${modifier} modifier is not supported for ${parameter.kind} parameters here: use ${MODIFIERS[parameter.kind].map((m) => `:${m}`).join(', ')} or none.`,
    )
  }
  if (value === '') return fail('invalid', `${key} has no value: give one, or leave the parameter out.`)
  if (modifier === 'missing') {
    if (value !== 'true' && value !== 'false') return fail('invalid', `${key} must be true or false.`)
    return { kind: 'missing', parameter, missing: value === 'true' }
  }
  const values = splitSearchOnComma(value)
  if (PATIENT_PARAMETERS.has(code) && parameter.kind === 'reference') {
    if (!values.every((v) => namesPatient(o, v))) {
      throw FhirRequestError.forbidden(
        `This token opens only patient ${o.patientId}'s records: leave ${code} out, or set it to Patient/${o.patientId}.`,
        key,
      )
    }
    return undefined // it names this patient, whose records are all that `resources` holds
  }
  switch (parameter.kind) {
    case 'token':
      return { kind: 'token', parameter, not: modifier === 'not', anyOf: values.map(parseToken) }
    case 'string':
      return modifier === 'exact'
        ? { kind: 'string', parameter, mode: 'exact', anyOf: values }
        : {
            kind: 'string',
            parameter,
            mode: modifier === 'contains' ? 'contains' : 'starts-with',
            anyOf: values.map(foldText),
          }
    case 'uri':
      return { kind: 'uri', parameter, anyOf: values }
    case 'reference':
      return { kind: 'reference', parameter, anyOf: values.map((v) => stripBase(o.baseUrl, v)) }
    case 'date': {
      const anyOf = values.map(parseDateValue)
      if (anyOf.some((d) => d === undefined)) {
        return fail(
          'invalid',
          `${key}=${clip(value)}: give a date as [prefix]YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm], e.g. ge2024-01-01 (prefixes: eq, ne, lt, le, gt, ge, sa, eb, ap).`,
        )
      }
      return { kind: 'date', parameter, anyOf: anyOf as { prefix: DatePrefix; range: DateRange }[] }
    }
  }
}

function parseToken(value: string): TokenValue {
  const bar = value.indexOf('|')
  if (bar < 0) return { system: undefined, code: value.toLowerCase() }
  const code = value.slice(bar + 1).toLowerCase()
  return { system: value.slice(0, bar).toLowerCase(), code: code === '' ? undefined : code }
}

function parseDateValue(value: string): { prefix: DatePrefix; range: DateRange } | undefined {
  const prefixed = DATE_PREFIXES.has(value.slice(0, 2))
  const prefix = (prefixed ? value.slice(0, 2) : 'eq') as DatePrefix
  const range = dateRange(prefixed ? value.slice(2) : value)
  return range && { prefix, range }
}

function namesPatient(o: QueryContext, value: string): boolean {
  const reference = stripBase(o.baseUrl, value)
  return reference === o.patientId || reference === `Patient/${o.patientId}`
}

/** Text for case- and accent-insensitive string search: lower case, without combining marks. */
export const foldText = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

const stripBase = (baseUrl: string, value: string): string =>
  value.startsWith(`${baseUrl}/`) ? value.slice(baseUrl.length + 1) : value

/** A request's value as quoted back in a message, cut short. */
const clip = (value: string): string => (value.length > 40 ? `${value.slice(0, 40)}…` : value)

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
