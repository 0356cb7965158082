import { OperationOutcomeError, validateResource } from '@medplum/core'
import type { Resource } from '@medplum/fhirtypes'
import { isRecordType, loadFhirR4, RECORD_TYPES, type RecordType } from './definitions'
import { type FhirIssue, FhirRequestError, toFhirIssue } from './errors'
import { checkRequiredCodes } from './required-codes'

/** The largest record accepted, in bytes of JSON. */
export const MAX_RECORD_BYTES = 64 * 1024

/** FHIR R4 `id` syntax. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/

/** The element that ties each record type to its patient (Patient itself: its `id`). */
const PATIENT_ELEMENT: Record<Exclude<RecordType, 'Patient'>, 'subject' | 'patient'> = {
  Condition: 'subject',
  Observation: 'subject',
  AllergyIntolerance: 'patient',
  MedicationStatement: 'subject',
  Encounter: 'subject',
}

/**
 * Checks that `resource` is a FHIR R4 record of one of the {@link RECORD_TYPES}, belonging to
 * patient `patientId`, and returns it typed. Checks: a JSON object of at most 64 KiB; a supported
 * `resourceType`; an `id` of FHIR syntax; the base R4 structure definitions (cardinality, types,
 * unknown properties, invariants); their `required` code bindings; and a `Patient` whose id is
 * `patientId`, or a `subject`/`patient` reference that is exactly `Patient/<patientId>`.
 *
 * Loads the FHIR R4 definitions on first use (about a second; call `loadFhirR4()` at start-up).
 *
 * @throws {FhirRequestError} 400 with one issue per problem found (413 `too-long` when too large).
 * @example
 * const record = validateRecord(JSON.parse(body), 'synth-0001') // Resource, or throws
 */
export function validateRecord(resource: unknown, patientId: string): Resource {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    throw FhirRequestError.invalid(
      'A FHIR record must be a JSON object with a resourceType: send one resource.',
    )
  }
  const size = jsonSize(resource)
  if (size > MAX_RECORD_BYTES) {
    throw new FhirRequestError(413, [
      {
        code: 'too-long',
        message: `The record is ${size} bytes of JSON, over the limit of ${MAX_RECORD_BYTES}: leave out attachments and large narrative.`,
      },
    ])
  }
  const type = (resource as { resourceType?: unknown }).resourceType
  if (typeof type !== 'string' || !isRecordType(type)) {
    throw FhirRequestError.notSupported(
      `resourceType ${JSON.stringify(type ?? null)} is not a record type here: use one of ${RECORD_TYPES.join(', ')}.`,
      'resourceType',
    )
  }
  loadFhirR4()
  const record = resource as Resource
  const issues = [
    ...checkId(record),
    ...checkStructure(record),
    ...checkRequiredCodes(record),
    ...checkOwner(record, type, patientId),
  ]
  if (issues.length > 0) throw new FhirRequestError(400, issues)
  return record
}

function jsonSize(resource: object): number {
  try {
    return Buffer.byteLength(JSON.stringify(resource), 'utf8')
  } catch {
    throw FhirRequestError.invalid('The record is not plain JSON (it refers to itself): send JSON data.')
  }
}

function checkId(record: Resource): FhirIssue[] {
  const id: unknown = record.id
  if (typeof id === 'string' && FHIR_ID.test(id)) return []
  return [
    {
      code: 'invalid',
      message: `id ${JSON.stringify(id ?? null)} is not a FHIR id: give 1 to 64 letters, digits, "-" or ".".`,
      expression: `${record.resourceType}.id`,
    },
  ]
}

function checkStructure(record: Resource): FhirIssue[] {
  try {
    validateResource(record)
    return []
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e
    return e.outcome.issue
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => {
        const issue = toFhirIssue(i)
        return { ...issue, message: helpful(issue.message) }
      })
  }
}

/** Medplum's messages say what is wrong; add what to do where it is not obvious. */
function helpful(message: string): string {
  if (message.startsWith('Invalid additional property')) return `${message}: remove it (check its spelling)`
  if (message === 'Missing required property') return `${message}: add it`
  return message
}

function checkOwner(record: Resource, type: RecordType, patientId: string): FhirIssue[] {
  const expected = `Patient/${patientId}`
  if (type === 'Patient') {
    if (record.id === patientId) return []
    return [
      {
        code: 'invalid',
        message: `This Patient has id ${JSON.stringify(record.id ?? null)}, not "${patientId}": records here belong to patient ${patientId}.`,
        expression: 'Patient.id',
      },
    ]
  }
  const element = PATIENT_ELEMENT[type]
  const reference = (record as unknown as Record<string, { reference?: unknown } | undefined>)[element]
    ?.reference
  if (reference === expected) return []
  return [
    {
      code: 'invalid',
      message: `${type}.${element} must be { "reference": "${expected}" } (it is ${JSON.stringify(reference ?? null)}): records here belong to patient ${patientId}.`,
      expression: `${type}.${element}`,
    },
  ]
}
