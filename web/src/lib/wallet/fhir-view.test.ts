import { describe, expect, it } from 'vitest'
import { conceptText, describeRecord, formatFhirDate } from './fhir-view'

describe('FHIR records as a clinician reads them', () => {
  it('names codings by their display, values with units, dates by day', () => {
    expect(
      conceptText({ coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] }),
    ).toBe('Heart rate')
    expect(conceptText({ text: 'Pulse', coding: [{ code: 'x' }] })).toBe('Pulse')
    expect(conceptText({ coding: [{ code: '8867-4' }] })).toBe('8867-4')
    const line = describeRecord({
      resourceType: 'Observation',
      id: 'o1',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      valueQuantity: { value: 72, unit: 'beats/minute' },
      category: [{ coding: [{ code: 'vital-signs', display: 'Vital Signs' }] }],
      interpretation: [{ coding: [{ code: 'H', display: 'High' }] }],
      effectiveDateTime: '2024-03-05T10:00:00Z',
    })
    expect(line).toEqual({
      id: 'o1',
      type: 'Observation',
      title: 'Heart rate',
      detail: '72 beats/minute — Vital Signs',
      when: '5 Mar 2024',
      flag: 'High',
    })
    expect(formatFhirDate('2024-02')).toBe('2024-02')
  })

  it('reads a blood pressure panel, an allergy, a medication, a condition, an encounter and a patient', () => {
    expect(
      describeRecord({
        resourceType: 'Observation',
        id: 'bp',
        code: { coding: [{ display: 'Blood pressure panel' }] },
        component: [
          { code: { coding: [{ display: 'Systolic' }] }, valueQuantity: { value: 120, unit: 'mmHg' } },
          { code: { coding: [{ display: 'Diastolic' }] }, valueQuantity: { value: 80, unit: 'mmHg' } },
        ],
      }).detail,
    ).toBe('Systolic 120 mmHg · Diastolic 80 mmHg')
    expect(
      describeRecord({
        resourceType: 'AllergyIntolerance',
        id: 'a',
        code: { coding: [{ display: 'Penicillin' }] },
        criticality: 'high',
        reaction: [{ manifestation: [{ coding: [{ display: 'Hives' }] }] }],
      }),
    ).toMatchObject({ title: 'Penicillin', detail: 'reaction: Hives', flag: 'High criticality' })
    expect(
      describeRecord({
        resourceType: 'MedicationStatement',
        id: 'm',
        status: 'active',
        medicationCodeableConcept: { text: 'Metformin 500 mg' },
      }).title,
    ).toBe('Metformin 500 mg')
    expect(
      describeRecord({
        resourceType: 'Condition',
        id: 'c',
        code: { text: 'Asthma' },
        clinicalStatus: { coding: [{ code: 'resolved', display: 'Resolved' }] },
      }).flag,
    ).toBe('Resolved')
    expect(
      describeRecord({
        resourceType: 'Encounter',
        id: 'e',
        class: { code: 'AMB', display: 'ambulatory' },
        period: { start: '2024-01-02' },
      }),
    ).toMatchObject({ title: 'ambulatory', when: '2 Jan 2024' })
    expect(
      describeRecord({
        resourceType: 'Patient',
        id: 'p',
        name: [{ family: 'Synthetic', given: ['Alpha'] }],
        birthDate: '1980-01-01',
      }).title,
    ).toBe('Alpha Synthetic')
  })

  it('keeps hostile text as text (the page escapes it)', () => {
    expect(
      describeRecord({ resourceType: 'Condition', id: 'x', code: { text: '<img src=x onerror=alert(1)>' } })
        .title,
    ).toBe('<img src=x onerror=alert(1)>')
  })
})
