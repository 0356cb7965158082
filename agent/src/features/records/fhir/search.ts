import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes'
import type { RecordType } from './definitions'
import type { FhirRequestError } from './errors'
import { matchesFilter, sortKey } from './search-match'
import { parseSearchQuery } from './search-query'

export interface SearchRecordsParameters {
  type: RecordType
  /** The query, one entry per parameter name; an array repeats the parameter (each must hold). */
  query: Readonly<Record<string, string | readonly string[]>>
  /** Every record of `type` of this patient: the caller has already restricted them to the patient. */
  resources: readonly Resource[]
  patientId: string
  /** The FHIR base URL, e.g. `https://h.example/fhir`, for `fullUrl` and the `self` link. */
  baseUrl: string
}

export type SearchRecordsReturnType = Bundle
export type SearchRecordsErrorType = FhirRequestError

/**
 * Searches one patient's records of a type with a FHIR R4 query and returns a `searchset` Bundle
 * of the first `_count` matches (default 50, at most 200), with `total` counting all of them.
 *
 * Parameters: those FHIR R4 defines for the type of kind token, string, reference, uri and date
 * (modifiers `:missing`, token `:not`, string `:contains`/`:exact`), `_id`, `_lastUpdated`,
 * `_count`, and `_sort` (comma-separated date, string or token parameters, `-` for descending).
 * Dates follow FHIR precision: `date=2024-02` is all of February and nothing of March.
 *
 * @throws {FhirRequestError} 403 when `patient`/`subject` names another patient; 400 naming each
 * unknown, unsupported (number, quantity, composite, chained, `_has`, other modifiers) or malformed parameter.
 * @example
 * const bundle = searchRecords({
 *   type: 'Observation',
 *   query: { code: 'http://loinc.org|8867-4', date: 'ge2024-01', _sort: '-date', _count: '10' },
 *   resources: observationsOf('synth-0001'),
 *   patientId: 'synth-0001',
 *   baseUrl: 'https://h.example/fhir',
 * })
 */
export function searchRecords(o: SearchRecordsParameters): SearchRecordsReturnType {
  const baseUrl = o.baseUrl.replace(/\/+$/, '')
  const { filters, sort, count, normalised } = parseSearchQuery({ ...o, baseUrl })
  let hits: Resource[] = []
  for (const resource of o.resources) {
    if (resource.resourceType !== o.type) continue
    if (filters.every((f) => matchesFilter(resource, f))) hits.push(resource)
  }
  if (sort.length > 0) hits = sorted(hits, sort)
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: hits.length,
    link: [{ relation: 'self', url: `${baseUrl}/${o.type}?${normalised}` }],
    entry: hits.slice(0, count).map(
      (resource): BundleEntry => ({
        fullUrl: `${baseUrl}/${o.type}/${resource.id}`,
        resource,
        search: { mode: 'match' },
      }),
    ),
  }
}

/** Sorts by each rule in turn; resources without a value sort last; ties keep their order. */
function sorted(resources: Resource[], rules: Parameters<typeof sortKey>[1][]): Resource[] {
  const keyed = resources.map((resource) => ({
    resource,
    keys: rules.map((rule) => sortKey(resource, rule)),
  }))
  keyed.sort((a, b) => {
    for (let i = 0; i < rules.length; i++) {
      const [x, y] = [a.keys[i], b.keys[i]]
      if (x === y) continue
      if (x === undefined) return 1
      if (y === undefined) return -1
      const order = x < y ? -1 : 1
      return rules[i]?.descending ? -order : order
    }
    return 0
  })
  return keyed.map((k) => k.resource)
}
