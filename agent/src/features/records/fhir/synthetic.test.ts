import type { Resource } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadFhirR4, RECORD_TYPES } from './definitions'
import { syntheticPatients, syntheticRecordsFor } from './synthetic'
import { validateRecord } from './validate'

const owner = (r: Resource): string | undefined =>
  r.resourceType === 'Patient'
    ? r.id
    : (
        (r as { subject?: { reference?: string }; patient?: { reference?: string } }).subject ??
        (r as { patient?: { reference?: string } }).patient
      )?.reference?.replace('Patient/', '')

describe('synthetic data', () => {
  beforeAll(() => loadFhirR4())

  it('is deterministic for a seed, and differs between seeds', () => {
    expect(syntheticPatients(3, 7)).toEqual(syntheticPatients(3, 7))
    expect(syntheticPatients(5, 7).slice(0, 3)).toEqual(syntheticPatients(3, 7))
    expect(syntheticPatients(3, 8)).not.toEqual(syntheticPatients(3, 7))
    expect(syntheticRecordsFor('abc', 2)).toEqual(syntheticRecordsFor('abc', 2))
  })

  it('makes obviously synthetic patients', () => {
    const [first] = syntheticPatients(1)
    expect(first?.patient).toMatchObject({
      id: 'synth-0001',
      meta: { tag: [{ system: 'urn:clavis:demo', code: 'synthetic' }] },
      identifier: [{ system: 'urn:clavis:demo:mrn', value: 'MRN-SYN-1-0001' }],
      name: [{ family: 'Synthetic', given: ['Alpha', expect.any(String)] }],
    })
  })

  it('gives every patient records of every type that pass validateRecord, all tagged', () => {
    for (const { patient, records } of syntheticPatients(20, 3)) {
      const all = [patient, ...records]
      for (const r of all) {
        expect(() => validateRecord(r, patient.id as string), `${r.resourceType}/${r.id}`).not.toThrow()
        expect(owner(r)).toBe(patient.id)
        expect(r.meta?.tag).toEqual([
          expect.objectContaining({ system: 'urn:clavis:demo', code: 'synthetic' }),
        ])
      }
      expect(new Set(all.map((r) => r.resourceType))).toEqual(new Set(RECORD_TYPES))
      expect(new Set(all.map((r) => `${r.resourceType}/${r.id}`)).size).toBe(all.length)
    }
  })

  it('makes valid records for an existing patient, whatever its id', () => {
    for (const id of ['3f2a9c1e-7b6d-4e1a-9c3b-5d8e7f6a1b2c', 'x'.repeat(64)]) {
      const records = syntheticRecordsFor(id, 5)
      for (const r of records) expect(() => validateRecord(r, id)).not.toThrow()
      expect(new Set(records.map((r) => r.resourceType))).toEqual(
        new Set(RECORD_TYPES.filter((t) => t !== 'Patient')),
      )
    }
  })

  it('holds nothing that looks like real identifiers or contact details', () => {
    const text = JSON.stringify(syntheticPatients(50, 11))
    expect(text).not.toMatch(/\b\d{3}-\d{2}-\d{4}\b/) // US SSN
    expect(text).not.toMatch(/\b[A-Z]{2}\d{6}[A-D]\b/) // UK NI number
    expect(text).not.toMatch(/@|\+\d{6,}|\(\d{3}\) ?\d{3}-\d{4}/) // e-mail, phone
    expect(text).not.toMatch(/"(telecom|address|photo)"/)
  })
})
