import {
  evalFhirPathTyped,
  getParsedExpressionForResourceType,
  getSearchParameter,
  toTypedValue,
} from '@medplum/core'
import { loadFhirR4, type RecordType } from './definitions'
import { compilePropertyPath, type ValuesOf } from './property-path'

/** The search parameter types served here (no number, quantity, composite or special). */
export type SearchKind = 'reference' | 'string' | 'uri' | 'token' | 'date'

/** A search parameter of a record type, its FHIRPath compiled once. */
export interface RecordSearchParameter {
  code: string
  kind: SearchKind
  /** Reads the values the parameter's expression (narrowed to this type) selects from a resource. */
  values: ValuesOf
}

/** What a name is for a type: a parameter served here, one of another kind, or unknown. */
export type SearchParameterLookup =
  | { found: 'served'; parameter: RecordSearchParameter }
  | { found: 'not-served'; kind: string }
  | { found: 'unknown' }

const SERVED: ReadonlySet<string> = new Set<SearchKind>(['reference', 'string', 'uri', 'token', 'date'])
/** Medplum's own parameters, not FHIR R4. */
const MEDPLUM_ONLY: ReadonlySet<string> = new Set(['_compartment'])

// Immutable derivations of the FHIR R4 definitions, parsed once per process: R4 expressions are
// unions over every type sharing a parameter (`code` names 15 types), costly to parse per use.
const cache = new Map<string, SearchParameterLookup>()

/**
 * Looks up a FHIR R4 search parameter of a record type (`code`, `date`, `_id`, …).
 *
 * @example
 * const lookup = searchParameterOf('Observation', 'date')
 * if (lookup.found === 'served') lookup.parameter.values(observation) // [{ type: 'dateTime', value: '2024-03-05' }]
 */
export function searchParameterOf(type: RecordType, code: string): SearchParameterLookup {
  const key = `${type} ${code}`
  let lookup = cache.get(key)
  if (lookup) return lookup
  lookup = compile(type, code)
  if (lookup.found !== 'unknown') cache.set(key, lookup) // a finite set: names from requests are not kept
  return lookup
}

function compile(type: RecordType, code: string): SearchParameterLookup {
  loadFhirR4()
  const definition = MEDPLUM_ONLY.has(code) ? undefined : getSearchParameter(type, code)
  if (!definition) return { found: 'unknown' }
  if (!SERVED.has(definition.type) || !definition.expression)
    return { found: 'not-served', kind: definition.type }
  const path = getParsedExpressionForResourceType(type, definition.expression)
  const values =
    compilePropertyPath(type, path.toString()) ?? ((r) => evalFhirPathTyped(path, [toTypedValue(r)]))
  return { found: 'served', parameter: { code, kind: definition.type as SearchKind, values } }
}
