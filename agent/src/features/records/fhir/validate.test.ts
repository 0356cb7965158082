import type { Resource } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadFhirR4 } from './definitions'
import { FhirRequestError } from './errors'
import { validateRecord } from './validate'

const P = 'p-1'
const subject = { reference: `Patient/${P}` }

const examples: Resource[] = [
  {
    resourceType: 'Patient',
    id: P,
    name: [{ use: 'official', family: 'Synthetic', given: ['Alpha'] }],
    gender: 'female',
    birthDate: '1980-02-29',
  },
  {
    resourceType: 'Condition',
    id: 'c-1',
    subject,
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
    },
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
    },
    onsetDateTime: '2019-05-01',
  },
  {
    resourceType: 'Observation',
    id: 'o-1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject,
    effectiveDateTime: '2024-03-05T10:00:00Z',
    valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
  },
  {
    resourceType: 'AllergyIntolerance',
    id: 'a-1',
    patient: subject,
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
      ],
    },
    category: ['food'],
    code: { coding: [{ system: 'http://snomed.info/sct', code: '91935009', display: 'Allergy to peanuts' }] },
  },
  {
    resourceType: 'MedicationStatement',
    id: 'm-1',
    status: 'active',
    subject,
    medicationCodeableConcept: {
      coding: [
        {
          system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
          code: '314076',
          display: 'lisinopril 10 MG Oral Tablet',
        },
      ],
    },
  },
  {
    resourceType: 'Encounter',
    id: 'e-1',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject,
    period: { start: '2024-02-10T08:00:00Z', end: '2024-02-10T09:00:00Z' },
  },
]

const refusal = (resource: unknown, patientId = P) => {
  try {
    validateRecord(resource, patientId)
  } catch (e) {
    if (e instanceof FhirRequestError) return { status: e.status, issues: e.outcome.issue }
    throw e
  }
  throw new Error('accepted')
}

const observation = examples[2] as Resource

describe('validateRecord', () => {
  beforeAll(() => loadFhirR4())

  it.each(examples.map((r) => [r.resourceType, r] as const))('accepts a valid %s', (_, resource) => {
    expect(validateRecord(resource, P)).toBe(resource)
  })

  it('refuses a status outside the required value set, listing the allowed codes', () => {
    expect(refusal({ ...observation, status: 'done' })).toMatchInlineSnapshot(`
      {
        "issues": [
          {
            "code": "code-invalid",
            "details": {
              "text": ""done" is not in the required value set http://hl7.org/fhir/ValueSet/observation-status|4.0.1: use one of registered, preliminary, final, amended, corrected, cancelled, entered-in-error, unknown.",
            },
            "expression": [
              "Observation.status",
            ],
            "severity": "error",
          },
        ],
        "status": 400,
      }
    `)
  })

  it('refuses a coding outside a required CodeableConcept binding and in data types', () => {
    const condition = examples[1] as Resource
    const bad = {
      ...condition,
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'cured' }],
      },
    }
    expect(refusal(bad).issues).toEqual([
      {
        severity: 'error',
        code: 'code-invalid',
        details: {
          text: 'No coding (http://terminology.hl7.org/CodeSystem/condition-clinical|cured) is in the required value set http://hl7.org/fhir/ValueSet/condition-clinical|4.0.1: use system http://terminology.hl7.org/CodeSystem/condition-clinical with code active, recurrence, relapse, inactive, remission, resolved.',
        },
        expression: ['Condition.clinicalStatus'],
      },
    ])
    const patient = {
      ...(examples[0] as Resource),
      name: [{ use: 'nickname-ish', family: 'Synthetic' }],
      gender: 'F',
    }
    expect(refusal(patient).issues.map((i) => i.expression?.[0])).toEqual([
      'Patient.name[0].use',
      'Patient.gender',
    ])
  })

  it('refuses an unknown property, saying to remove it', () => {
    const { issues } = refusal({ ...observation, colour: 'red' })
    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'structure',
        details: { text: 'Invalid additional property "colour": remove it (check its spelling)' },
        expression: ['Observation.colour'],
      },
    ])
  })

  it('lists every issue at once', () => {
    const { status, issues } = refusal({
      ...observation,
      id: 'bad id!',
      status: 'done',
      colour: 'red',
      code: undefined,
    })
    expect(status).toBe(400)
    expect(issues.map((i) => `${i.code} ${i.expression?.[0]}`).sort()).toEqual([
      'code-invalid Observation.status',
      'invalid Observation.id',
      'structure Observation.code',
      'structure Observation.colour',
    ])
  })

  it("refuses another patient's records", () => {
    expect(refusal(observation, 'p-2').issues).toEqual([
      {
        severity: 'error',
        code: 'invalid',
        details: {
          text: 'Observation.subject must be { "reference": "Patient/p-2" } (it is "Patient/p-1"): records here belong to patient p-2.',
        },
        expression: ['Observation.subject'],
      },
    ])
    expect(refusal(examples[3], 'p-2').issues[0]?.expression).toEqual(['AllergyIntolerance.patient'])
    expect(refusal(examples[0], 'p-2').issues[0]?.expression).toEqual(['Patient.id'])
    expect(refusal({ ...observation, subject: undefined }).issues[0]?.expression).toEqual([
      'Observation.subject',
    ])
  })

  it('refuses a malformed or missing id', () => {
    for (const id of ['bad id!', '', 'x'.repeat(65), 42, undefined]) {
      expect(refusal({ ...observation, id }).issues.map((i) => i.expression?.[0])).toContain('Observation.id')
    }
  })

  it('refuses an unsupported type, naming the supported ones', () => {
    expect(refusal({ resourceType: 'Binary', id: 'b' })).toEqual({
      status: 400,
      issues: [
        {
          severity: 'error',
          code: 'not-supported',
          details: {
            text: 'resourceType "Binary" is not a record type here: use one of Patient, Condition, Observation, AllergyIntolerance, MedicationStatement, Encounter.',
          },
          expression: ['resourceType'],
        },
      ],
    })
  })

  it('refuses what is not a JSON object', () => {
    for (const value of [null, 'Observation', 42, [observation]]) {
      expect(refusal(value).issues[0]?.details?.text).toBe(
        'A FHIR record must be a JSON object with a resourceType: send one resource.',
      )
    }
  })

  it('refuses a record over 64 KiB with 413', () => {
    const big = { ...observation, note: [{ text: 'x'.repeat(64 * 1024) }] }
    const { status, issues } = refusal(big)
    expect(status).toBe(413)
    expect(issues[0]?.code).toBe('too-long')
  })
})
