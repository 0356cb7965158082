import {
  convertToSearchableReferences,
  convertToSearchableTokens,
  convertToSearchableUris,
  type SearchableToken,
  type TypedValue,
  typedValueToString,
} from '@medplum/core'
import type { Address, HumanName, Resource } from '@medplum/fhirtypes'
import { type DateRange, valueRange } from './date-range'
import { type DatePrefix, foldText, type SearchFilter, type SortRule, type TokenValue } from './search-query'

// Matching follows FHIR R4 search (https://hl7.org/fhir/R4/search.html) with each parameter's
// compiled expression. @medplum/core's matchesSearchRequest re-parses the R4 expressions (unions
// over many types) on every call, about 1.5 ms per resource and filter, and widens month dates wrongly.

/** Tokens from CodeableConcept.text and Identifier.type.text get this system, so codes never match them. */
const TEXT_SYSTEM = 'urn:clavis:text'

/**
 * Whether a resource satisfies one filter.
 *
 * @example
 * matchesFilter(observation, parseSearchQuery({ … }).filters[0])
 */
export function matchesFilter(resource: Resource, filter: SearchFilter): boolean {
  const values = filter.parameter.values(resource)
  switch (filter.kind) {
    case 'missing':
      return (values.length === 0) === filter.missing
    case 'token': {
      const tokens = codeTokens(values)
      const hit = tokens.some((t) => filter.anyOf.some((f) => tokenMatches(t, f)))
      return filter.not ? !hit : hit
    }
    case 'string': {
      const strings = searchableStrings(values)
      if (filter.mode === 'exact') return strings.some((s) => filter.anyOf.includes(s))
      const folded = strings.map(foldText)
      return filter.mode === 'contains'
        ? folded.some((s) => filter.anyOf.some((f) => s.includes(f)))
        : folded.some((s) => filter.anyOf.some((f) => s.startsWith(f)))
    }
    case 'uri':
      return convertToSearchableUris(values).some((u) => filter.anyOf.includes(u))
    case 'reference': {
      const references = convertToSearchableReferences(values)
      return references.some((r) =>
        filter.anyOf.some((f) => r === f || (!f.includes('/') && r.endsWith(`/${f}`))),
      )
    }
    case 'date': {
      const ranges = dateRanges(values)
      return filter.anyOf.some(({ prefix, range }) =>
        prefix === 'ne'
          ? !ranges.some((r) => within(r, range))
          : ranges.some((r) => compareDates(prefix, r, range)),
      )
    }
  }
}

/**
 * The value a resource sorts by for one rule (undefined: it has none, and sorts last).
 *
 * @example
 * sortKey(observation, { parameter: date, descending: true }) // 1709632800000
 */
export function sortKey(resource: Resource, rule: SortRule): number | string | undefined {
  const values = rule.parameter.values(resource)
  switch (rule.parameter.kind) {
    case 'date': {
      const starts = dateRanges(values).map((r) => r.start)
      return starts.length > 0 ? Math.min(...starts) : undefined
    }
    case 'token':
      return codeTokens(values)[0]?.value?.toLowerCase()
    default: {
      const first = searchableStrings(values)[0]
      return first === undefined ? undefined : foldText(first)
    }
  }
}

/**
 * How resource range `r` compares with search range `p` under a prefix (R4 search.html#prefix;
 * `ap` is taken as overlapping).
 */
function compareDates(prefix: Exclude<DatePrefix, 'ne'>, r: DateRange, p: DateRange): boolean {
  switch (prefix) {
    case 'eq':
      return within(r, p)
    case 'gt':
      return r.end > p.end
    case 'lt':
      return r.start < p.start
    case 'ge':
      return r.end > p.end || within(r, p)
    case 'le':
      return r.start < p.start || within(r, p)
    case 'sa':
      return r.start >= p.end
    case 'eb':
      return r.end <= p.start
    case 'ap':
      return r.start < p.end && r.end > p.start
  }
}

const within = (r: DateRange, p: DateRange): boolean => p.start <= r.start && r.end <= p.end

function dateRanges(values: readonly TypedValue[]): DateRange[] {
  const ranges: DateRange[] = []
  for (const { value } of values) {
    const range = valueRange(value)
    if (range) ranges.push(range)
  }
  return ranges
}

function codeTokens(values: TypedValue[]): SearchableToken[] {
  return convertToSearchableTokens(values, { textSearchSystem: TEXT_SYSTEM }).filter(
    (t) => t.system !== TEXT_SYSTEM,
  )
}

function tokenMatches(token: SearchableToken, f: TokenValue): boolean {
  if (f.code !== undefined && token.value?.toLowerCase() !== f.code) return false
  if (f.system === undefined) return true
  return f.system === '' ? !token.system : token.system?.toLowerCase() === f.system
}

/** The strings a string parameter searches: each part of names and addresses, else the value as text. */
function searchableStrings(values: readonly TypedValue[]): string[] {
  const out: string[] = []
  for (const tv of values) {
    if (tv.type === 'HumanName') {
      const n = tv.value as HumanName
      push(out, n.text, n.family, ...(n.given ?? []), ...(n.prefix ?? []), ...(n.suffix ?? []))
    } else if (tv.type === 'Address') {
      const a = tv.value as Address
      push(out, a.text, ...(a.line ?? []), a.city, a.district, a.state, a.postalCode, a.country)
    } else {
      push(out, typedValueToString(tv))
    }
  }
  return out
}

function push(out: string[], ...parts: (string | undefined)[]): void {
  for (const p of parts) if (p) out.push(p)
}
